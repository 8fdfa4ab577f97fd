"""The information pages' step, shared by phases 2 and 4: an organisation is asked for its
page as soon as it has signed up, and reminded before the recruitment opens."""

from __future__ import annotations

from datetime import date

from prefect import get_run_logger
from prefect.artifacts import create_markdown_artifact

from rvg.information.interests import enrol_organisations
from rvg.information.profiles import recruitment_opens
from rvg.information.requests import profile_status, request_profiles, status_markdown
from rvg.unit import unit


def keep_information(cohort: str, day: date) -> None:
    """Before the recruitment opens: ask the organisations taking part for their information
    page, remind those without a published one, and show the team where the pages stand; a
    week before, invite their secretaries to the organisations' Q&A sessions."""
    with unit(cohort) as u:
        mailing = request_profiles(u, day)
        status = profile_status(u.cohort, session=u.session)
        opens = recruitment_opens(u.cohort)
        enrolled = enrol_organisations(u, day, u.send_at(day))
    if enrolled:
        get_run_logger().info(
            "Q&A sessions of cohort %s: %d secretaries of organisations taking part invited",
            cohort,
            enrolled,
        )
    if day >= opens or not status.taking_part:
        return
    create_markdown_artifact(status_markdown(status, opens), key=f"information-pages-{cohort}")
    get_run_logger().info(
        "Information pages of cohort %s: %d invited, %d reminded; %d of %d published, "
        "%d without a secretary to ask",
        cohort,
        mailing.invited,
        mailing.reminded,
        len(status.published),
        status.taking_part,
        len(mailing.without_secretary),
    )

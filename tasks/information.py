"""The information pages' step, shared by phases 2 and 4: an organisation is asked for its
page as soon as it has signed up, and reminded before the recruitment opens."""

from __future__ import annotations

from datetime import date

from prefect import get_run_logger
from prefect.artifacts import create_markdown_artifact

from rvg.information.profiles import recruitment_opens
from rvg.information.requests import profile_status, request_profiles, status_markdown
from rvg.unit import unit


def request_information_pages(cohort: str, day: date) -> None:
    """Before the recruitment opens: ask the organisations taking part for their information
    page, remind those without a published one, and show the team where the pages stand."""
    with unit(cohort) as u:
        mailing = request_profiles(u, day)
        status = profile_status(u.cohort, session=u.session)
        opens = recruitment_opens(u.cohort)
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

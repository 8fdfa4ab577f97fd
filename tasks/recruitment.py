"""Tasks of phase 4: the information pages, the funnel for the team, stuck applicants, meet &
greet invitations."""

from __future__ import annotations

from datetime import date

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from rvg.dutch import short_date
from rvg.recruitment.funnel import STAGE_LABELS
from rvg.recruitment.meet_greet import invite_to_meet_greet
from rvg.recruitment.service import FunnelSummary, write_funnel
from rvg.unit import unit
from tasks.information import keep_information
from tasks.retrying import ON_DATABASE_TROUBLE


@task(name="keep-recruitment", **ON_DATABASE_TROUBLE)
def keep_recruitment(cohort: str, day: date) -> tuple[FunnelSummary, bool]:
    """A run's whole step, in one task run (a run a fortnight, each step small): the funnel,
    the meet & greet invitations when they are due, and whether recruitment is over."""
    keep_information(cohort, day)
    summary = publish_funnel(cohort, day)
    invite_meet_greet(cohort, day)
    return summary, recruitment_done(cohort, day)


def publish_funnel(cohort: str, day: date) -> FunnelSummary:
    """The funnel by stage, track and source (artifact, CSV, HTML) and who is stuck (refs only)."""
    with unit(cohort) as u:
        run = write_funnel(u, day)
        cohort_name = u.cohort.name
    create_table_artifact(
        run.rows,
        key=f"recruitment-funnel-{cohort}",
        description=f"Werving {cohort_name}: funnel op {short_date(day)}",
    )
    if run.stuck:
        create_markdown_artifact(
            "## Sollicitanten die stilstaan\n\n| kenmerk | fase | dagen |\n|---|---|---:|\n"
            + "\n".join(
                f"| {s.applicant_ref} | {STAGE_LABELS[s.stage]} | {s.days} |" for s in run.stuck
            ),
            key=f"recruitment-stuck-{cohort}",
        )
    get_run_logger().info(
        "Funnel of cohort %s on %s: %d applicants, %d stuck",
        cohort,
        day,
        run.applicants,
        len(run.stuck),
    )
    return run.summary(cohort, day)


def invite_meet_greet(cohort: str, day: date) -> int:
    """Invite the selected candidates and the organisations taking part, with an .ics, once."""
    with unit(cohort) as u:
        invited = invite_to_meet_greet(
            u.cohort, u.config.programme, day, session=u.session, settings=u.settings
        )
    if invited.candidates or invited.organisations:
        get_run_logger().info(
            "Meet & greet: %d candidates and %d organisations invited",
            invited.candidates,
            invited.organisations,
        )
    return invited.candidates + invited.organisations


def recruitment_done(cohort: str, day: date) -> bool:
    """Recruitment ends with the meet & greet."""
    with unit(cohort) as u:
        meet = u.cohort.milestone("meet_and_greet")
    return meet is not None and day > meet

"""Tasks of phase 4: the funnel for the team, stuck applicants, meet & greet invitations."""

from __future__ import annotations

from datetime import date, datetime, time

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rvg.config import load_programme
from rvg.db import session_scope
from rvg.migrate import migrated_sessionmaker
from rvg.models import Applicant, Cohort, ContactRole, Track
from rvg.notifications import enqueue
from rvg.recruitment.config import load_recruitment
from rvg.recruitment.funnel import (
    STAGE_LABELS,
    StuckApplicant,
    funnel_applicants,
    funnel_html,
    funnel_table,
    scheduled_events,
    stuck_applicants,
)
from rvg.recruitment.meet_greet import invite_to_meet_greet
from rvg.repositories.cohorts import get_cohort
from rvg.repositories.organisations import contacts_with_role
from rvg.settings import Settings, load_settings
from rvg.spreadsheets import safe_frame


class FunnelSummary(BaseModel):
    cohort: str
    as_of: date
    applicants: int
    stuck: int
    report: str


@task(name="publish-funnel")
def publish_funnel(cohort: str, day: date) -> FunnelSummary:
    """The funnel by stage, track and source (artifact, CSV, HTML) and who is stuck (refs only)."""
    settings = load_settings()
    limits = load_recruitment(settings.config_dir / "recruitment.yaml").stuck_after_days
    programme = load_programme(settings.config_dir / "programme.yaml")
    with session_scope(migrated_sessionmaker(settings)) as session:
        loaded = get_cohort(cohort, session=session)
        applicants = funnel_applicants(
            session.scalars(
                select(Applicant)
                .where(Applicant.cohort_id == loaded.id)
                .options(selectinload(Applicant.stage_history))
            )
        )
        names = {t.code: t.name for t in session.scalars(select(Track))}
        waits_for = scheduled_events(loaded)
        stuck = stuck_applicants(applicants, limits, day, waits_for)
        folder = settings.output_dir / cohort
        folder.mkdir(parents=True, exist_ok=True)
        safe_frame(funnel_table(applicants, by="track", track_names=names)).to_csv(
            folder / "funnel.csv", index=False
        )
        page = folder / "funnel.html"
        page.write_text(
            funnel_html(
                applicants,
                cohort_name=loaded.name,
                as_of=day,
                stuck_after_days=limits,
                track_names=names,
                waits_for=waits_for,
            ),
            encoding="utf-8",
        )
        if stuck:
            _tell_the_team(loaded, stuck, day, programme.programme_organisation, settings, session)
        cohort_name = loaded.name
    create_table_artifact(
        funnel_table(applicants).to_dict("records"),
        key=f"recruitment-funnel-{cohort}",
        description=f"Werving {cohort_name}: funnel op {day:%d-%m-%Y}",
    )
    if stuck:
        create_markdown_artifact(
            "## Sollicitanten die stilstaan\n\n| kenmerk | fase | dagen |\n|---|---|---:|\n"
            + "\n".join(
                f"| {s.applicant_ref} | {STAGE_LABELS[s.stage]} | {s.days} |" for s in stuck
            ),
            key=f"recruitment-stuck-{cohort}",
        )
    get_run_logger().info(
        "Funnel of cohort %s on %s: %d applicants, %d stuck",
        cohort,
        day,
        len(applicants),
        len(stuck),
    )
    return FunnelSummary(
        cohort=cohort, as_of=day, applicants=len(applicants), stuck=len(stuck), report=str(page)
    )


def _tell_the_team(
    cohort: Cohort,
    stuck: list[StuckApplicant],
    day: date,
    programme_org: str,
    settings: Settings,
    session: Session,
) -> None:
    """One e-mail a day to the project team, with applicant refs only (no names)."""
    for contact in contacts_with_role(
        programme_org, ContactRole.PROJECT_TEAM.value, session=session
    ):
        enqueue(
            session,
            key=f"stuck:{cohort.code}:{day.isoformat()}:{contact.id}",
            to=contact.email,
            template="stuck_applicants",
            cohort=cohort,
            due_at=datetime.combine(day, time(8, 30), tzinfo=settings.zone),
            context={
                "contact_name": contact.name,
                "cohort_name": cohort.name,
                "count": len(stuck),
                "date": f"{day:%d-%m-%Y}",
                "stuck": [
                    {"ref": s.applicant_ref, "stage": STAGE_LABELS[s.stage], "days": s.days}
                    for s in stuck
                ],
            },
        )


@task(name="invite-to-meet-greet")
def invite_meet_greet(cohort: str, day: date) -> int:
    """Invite the selected candidates and the organisations taking part, with an .ics, once."""
    settings = load_settings()
    programme = load_programme(settings.config_dir / "programme.yaml")
    with session_scope(migrated_sessionmaker(settings)) as session:
        invited = invite_to_meet_greet(
            get_cohort(cohort, session=session), programme, day, session=session, settings=settings
        )
    if invited.candidates or invited.organisations:
        get_run_logger().info(
            "Meet & greet: %d candidates and %d organisations invited",
            invited.candidates,
            invited.organisations,
        )
    return invited.candidates + invited.organisations


@task(name="recruitment-done")
def recruitment_done(cohort: str, day: date) -> bool:
    """Recruitment ends with the meet & greet."""
    settings = load_settings()
    with session_scope(migrated_sessionmaker(settings)) as session:
        meet = get_cohort(cohort, session=session).milestone("meet_and_greet")
    return meet is not None and day > meet

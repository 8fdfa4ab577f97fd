"""The recruitment steps on the database that the task and the CLI share: the funnel's files
and the project team's e-mail about applicants who are stuck."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rvg.models import Applicant, Cohort, ContactRole, Track
from rvg.notifications import enqueue
from rvg.recruitment.config import RecruitmentConfig
from rvg.recruitment.funnel import (
    STAGE_LABELS,
    StuckApplicant,
    funnel_applicants,
    funnel_html,
    funnel_table,
    scheduled_events,
    stuck_applicants,
)
from rvg.repositories.organisations import contacts_with_role
from rvg.spreadsheets import safe_frame

TEAM_MAIL_TIME = time(8, 30)


@dataclass(frozen=True)
class FunnelRun:
    applicants: int
    stuck: list[StuckApplicant]
    page: Path
    rows: list[dict[str, Any]]  # the funnel by stage, for the team's table


def write_funnel(
    cohort: Cohort,
    day: date,
    folder: Path,
    *,
    recruitment: RecruitmentConfig,
    programme_organisation: str,
    zone: ZoneInfo,
    session: Session,
) -> FunnelRun:
    """funnel.csv and funnel.html in ``folder``; when applicants are stuck, one e-mail that
    day to each of the project team (applicant references only, no names)."""
    applicants = funnel_applicants(
        session.scalars(
            select(Applicant)
            .where(Applicant.cohort_id == cohort.id)
            .options(selectinload(Applicant.stage_history))
        )
    )
    names = {t.code: t.name for t in session.scalars(select(Track))}
    limits = recruitment.stuck_after_days
    waits_for = scheduled_events(cohort)
    stuck = stuck_applicants(applicants, limits, day, waits_for)
    folder.mkdir(parents=True, exist_ok=True)
    safe_frame(funnel_table(applicants, by="track", track_names=names)).to_csv(
        folder / "funnel.csv", index=False
    )
    page = folder / "funnel.html"
    page.write_text(
        funnel_html(
            applicants,
            cohort_name=cohort.name,
            as_of=day,
            stuck_after_days=limits,
            track_names=names,
            waits_for=waits_for,
        ),
        encoding="utf-8",
    )
    if stuck:
        _tell_the_team(cohort, stuck, day, programme_organisation, zone, session)
    rows = funnel_table(applicants).to_dict("records")
    return FunnelRun(len(applicants), stuck, page, rows)


def _tell_the_team(
    cohort: Cohort,
    stuck: list[StuckApplicant],
    day: date,
    programme_organisation: str,
    zone: ZoneInfo,
    session: Session,
) -> None:
    for contact in contacts_with_role(
        programme_organisation, ContactRole.PROJECT_TEAM.value, session=session
    ):
        enqueue(
            session,
            key=f"stuck:{cohort.code}:{day.isoformat()}:{contact.id}",
            to=contact.email,
            template="stuck_applicants",
            cohort=cohort,
            due_at=datetime.combine(day, TEAM_MAIL_TIME, tzinfo=zone),
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

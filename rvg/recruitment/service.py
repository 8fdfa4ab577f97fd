"""The recruitment steps on the database that the task and the CLI share: the funnel's files
and the project team's e-mail about applicants who are stuck."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rvg.dutch import short_date
from rvg.models import Applicant, Cohort, ContactRole
from rvg.notifications import enqueue_to_role
from rvg.recruitment.funnel import (
    STAGE_LABELS,
    StuckApplicant,
    funnel_applicants,
    funnel_html,
    funnel_sheet,
    funnel_table,
    scheduled_events,
    stuck_applicants,
)
from rvg.repositories.organisations import track_names
from rvg.spreadsheets import safe_frame
from rvg.unit import Unit


class FunnelSummary(BaseModel):
    """The funnel on a day, as the recruitment flow returns it."""

    cohort: str
    as_of: date
    applicants: int
    stuck: int
    report: str


@dataclass(frozen=True)
class FunnelRun:
    applicants: int
    stuck: list[StuckApplicant]
    page: Path
    rows: list[dict[str, Any]]  # the funnel by stage, for the team's table

    def summary(self, cohort: str, day: date) -> FunnelSummary:
        return FunnelSummary(
            cohort=cohort,
            as_of=day,
            applicants=self.applicants,
            stuck=len(self.stuck),
            report=str(self.page),
        )


def write_funnel(u: Unit, day: date) -> FunnelRun:
    """funnel.csv and funnel.html in the cohort's output folder; when applicants are stuck,
    one e-mail that day to each of the project team (applicant references only, no names)."""
    cohort, session = u.cohort, u.session
    folder = u.settings.output_dir / cohort.code
    applicants = funnel_applicants(
        session.scalars(
            select(Applicant)
            .where(Applicant.cohort_id == cohort.id)
            .options(selectinload(Applicant.stage_history))
        )
    )
    names = track_names(session=session)
    limits = u.config.recruitment.stuck_after_days
    waits_for = scheduled_events(cohort)
    stuck = stuck_applicants(applicants, limits, day, waits_for)
    folder.mkdir(parents=True, exist_ok=True)
    # Dutch Excel opens a CSV with semicolons and decimal commas as numbers.
    safe_frame(funnel_sheet(applicants, names)).to_csv(
        folder / "funnel.csv", index=False, sep=";", decimal=",", float_format="%.1f"
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
        _tell_the_team(
            cohort, stuck, day, u.config.programme.programme_organisation, u.send_at(day), session
        )
    rows = funnel_table(applicants).to_dict("records")
    return FunnelRun(len(applicants), stuck, page, rows)


def _tell_the_team(
    cohort: Cohort,
    stuck: list[StuckApplicant],
    day: date,
    programme_organisation: str,
    due: datetime,
    session: Session,
) -> None:
    enqueue_to_role(
        session,
        organisation=programme_organisation,
        role=ContactRole.PROJECT_TEAM,
        key=f"stuck:{cohort.code}:{day.isoformat()}",
        template="stuck_applicants",
        cohort=cohort,
        due_at=due,
        context={
            "cohort_name": cohort.name,
            "count": len(stuck),
            "date": short_date(day),
            "stuck": [
                {"ref": s.applicant_ref, "stage": STAGE_LABELS[s.stage], "days": s.days}
                for s in stuck
            ],
        },
    )

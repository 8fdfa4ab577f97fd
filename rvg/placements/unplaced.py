"""Candidates the approved matching did not place: their procedure ends, with thanks.

Without this, a candidate still in ``preferences`` (or any open stage) when the matches are
approved would keep their personal data for ever, because the retention clock starts only
when a procedure ends. On the approval each of them is set to ``rejected`` on that day (the
28-day clock starts, or the consent date), and gets a Dutch e-mail that they were not placed.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.dutch import short_date
from rvg.models import ENDED_STAGES, Applicant, Cohort, Placement, Stage, StageChange
from rvg.notifications import enqueue
from rvg.recruitment.retention import retain_until

CLOSED_STAGES = frozenset({*ENDED_STAGES, Stage.MATCHED, Stage.PLACED})


def close_unplaced(cohort: Cohort, *, session: Session, day: date, due: datetime) -> int:
    """End the procedure of every candidate of ``cohort`` still open and without a placement on
    ``day``, and thank each by e-mail at ``due``; returns how many. Run after the placements of
    the approved matching are made."""
    placed = select(Placement.applicant_id).where(Placement.cohort_id == cohort.id)
    open_candidates = session.scalars(
        select(Applicant)
        .where(
            Applicant.cohort_id == cohort.id,
            Applicant.anonymised_at.is_(None),
            Applicant.stage.not_in(sorted(stage.value for stage in CLOSED_STAGES)),
            Applicant.id.not_in(placed),
        )
        .order_by(Applicant.id)
    ).all()
    for applicant in open_candidates:
        applicant.stage, applicant.stage_date = Stage.REJECTED.value, day
        applicant.stage_history.append(StageChange(stage=Stage.REJECTED.value, entered_on=day))
        applicant.procedure_ended_on = day
        applicant.retain_until = retain_until(day, applicant.consent_until)
        if applicant.email:
            enqueue(
                session,
                key=f"not-placed:{cohort.code}:{applicant.id}",
                to=applicant.email,
                template="not_placed",
                cohort=cohort,
                due_at=due,
                context={
                    "name": applicant.full_name,
                    "cohort_name": cohort.name,
                    "retain_until": short_date(applicant.retain_until),
                },
            )
    session.flush()
    return len(open_candidates)

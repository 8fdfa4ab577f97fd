"""A cohort's actuals from the database: business case, sign-ups, funnel, matching, drop-outs,
survey response and buddy hours. Survey figures respect the small-group rule: whatever the
aggregation suppresses stays ``None`` here."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import and_, select
from sqlalchemy.orm import Session, selectinload

from rvg.business_case.actuals import (
    compared_size,
    contributions,
    cost_comparison,
    current_business_case,
    funding,
    per_participant,
)
from rvg.business_case.report import planned_participants
from rvg.evaluation.aggregate import GROUP_ALL, buddy_hours, nps_figures, response_rates
from rvg.evaluation.data import survey_records
from rvg.models import (
    Applicant,
    CandidatePreference,
    Cohort,
    Commitment,
    CommitmentStatus,
    Placement,
    PlacementStatus,
    Stage,
)
from rvg.recruitment.funnel import STAGE_LABELS, funnel_applicants, stage_figures
from rvg.redesign.proposal import next_code
from rvg.redesign.rules import Actuals
from rvg.repositories.cohorts import find_cohort
from rvg.tendering.config import LotConfig


def _signups(cohort: Cohort, *, session: Session) -> int:
    return len(
        session.scalars(
            select(Commitment.id).where(
                Commitment.cohort_id == cohort.id,
                Commitment.status == CommitmentStatus.COMMITTED.value,
            )
        ).all()
    )


def _previous_signups(cohort: Cohort, *, session: Session) -> int | None:
    if not cohort.code.isdigit():
        return None
    previous = find_cohort(next_code(cohort.code, -1), session=session)
    return _signups(previous, session=session) if previous else None


def _first_choice_share(cohort: Cohort, *, session: Session) -> float | None:
    """Percentage of placements at the organisation the candidate ranked first."""
    ranks = session.scalars(
        select(CandidatePreference.rank)
        .join(
            Placement,
            and_(
                Placement.applicant_id == CandidatePreference.applicant_id,
                Placement.organisation_id == CandidatePreference.organisation_id,
            ),
        )
        .where(Placement.cohort_id == cohort.id)
    ).all()
    return round(100 * sum(rank == 1 for rank in ranks) / len(ranks), 1) if ranks else None


def _survey(
    cohort: Cohort, min_group_size: int, *, session: Session
) -> tuple[float | None, float | None, tuple[tuple[str, float], ...]]:
    """Overall response rate, mean buddy hours a week and the participants' NPS per round
    (never pooled over the rounds: the same person answers each round)."""
    invited, responses = survey_records(session=session)
    own_invited = [i for i in invited if i.cohort == cohort.code]
    own = [r for r in responses if r.cohort == cohort.code]
    rates = response_rates(own_invited, own)
    sent = int(rates["invited"].sum()) if len(rates) else 0
    hours = buddy_hours(own, min_group_size)
    nps = nps_figures(own, min_group_size)
    nps = nps[(nps["audience"] == "participant") & (nps["group"] == GROUP_ALL)]
    rate = round(100 * int(rates["responded"].sum()) / sent, 1) if sent else None
    shown = nps[~nps["suppressed"].astype(bool)] if len(nps) else nps
    per_round = tuple(
        (str(r), round(float(v), 1)) for r, v in zip(shown["round"], shown["nps"], strict=True)
    )
    return rate, _weighted_mean(hours, "mean"), per_round


def _weighted_mean(frame: pd.DataFrame, column: str) -> float | None:
    """The mean over the rounds that are shown, weighted by respondents; None if none is."""
    shown = frame[~frame["suppressed"].astype(bool)] if len(frame) else frame
    if shown.empty:
        return None
    weights = shown["n"].astype(float)
    return round(float((shown[column].astype(float) * weights).sum() / weights.sum()), 1)


def actuals_for(
    cohort: Cohort,
    lots: Sequence[LotConfig],
    *,
    session: Session,
    min_group_size: int = 5,
) -> Actuals:
    """The cohort's actuals; ``lots`` (the procurement's) split its costs by lot."""
    case = current_business_case(cohort, session=session)
    placements = session.scalars(select(Placement).where(Placement.cohort_id == cohort.id)).all()
    placed = len(placements)
    costs = (
        cost_comparison(cohort, case, lots, session=session, size=compared_size(case, placed))
        if case
        else []
    )
    paid = tuple(contributions(cohort, case, session=session)) if case else ()
    applicants = session.scalars(
        select(Applicant)
        .where(Applicant.cohort_id == cohort.id)
        .options(selectinload(Applicant.stage_history))
    ).all()
    response_rate, hours, nps = _survey(cohort, min_group_size, session=session)
    stages = [f for f in stage_figures(funnel_applicants(applicants)) if not f.current]
    reached = {f.stage: f.count for f in stages}
    return Actuals(
        cohort=cohort.code,
        planned_participants=case.planned_participants if case else planned_participants(cohort),
        placements=placed,
        cost_per_participant_planned=case.cost_per_participant if case else None,
        cost_per_participant_at_size=per_participant(costs, placed, actual=False),
        cost_per_participant_actual=per_participant(costs, placed, actual=True),
        cost_lines=tuple(costs),
        contributions=paid,
        funding=funding(costs, paid, case) if case else None,
        signups=_signups(cohort, session=session),
        applicants=len(applicants),
        meet_greet=reached.get(Stage.MEET_GREET, 0),
        matched=reached.get(Stage.MATCHED, 0),
        drop_outs=sum(p.status == PlacementStatus.DROPPED_OUT.value for p in placements),
        first_choice_share=_first_choice_share(cohort, session=session),
        previous_signups=_previous_signups(cohort, session=session),
        response_rate=response_rate,
        buddy_hours_mean=hours,
        nps=nps,
        funnel=tuple(
            (STAGE_LABELS[f.stage], f.count, f.pass_through, f.median_days) for f in stages
        ),
    )

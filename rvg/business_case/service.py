"""Phase 1's steps, each called the same way by the task, the CLI and (later) a web form:
draw up the business case from the cost model and what is awarded or invoiced so far, and
record the steering group's decision on its latest version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import BaseModel

from rvg import clock
from rvg.business_case.actuals import actuals_so_far
from rvg.business_case.decision import BusinessCaseDecision
from rvg.business_case.report import BusinessCaseFigures, build_business_case, write_files
from rvg.history import cohorts_before
from rvg.models import BusinessCase, Cohort
from rvg.repositories.business_cases import decide_business_case, store_business_case
from rvg.repositories.cohorts import Outcome
from rvg.unit import Unit


class BusinessCaseSummary(BaseModel):
    """What phase 1 produced, as the flow returns it."""

    cohort: str
    version: int
    status: str
    planned_participants: int
    target_min: int  # the cohort's size range, pre-filled in the decision form
    target_max: int
    total_cost: float
    cost_per_participant: float
    european_lots: list[str]
    report: str


@dataclass(frozen=True)
class DrawnUp:
    figures: BusinessCaseFigures
    paths: dict[str, Path]
    summary: BusinessCaseSummary | None  # None when not stored (the CLI's files only)
    outcome: Outcome | None


def _summary(
    cohort: Cohort, case: BusinessCase, european: list[str], report: str
) -> BusinessCaseSummary:
    return BusinessCaseSummary(
        cohort=cohort.code,
        target_min=cohort.target_participants_min,
        target_max=cohort.target_participants_max,
        version=case.version,
        status=case.status,
        planned_participants=case.planned_participants,
        total_cost=float(case.total_cost),
        cost_per_participant=float(case.cost_per_participant),
        european_lots=european,
        report=report,
    )


def draw_up(u: Unit, folder: Path, *, store: bool = True) -> DrawnUp:
    """Apply the cost model (with budget against actual per cost line once anything is
    awarded or invoiced) and write the report files to ``folder``; with ``store``, keep a new
    version when the figures changed."""
    procurement = u.config.procurement
    actuals = actuals_so_far(u.cohort, procurement.lots, session=u.session)
    history = cohorts_before(u.cohort, session=u.session)
    figures = build_business_case(
        u.cohort, u.config.costs, procurement, actuals=actuals, history=history
    )
    paths = write_files(figures, folder)
    if not store:
        return DrawnUp(figures, paths, None, None)
    case, outcome = store_business_case(u.cohort, figures, session=u.session)
    european = [lot.lot.value for lot in figures.lots if lot.above_threshold]
    return DrawnUp(figures, paths, _summary(u.cohort, case, european, str(paths["html"])), outcome)


def record_decision(
    u: Unit, decision: BusinessCaseDecision, as_of: date | None
) -> BusinessCaseSummary:
    """The steering group's decision (who, when, why) on the latest version."""
    case = decide_business_case(
        u.cohort,
        BusinessCaseDecision.model_validate(decision.model_dump()),
        session=u.session,
        decided_at=clock.utcnow(as_of, u.settings.zone),
    )
    return _summary(u.cohort, case, [], "")

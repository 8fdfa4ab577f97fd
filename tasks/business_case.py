"""Tasks of phase 1: draw up the business case, publish it, record the steering group's decision."""

from __future__ import annotations

from datetime import date

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from pydantic import BaseModel

from rvg import clock
from rvg.business_case.actuals import actuals_so_far
from rvg.business_case.decision import BusinessCaseDecision
from rvg.business_case.report import (
    build_business_case,
    render_markdown,
    scenario_rows,
    write_files,
)
from rvg.models import BusinessCase, Cohort
from rvg.repositories.business_cases import decide_business_case, store_business_case
from rvg.unit import unit


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


@task(name="draw-up-business-case")
def draw_up_business_case(cohort: str) -> BusinessCaseSummary:
    """Apply the cost model, store a version when it changed, write the report files (with
    budget against actual per cost line once anything is awarded or invoiced)."""
    logger = get_run_logger()
    with unit(cohort) as u:
        procurement = u.config.procurement
        actuals = actuals_so_far(u.cohort, procurement.lots, session=u.session)
        figures = build_business_case(u.cohort, u.config.costs, procurement, actuals=actuals)
        case, outcome = store_business_case(u.cohort, figures, session=u.session)
        paths = write_files(figures, u.settings.output_dir / cohort)
        european = [lot.lot.value for lot in figures.lots if lot.above_threshold]
        summary = _summary(u.cohort, case, european, str(paths["html"]))
    logger.info(
        "Business case %s version %d (%s): %d participants, EUR %.0f per participant; "
        "above the EU threshold of their regime: %s",
        cohort,
        summary.version,
        outcome,
        summary.planned_participants,
        summary.cost_per_participant,
        ", ".join(european) or "none",
    )
    create_markdown_artifact(
        render_markdown(figures),
        key=f"business-case-{cohort}",
        description=f"Business case lichting {cohort}",
    )
    create_table_artifact(
        scenario_rows(figures.scenarios),
        key=f"business-case-scenarios-{cohort}",
        description="Scenario's: kosten naar omvang van de lichting",
    )
    return summary


@task(name="record-business-case-decision")
def record_business_case_decision(
    cohort: str, decision: BusinessCaseDecision, as_of: date | None
) -> BusinessCaseSummary:
    """Store the steering group's decision (who, when, why) on the latest version."""
    with unit(cohort) as u:
        case = decide_business_case(
            u.cohort,
            BusinessCaseDecision.model_validate(decision.model_dump()),
            session=u.session,
            decided_at=clock.utcnow(as_of, u.settings.zone),
        )
        summary = _summary(u.cohort, case, [], "")
    get_run_logger().info(
        "Steering group %s business case %s version %d (range %s-%s)",
        summary.status,
        cohort,
        summary.version,
        decision.min_participants,
        decision.max_participants,
    )
    return summary

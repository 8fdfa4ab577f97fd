"""Tasks of phase 1: draw up the business case, publish it, record the steering group's decision."""

from __future__ import annotations

from datetime import date

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from rvg.business_case.decision import BusinessCaseDecision
from rvg.business_case.report import render_markdown, scenario_rows
from rvg.business_case.service import BusinessCaseSummary, draw_up, record_decision
from rvg.unit import unit
from tasks.retrying import ON_DATABASE_TROUBLE


@task(name="draw-up-business-case", **ON_DATABASE_TROUBLE)
def draw_up_business_case(cohort: str) -> BusinessCaseSummary:
    """Apply the cost model, store a version when it changed, write the report files (with
    budget against actual per cost line once anything is awarded or invoiced)."""
    with unit(cohort) as u:
        drawn = draw_up(u, u.settings.output_dir / cohort)
    summary, figures = drawn.summary, drawn.figures
    assert summary is not None  # stored
    get_run_logger().info(
        "Business case %s version %d (%s): %d participants, EUR %.0f per participant; "
        "above the EU threshold of their regime: %s",
        cohort,
        summary.version,
        drawn.outcome,
        summary.planned_participants,
        summary.cost_per_participant,
        ", ".join(summary.european_lots) or "none",
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


@task(name="record-business-case-decision", **ON_DATABASE_TROUBLE)
def record_business_case_decision(
    cohort: str, decision: BusinessCaseDecision, as_of: date | None
) -> BusinessCaseSummary:
    """Store the steering group's decision (who, when, why) on the latest version."""
    with unit(cohort) as u:
        summary = record_decision(u, decision, as_of)
    get_run_logger().info(
        "Steering group %s business case %s version %d (range %s-%s)",
        summary.status,
        cohort,
        summary.version,
        decision.min_participants,
        decision.max_participants,
    )
    return summary

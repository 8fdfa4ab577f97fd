"""Phase 1: the business case of a cohort, decided by the steering group."""

from __future__ import annotations

from datetime import date

from prefect import flow, get_run_logger
from prefect.input import RunInput

from flows._decisions import DEFAULT_TIMEOUT_SECONDS, ask
from flows._tags import tagged
from rvg.business_case.decision import BusinessCaseDecision
from rvg.business_case.service import BusinessCaseSummary
from rvg.phases import Phase
from tasks.business_case import draw_up_business_case, record_business_case_decision
from tasks.phases import complete_phase


class BusinessCaseDecisionForm(RunInput, BusinessCaseDecision):
    """The steering group's decision, as a form in the Prefect UI."""


@flow(name="business-case", flow_run_name="business-case-{cohort}")
@tagged(Phase.BUSINESS_CASE)
def business_case(
    cohort: str,
    as_of: date | None = None,
    decision: BusinessCaseDecision | None = None,
    decision_timeout_seconds: int = DEFAULT_TIMEOUT_SECONDS,
) -> BusinessCaseSummary:
    """Draw up the business case, let the steering group decide, and announce an approval."""
    logger = get_run_logger()
    summary = draw_up_business_case(cohort)
    if summary.status != "draft":
        logger.info(
            "Business case %s version %d is already %s", cohort, summary.version, summary.status
        )
        return summary
    if decision is None:
        decision = ask(
            BusinessCaseDecisionForm,
            description=(
                f"**Business case lichting {cohort}**, versie {summary.version}: "
                f"{summary.planned_participants} deelnemers, "
                f"EUR {summary.cost_per_participant:,.0f} per deelnemer. "
                "Zie het artefact `business-case-" + cohort + "` voor de volledige business case."
            ),
            timeout_seconds=decision_timeout_seconds,
            min_participants=summary.target_min,
            max_participants=summary.target_max,
        )
    decided = record_business_case_decision(cohort, decision, as_of)
    if decision.approved:
        complete_phase(cohort, Phase.BUSINESS_CASE, as_of)
    return decided.model_copy(
        update={"report": summary.report, "european_lots": summary.european_lots}
    )

"""Phase 8: findings and actions from a cohort's actuals, and the next cohort's proposal."""

from __future__ import annotations

from datetime import date

from prefect import flow, get_run_logger
from prefect.input import RunInput

from flows._decisions import DEFAULT_TIMEOUT_SECONDS, ask
from rvg.phases import Phase
from rvg.redesign.decision import RedesignDecision
from rvg.redesign.service import RedesignSummary
from tasks.phases import complete_phase
from tasks.redesign import adopt_next_cohort, draw_up_redesign, record_redesign_decision


class RedesignDecisionForm(RunInput, RedesignDecision):
    """The project team's decision and lessons, as a form in the Prefect UI."""


@flow(name="redesign", flow_run_name="redesign-{cohort}")
def redesign(
    cohort: str,
    as_of: date | None = None,
    decision: RedesignDecision | None = None,
    decision_timeout_seconds: int = DEFAULT_TIMEOUT_SECONDS,
) -> RedesignSummary:
    """Propose actions and the next cohort; on acceptance the next cohort is created (or
    updated) from the proposal, so its business case can start."""
    summary = draw_up_redesign(cohort, as_of)
    if summary.decision == "accepted":
        get_run_logger().info("The redesign of cohort %s was already accepted", cohort)
        adopt_next_cohort(cohort, as_of)  # unchanged, unless a restart cut it short
        return summary
    if decision is None:
        decision = ask(
            RedesignDecisionForm,
            description=(
                f"**Herontwerp lichting {cohort}**: {len(summary.findings)} bevinding(en); "
                f"voorstel lichting {summary.next_cohort} met {summary.next_target[0]}–"
                f"{summary.next_target[1]} deelnemers. Zie het artefact `redesign-{cohort}`."
            ),
            timeout_seconds=decision_timeout_seconds,
        )
    record_redesign_decision(cohort, decision, as_of)
    summary = draw_up_redesign(cohort, as_of)
    if decision.accepted:
        adopt_next_cohort(cohort, as_of)
        complete_phase(cohort, Phase.REDESIGN, as_of)
    return summary

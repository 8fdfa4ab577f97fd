"""Phase 8: findings and actions from a cohort's actuals, and the next cohort's proposal."""

from __future__ import annotations

from datetime import date

from prefect import flow, get_run_logger
from prefect.input import RunInput
from prefect.runtime import flow_run as runtime_flow_run

from flows._decisions import DEFAULT_TIMEOUT_SECONDS, ask
from flows._tags import tagged
from rvg.phases import Phase
from rvg.redesign.decision import RedesignDecision
from rvg.redesign.service import RedesignSummary
from tasks.phases import complete_phase
from tasks.redesign import adopt_next_cohort, draw_up_redesign, record_redesign_decision


class RedesignDecisionForm(RunInput, RedesignDecision):
    """The project team's decision and lessons, as a form in the Prefect UI."""


def _run_name() -> str:
    parameters = runtime_flow_run.parameters
    stage = parameters.get("stage")
    return f"redesign-{parameters['cohort']}" + (f"-{stage}" if stage else "")


def _question(summary: RedesignSummary) -> str:
    """The form's Markdown: what the proposal is and where to read it."""
    stage = summary.stage
    title = f"Tussentijds herontwerp (na ronde {stage})" if stage else "Herontwerp"
    key = f"redesign-{summary.cohort}" + (f"-{stage}" if stage else "")
    if summary.revises:
        still = summary.changes_open
        offer = (
            f"lichting {summary.next_cohort} loopt al: {still} wijziging(en) nog te besluiten, "
            f"{len(summary.changes) - still} liggen vast"
        )
    else:
        offer = (
            f"voorstel lichting {summary.next_cohort} met {summary.next_target[0]}–"
            f"{summary.next_target[1]} deelnemers"
        )
    return (
        f"**{title} lichting {summary.cohort}**: {len(summary.findings)} bevinding(en); "
        f"{offer}. Zie het artefact `{key}`."
    )


@flow(name="redesign", flow_run_name=_run_name)
@tagged(Phase.REDESIGN)
def redesign(
    cohort: str,
    as_of: date | None = None,
    decision: RedesignDecision | None = None,
    decision_timeout_seconds: int = DEFAULT_TIMEOUT_SECONDS,
    stage: str | None = None,
) -> RedesignSummary:
    """Propose actions and the next cohort; on acceptance the next cohort is created (or
    updated) from the proposal, so its business case can start. ``stage``: an interim
    redesign after that survey round (``m03``, ``m06``), which proposes while the next
    cohort can still change; without it, the final redesign that ends the cycle."""
    summary = draw_up_redesign(cohort, as_of, stage)
    if summary.decision == "accepted":
        get_run_logger().info("This redesign of cohort %s was already accepted", cohort)
        adopt_next_cohort(cohort, as_of, stage)  # unchanged, unless a restart cut it short
        return summary
    if decision is None:
        decision = ask(
            RedesignDecisionForm,
            description=_question(summary),
            timeout_seconds=decision_timeout_seconds,
        )
    record_redesign_decision(cohort, decision, as_of, stage)
    summary = draw_up_redesign(cohort, as_of, stage)
    if decision.accepted:
        adopt_next_cohort(cohort, as_of, stage)
        if stage is None:
            complete_phase(cohort, Phase.REDESIGN, as_of)
    return summary

"""Phase 5: after the meet & greet, a stable matching that no one would want to undo."""

from __future__ import annotations

from datetime import date

from prefect import flow
from prefect.input import RunInput

from flows._decisions import DEFAULT_TIMEOUT_SECONDS, ask
from flows._tags import tagged
from rvg.matching.algorithm import Optimal
from rvg.matching.service import MatchingProposal
from rvg.phases import Phase
from rvg.placements.approval import MatchApproval
from tasks.matching import (
    place_candidates,
    propose_matches,
    record_match_approval,
    write_matching_report,
)
from tasks.phases import complete_phase, refuse_unsafe_as_of


class MatchApprovalForm(RunInput, MatchApproval):
    """The project team's approval of the proposed matches, as a form in the Prefect UI."""


@flow(name="matching", flow_run_name="matching-{cohort}")
@tagged(Phase.MATCHING)
def matching(
    cohort: str,
    as_of: date | None = None,
    decision: MatchApproval | None = None,
    optimal: Optimal = "candidate",
    decision_timeout_seconds: int = DEFAULT_TIMEOUT_SECONDS,
) -> MatchingProposal:
    """Solve per track, let the team approve, then place candidates and tell everyone."""
    refuse_unsafe_as_of(Phase.MATCHING, as_of)
    proposal = propose_matches(cohort, optimal)
    if proposal.placed:
        return proposal
    if decision is None:
        decision = ask(
            MatchApprovalForm,
            description=(
                f"**Koppelingen lichting {cohort}** ({optimal}-optimaal): {proposal.line()}. "
                f"Zie de artefacten `matching-{cohort}` en `matching-ranks-{cohort}`."
            ),
            timeout_seconds=decision_timeout_seconds,
        )
    outcome = record_match_approval(cohort, decision, proposal, as_of)
    write_matching_report(proposal, as_of, outcome)
    if outcome == "approved":
        place_candidates(cohort, proposal, as_of)
        complete_phase(cohort, Phase.MATCHING, as_of)
    return proposal.model_copy(update={"decision": outcome, "placed": outcome == "approved"})

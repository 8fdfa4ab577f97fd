"""Phase 2: organisations sign up for the cohort; at the deadline the steering group decides."""

from __future__ import annotations

from datetime import date

from prefect import flow
from prefect.input import RunInput

from flows._decisions import DEFAULT_TIMEOUT_SECONDS, ask
from flows._tags import tagged
from rvg import clock
from rvg.commitments.collection import CommitmentSummary
from rvg.commitments.rules import GoNoGoDecision
from rvg.errors import UserError
from rvg.phases import Phase
from tasks.commitments import collect_commitments, record_go_no_go
from tasks.phases import complete_phase, refuse_unsafe_as_of


class GoNoGoForm(RunInput, GoNoGoDecision):
    """The steering group's go/no-go, as a form in the Prefect UI."""


@flow(name="commitments", flow_run_name="commitments-{cohort}")
@tagged(Phase.COMMITMENTS)
def commitments(
    cohort: str,
    as_of: date | None = None,
    decision: GoNoGoDecision | None = None,
    decision_timeout_seconds: int = DEFAULT_TIMEOUT_SECONDS,
) -> CommitmentSummary:
    """Invite, remind until the deadline, count, and let the steering group decide go/no-go."""
    refuse_unsafe_as_of(Phase.COMMITMENTS, as_of)
    day = as_of or clock.today()
    summary = collect_commitments(cohort, day)
    if summary.closed and summary.nothing_to_decide and summary.decision is None:
        raise UserError(
            f"cohort {cohort}: the sign-up closed without one organisation invited (no "
            "secretary contacts); import them with `rvg import contacts` and move the deadline"
        )
    if not summary.closed or summary.decision is not None:
        return summary
    if decision is None:
        decision = ask(
            GoNoGoForm,
            description=(
                f"**Lichting {cohort}**: {summary.rule_line}; volgens de regel: "
                f"**{'go' if summary.go_by_rule else 'no-go'}**. "
                "Zie het artefact `commitments-final-" + cohort + "`."
            ),
            timeout_seconds=decision_timeout_seconds,
            go=summary.go_by_rule,
        )
    outcome = record_go_no_go(cohort, decision, summary, as_of)
    if outcome == "go":
        complete_phase(cohort, Phase.COMMITMENTS, as_of)
    return summary.model_copy(update={"decision": outcome})

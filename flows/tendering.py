"""Phase 3: procure the recruitment agency and the training provider for a cohort."""

from __future__ import annotations

from datetime import date

from prefect import flow, get_run_logger
from prefect.input import RunInput

from flows._decisions import DEFAULT_TIMEOUT_SECONDS, ask
from flows._tags import tagged
from rvg import clock
from rvg.phases import Phase
from rvg.tendering.award import AwardCheck, TenderAward, TenderDecisions, award_question
from rvg.tendering.labels import PATH_LABELS
from rvg.tendering.status import LotStatus, TenderingSummary
from tasks.phases import complete_phase, refuse_unsafe_as_of
from tasks.tendering import (
    check_tender_award,
    enqueue_tender_reminders,
    plan_tenders,
    record_tender_award,
)


class TenderAwardForm(RunInput, TenderAward):
    """The award of a lot (or the extension of its contract), as a form in the Prefect UI."""


@flow(name="tendering", flow_run_name="tendering-{cohort}")
@tagged(Phase.TENDERING)
def tendering(
    cohort: str,
    as_of: date | None = None,
    decision: TenderDecisions | None = None,
    decision_timeout_seconds: int = DEFAULT_TIMEOUT_SECONDS,
) -> TenderingSummary:
    """Plan both lots, remind procurement before each milestone, record awards when due."""
    refuse_unsafe_as_of(Phase.TENDERING, as_of)
    day = as_of or clock.today()
    summary = plan_tenders(cohort, day)
    enqueue_tender_reminders(summary)
    awaiting = [lot for lot in summary.lots if lot.awaiting_award(day)]
    for lot in awaiting:
        award = (decision.awards.get(lot.lot) if decision else None) or _ask_award(
            cohort, lot, check_tender_award(cohort, lot.lot, as_of), decision_timeout_seconds
        )
        record_tender_award(cohort, lot.lot, award, as_of)
    if awaiting:
        summary = plan_tenders(cohort, day)
    if summary.covered:
        complete_phase(cohort, Phase.TENDERING, as_of)
    else:
        waiting = [lot.lot for lot in summary.lots if lot.status == "planned"]
        get_run_logger().info("Cohort %s: lots still to be covered: %s", cohort, ", ".join(waiting))
    return summary


def _ask_award(cohort: str, lot: LotStatus, check: AwardCheck, timeout_seconds: int) -> TenderAward:
    starts = dict(lot.milestones).get("contract_start")
    return ask(
        TenderAwardForm,
        description=(
            f"**Lichting {cohort}, perceel {lot.description}**: "
            f"{PATH_LABELS.get(lot.path, lot.path)}. Leg vast met welk contract dit perceel "
            "gedekt is (leverancier, waarde, looptijd en verlengingsopties). "
            + award_question(check)
        ),
        timeout_seconds=timeout_seconds,
        titles={
            "supplier": f"Leverancier van perceel {lot.description}",
            "value_eur": f"Waarde van perceel {lot.description} (euro, excl. btw)",
        },
        **({"supplier": lot.supplier} if lot.supplier else {}),
        **({"starts_on": starts} if starts else {}),
        ends_on=check.needed_until,
    )

"""The tendering steps on the database that the task and the CLI share."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from rvg.business_case.actuals import budget_at, current_business_case, lot_budget
from rvg.dutch import short_date
from rvg.errors import UserError
from rvg.models import Cohort, ContactRole, Tender
from rvg.notifications import enqueue_to_role, reschedule
from rvg.repositories.decisions import latest_decision
from rvg.repositories.organisations import contacts_with_role
from rvg.repositories.tenders import (
    cohort_reservations,
    current_contract,
    record_award,
    tenders_of,
)
from rvg.tendering.award import AwardCheck, TenderAward, award_refusals, award_warnings
from rvg.tendering.labels import MILESTONE_LABELS, PATH_LABELS
from rvg.tendering.planning import LotPath
from rvg.tendering.reminders import milestone_reminders
from rvg.tendering.status import TenderingSummary
from rvg.unit import Unit


def enqueue_milestone_reminders(
    cohort: Cohort,
    summary: TenderingSummary,
    *,
    days_before: Iterable[int],
    programme_organisation: str,
    send_at: Callable[[date], datetime],
    session: Session,
) -> int | None:
    """Remind the programme's procurement contacts before each milestone still ahead of a
    planned lot, at ``send_at`` of the reminder's day; a reminder already queued moves with its
    milestone. The number planned, or
    None when the programme organisation has no procurement contact."""
    if not contacts_with_role(
        programme_organisation, ContactRole.PROCUREMENT.value, session=session
    ):
        return None
    count = 0
    for lot in summary.lots:
        if lot.status != "planned":
            continue
        for reminder in milestone_reminders(
            summary.cohort, lot.lot, lot.milestones, days_before, summary.as_of
        ):
            due_at = send_at(reminder.due_on)
            rows = enqueue_to_role(
                session,
                organisation=programme_organisation,
                role=ContactRole.PROCUREMENT,
                key=reminder.key,
                template="tender_milestone",
                cohort=cohort,
                due_at=due_at,
                context={
                    "cohort": summary.cohort,
                    "lot_description": lot.description,
                    "milestone_label": MILESTONE_LABELS.get(reminder.milestone, reminder.milestone),
                    "milestone_date": short_date(reminder.milestone_on),
                    "days_before": reminder.days_before,
                    "path_label": PATH_LABELS.get(lot.path, lot.path),
                },
            )
            for row in rows:
                if row.due_at != due_at:
                    reschedule(session, key=row.key, due_at=due_at)
            count += len(rows)
    return count


def award_check(u: Unit, lot: str, decided_on: date) -> AwardCheck:
    """What an award of ``lot`` decided on ``decided_on`` is checked against: the business
    case's budget for it, the margin, the period it is needed, and the go."""
    return _check(u, tenders_of(u.cohort, session=u.session)[lot], decided_on)


def _check(u: Unit, tender: Tender, decided_on: date) -> AwardCheck:
    cohort, session, lot = u.cohort, u.session, tender.lot
    procurement = u.config.procurement
    entry = procurement.lot(lot)
    extension = tender.path == LotPath.EXTENSION.value
    case = current_business_case(cohort, session=session)
    budget = (
        lot_budget(budget_at(case, case.planned_participants), entry.cost_codes)
        if case is not None
        else None
    )
    key_dates = {m.name: m.on for m in cohort.milestones}
    go = latest_decision(cohort, "go_no_go", session=session)
    return AwardCheck(
        lot=lot,
        description=entry.description,
        extension=extension,
        budget_eur=budget,
        margin_percent=procurement.rules.award_margin_percent,
        needed_from=entry.needed_from.on(key_dates),
        needed_until=entry.needed_until.on(key_dates),
        covered_from=current_contract(lot, session=session).starts_on if extension else None,
        go_on=go.decided_at.astimezone(u.settings.zone).date()
        if go is not None and go.outcome == "go"
        else None,
        decided_on=decided_on,
        extensions_first=tuple(r.cohort for r in cohort_reservations(cohort, lot, session=session))
        if extension
        else (),
    )


@dataclass(frozen=True)
class Recorded:
    check: AwardCheck
    warnings: list[str]


def record_lot_award(u: Unit, lot: str, award: TenderAward, decided_at: datetime) -> Recorded:
    """Record how ``lot`` is covered, once the award passes its check (the go, the budget);
    the Dutch warnings say what it leaves uncovered."""
    tender = tenders_of(u.cohort, session=u.session)[lot]
    check = _check(u, tender, decided_at.astimezone(u.settings.zone).date())
    refusals = award_refusals(award, check)
    if refusals:
        raise UserError("; ".join(refusals))
    try:
        record_award(u.cohort, tender, award, session=u.session, decided_at=decided_at)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    return Recorded(check, award_warnings(award, check))

"""Contracts and tenders: the register, the stored plan per lot, and awards."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rvg.models import Cohort, Contract, Tender, TenderMilestone, TenderStatus
from rvg.phases import Phase
from rvg.repositories.decisions import latest_decision, record_decision
from rvg.tally import Tally
from rvg.tendering.award import TenderAward
from rvg.tendering.config import ContractRow
from rvg.tendering.planning import LotPath, LotPlan, Reservation


def sync_contracts(rows: Iterable[ContractRow], *, session: Session) -> Tally:
    """Add register rows not yet known (by lot, supplier and start); never overwrites awards."""
    tally = Tally()
    for row in rows:
        existing = session.scalar(
            select(Contract).where(
                Contract.lot == row.lot.value,
                Contract.supplier == row.supplier,
                Contract.starts_on == row.starts_on,
            )
        )
        if existing is not None:
            tally.count("unchanged")
            continue
        session.add(Contract(**row.model_dump(mode="python") | {"lot": row.lot.value}))
        tally.count("imported")
    session.flush()
    return tally


def contracts(*, session: Session) -> list[Contract]:
    return list(session.scalars(select(Contract).order_by(Contract.lot, Contract.starts_on)))


def tenders_of(cohort: Cohort, *, session: Session) -> dict[str, Tender]:
    rows = session.scalars(
        select(Tender).where(Tender.cohort_id == cohort.id).options(selectinload(Tender.milestones))
    )
    return {tender.lot: tender for tender in rows}


def is_fixed(tender: Tender, as_of: date) -> bool:
    """A plan is fixed once awarded or once its first milestone has been reached."""
    if tender.status != TenderStatus.PLANNED.value:
        return True
    return bool(tender.milestones) and min(m.due_on for m in tender.milestones) <= as_of


def store_plan(cohort: Cohort, plan: LotPlan, as_of: date, *, session: Session) -> Tender | None:
    """Store or update the plan of a lot that needs action; a fixed plan is left as it is."""
    tender = tenders_of(cohort, session=session).get(plan.lot.value)
    if tender is not None and is_fixed(tender, as_of):
        return tender
    if plan.path == LotPath.CURRENT_CONTRACT:
        if tender is not None:  # planned earlier, no longer needed
            session.delete(tender)
            session.flush()
        return None
    milestones = list(plan.milestones)
    if plan.decision_date is not None:
        milestones.insert(0, ("decision", plan.decision_date))
    if tender is None:
        tender = Tender(cohort_id=cohort.id, lot=plan.lot.value, path=plan.path.value)
        session.add(tender)
    tender.path = plan.path.value
    tender.extension_options_planned = plan.extension.options_used if plan.extension else None
    tender.extension_until_planned = plan.extension.new_end if plan.extension else None
    wanted = dict(milestones)
    for milestone in list(tender.milestones):
        if milestone.name not in wanted:
            tender.milestones.remove(milestone)
        else:
            milestone.due_on = wanted.pop(milestone.name)
    tender.milestones.extend(TenderMilestone(name=name, due_on=day) for name, day in wanted.items())
    session.flush()
    return tender


def record_award(
    cohort: Cohort,
    tender: Tender,
    award: TenderAward,
    *,
    session: Session,
    decided_at: datetime,
) -> Contract:
    """Link the contract that covers the lot; an extension prolongs the contract in force."""
    if tender.path == LotPath.EXTENSION.value:
        contract = current_contract(tender.lot, session=session)
        # One option per cohort, as planned: an option covers the cohort's whole need, so a
        # training year of 12 months and a week does not take two.
        used = tender.extension_options_planned or 1
        left = contract.extension_options_total - contract.extension_options_used
        if used > left:
            raise ValueError(
                f"lot {tender.lot}: the extension takes {used} option(s); the contract has "
                f"{left} left"
            )
        latest = contract.ends_on + relativedelta(months=used * contract.extension_months)
        latest = max(latest, tender.extension_until_planned or latest)
        first_day = contract.ends_on + timedelta(days=1)
        if award.starts_on != first_day:
            raise ValueError(
                f"lot {tender.lot}: the extension starts on {first_day}, the day after the "
                f"contract ends, not on {award.starts_on}"
            )
        if not contract.ends_on < award.ends_on <= latest:
            raise ValueError(
                f"lot {tender.lot}: the extension ends on {award.ends_on}, but {used} option(s) "
                f"run from {contract.ends_on} to {latest} at most; a later end takes more "
                "options than planned"
            )
        contract.extension_options_used += used
        contract.ends_on = award.ends_on
        contract.value_eur += award.value_eur
    else:
        contract = Contract(
            lot=tender.lot,
            supplier=award.supplier,
            starts_on=award.starts_on,
            ends_on=award.ends_on,
            value_eur=award.value_eur,
            extension_options_total=award.extension_options,
            extension_months=award.extension_months,
            notice_days=award.notice_days,
        )
        session.add(contract)
    session.flush()
    tender.contract_id = contract.id
    tender.status = TenderStatus.AWARDED.value
    record_decision(
        cohort,
        Phase.TENDERING,
        session=session,
        kind=f"award:{tender.lot}",
        outcome=tender.path,
        decided_by=award.decided_by,
        decided_at=decided_at,
        reason=award.comment or None,
        payload=award.model_dump(mode="json"),
    )
    session.flush()
    return contract


def reservations_before(
    lot: str, starts: date | None, *, session: Session, other_than: str | None = None
) -> list[Reservation]:
    """The extension options of ``lot``'s contract that cohorts whose training starts before
    ``starts`` have planned and not yet recorded, the earliest first: reserved for them. A
    cohort that was called off (a no-go) or is history reserves nothing; ``other_than`` is
    the code of the cohort planning (its own plan is no reservation)."""
    rows = session.execute(
        select(Tender, Cohort)
        .join(Cohort, Tender.cohort_id == Cohort.id)
        .where(
            Tender.lot == lot,
            Tender.path == LotPath.EXTENSION.value,
            Tender.status == TenderStatus.PLANNED.value,
            Tender.extension_options_planned.is_not(None),
            Tender.extension_until_planned.is_not(None),
            Cohort.historical.is_(False),
            Cohort.code != (other_than or ""),
        )
    )
    reserved = []
    for tender, other in rows:
        other_starts = other.milestone("training_start") or date.max
        go = latest_decision(other, "go_no_go", session=session)
        if other_starts >= (starts or date.max) or (go is not None and go.outcome == "no_go"):
            continue
        options, until = tender.extension_options_planned, tender.extension_until_planned
        assert options is not None and until is not None  # the query asks for both
        reserved.append(Reservation(other.code, options, until))
    return sorted(reserved, key=lambda r: r.until)


def cohort_reservations(cohort: Cohort, lot: str, *, session: Session) -> list[Reservation]:
    """The options of ``lot``'s contract held for cohorts that start before ``cohort``."""
    starts = cohort.milestone("training_start")
    return reservations_before(lot, starts, session=session, other_than=cohort.code)


def current_contract(lot: str, *, session: Session) -> Contract:
    """The lot's contract that runs longest: the one an extension prolongs."""
    contract = session.scalar(
        select(Contract).where(Contract.lot == lot).order_by(Contract.ends_on.desc()).limit(1)
    )
    if contract is None:
        raise ValueError(f"no contract for lot {lot} to extend")
    return contract

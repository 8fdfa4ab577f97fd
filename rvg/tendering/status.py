"""The procurement status of a cohort's lots: planned fresh, or as stored once fixed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import BaseModel
from sqlalchemy.orm import Session

from rvg.lead_times import Shortfall, tender_warnings
from rvg.models import Cohort, Tender, TenderStatus
from rvg.repositories.cohorts import find_cohort
from rvg.repositories.tenders import (
    cohort_reservations,
    contracts,
    is_fixed,
    reservations_before,
    store_plan,
    sync_contracts,
    tenders_of,
)
from rvg.tendering.config import ProcurementConfig
from rvg.tendering.planning import (
    ContractTerms,
    LotAssessment,
    LotPath,
    LotPlan,
    assess_lots,
    plan_lot,
    tender_date,
)

# The milestone at which the team records how a lot is covered, per procurement path.
AWARD_MILESTONE = {
    "extension": "decision",
    "open_procedure": "award_decision",
    "social_services": "award_decision",
}

if TYPE_CHECKING:
    from rvg.business_case.costing import CostModel


class LotStatus(BaseModel):
    lot: str
    description: str
    regime: str
    value_eur: Decimal  # a new contract's estimated value, options included
    threshold_eur: int  # the EU threshold of the lot's regime on the tender date
    path: str
    status: str
    feasible: bool
    milestones: list[tuple[str, date]]
    notes: list[str]
    supplier: str | None = None

    @property
    def award_due(self) -> date | None:
        """When the team records how the lot is covered: the decision or the award decision."""
        wanted = AWARD_MILESTONE.get(self.path)
        return next((day for name, day in self.milestones if name == wanted), None)

    def awaiting_award(self, as_of: date) -> bool:
        due = self.award_due
        return self.status == "planned" and due is not None and due <= as_of


class TenderingSummary(BaseModel):
    cohort: str
    as_of: date
    lots: list[LotStatus]

    @property
    def covered(self) -> bool:
        return all(lot.status in ("current_contract", "awarded") for lot in self.lots)


def lot_status(plan: LotPlan, tender: Tender | None, assessment: LotAssessment) -> LotStatus:
    """The stored tender when there is one (it may be fixed), else the fresh plan."""
    description = assessment.description
    valued = {
        "regime": assessment.regime.value,
        "value_eur": assessment.value,
        "threshold_eur": assessment.threshold.amount,
    }
    if tender is None:
        milestones = list(plan.milestones)
        if plan.decision_date is not None:
            milestones.insert(0, ("decision", plan.decision_date))
        current = plan.path == LotPath.CURRENT_CONTRACT
        return LotStatus(
            lot=plan.lot.value,
            description=description,
            **valued,
            path=plan.path.value,
            status="current_contract" if current else "planned",
            feasible=plan.feasible,
            milestones=milestones,
            notes=list(plan.notes),
            supplier=plan.supplier,
        )
    same_path = plan.path.value == tender.path
    return LotStatus(
        lot=tender.lot,
        description=description,
        **valued,
        path=tender.path,
        status=tender.status,
        feasible=plan.feasible if same_path else True,
        milestones=[(m.name, m.due_on) for m in sorted(tender.milestones, key=lambda m: m.due_on)],
        notes=list(plan.notes) if same_path else [],
        supplier=plan.supplier,
    )


def contract_register(procurement: ProcurementConfig, *, session: Session) -> list[ContractTerms]:
    """The contracts in the database, else those of ``config/contracts.yaml`` (not yet synced)."""
    return [*contracts(session=session)] or [*procurement.contracts]


def supply_shortfalls(
    key_dates: Mapping[str, date],
    size: int,
    as_of: date,
    procurement: ProcurementConfig,
    costs: CostModel,
    *,
    session: Session,
    cohort: str | None = None,
) -> list[Shortfall]:
    """The lots that no contract in the register, extension or new tender published from
    ``as_of`` supplies in time for a cohort of at most ``size`` with these key dates; for an
    existing ``cohort``, not the lots awarded for it already."""
    register = contract_register(procurement, session=session)
    amounts = costs.per_participant_amounts()
    starts = key_dates.get("training_start")
    reserved = {
        lot.lot.value: reservations_before(lot.lot.value, starts, session=session)
        for lot in procurement.lots
    }
    existing = find_cohort(cohort, session=session) if cohort else None
    tenders = tenders_of(existing, session=session) if existing else {}
    settled = {lot for lot, t in tenders.items() if t.status == TenderStatus.AWARDED}
    return tender_warnings(
        key_dates, size, as_of, procurement, amounts, register, reserved, settled
    )


def plan_cohort(
    cohort: Cohort,
    procurement: ProcurementConfig,
    per_participant_amounts: Mapping[str, Decimal | float],
    as_of: date,
    *,
    session: Session,
    store: bool = True,
) -> TenderingSummary:
    """Plan every lot as of ``as_of``; with ``store``, keep the plans that are not yet fixed.

    Each lot is valued with the cost model's ``per_participant_amounts`` at the cohort's
    largest allowed size, options included, against the threshold of its regime.
    """
    if store:
        sync_contracts(procurement.contracts, session=session)
    register = contract_register(procurement, session=session)
    stored = tenders_of(cohort, session=session)
    key_dates = {m.name: m.on for m in cohort.milestones}
    earliest = tender_date(cohort) + timedelta(days=1)
    assessments = assess_lots(cohort, procurement, per_participant_amounts)
    lots = []
    for lot, assessment in zip(procurement.lots, assessments, strict=True):
        reserved = cohort_reservations(cohort, lot.lot.value, session=session)
        plan = plan_lot(
            lot, register, key_dates, as_of, earliest, procurement.rules, assessment, reserved
        )
        if store:
            tender = store_plan(cohort, plan, as_of, session=session)
        else:
            existing = stored.get(lot.lot.value)
            tender = existing if existing is not None and is_fixed(existing, as_of) else None
        lots.append(lot_status(plan, tender, assessment))
    return TenderingSummary(cohort=cohort.code, as_of=as_of, lots=lots)

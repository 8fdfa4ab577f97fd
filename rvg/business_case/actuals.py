"""What a cohort actually cost, per cost line, next to its business case: the cost register
that the business-case report (once anything is awarded or invoiced) and the redesign show.

Per lot the actual cost is the lot's invoices, else the value the lot was awarded at for this
cohort, else its budget; the programme's other costs are the invoices without a lot, else
their budget. Every line says which (``basis``), so a budget standing in for an actual is
never mistaken for one. The cost per participant is the actual total over the placements.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rvg.models import (
    BusinessCase,
    BusinessCaseStatus,
    Cohort,
    CostCategory,
    Invoice,
    Organisation,
    Placement,
)
from rvg.repositories.decisions import latest_decision
from rvg.tendering.config import LotConfig

BASIS_LABELS = {"invoices": "facturen", "award": "gunning", "budget": "begroot"}
OTHER = "Overige kosten (voorbereiding, projectteam, locatie, netwerk)"


@dataclass(frozen=True)
class CostComparison:
    label: str
    budget: Decimal
    actual: Decimal
    basis: str  # invoices, award or budget

    @property
    def basis_label(self) -> str:
        return BASIS_LABELS[self.basis]


def current_business_case(cohort: Cohort, *, session: Session) -> BusinessCase | None:
    """The latest approved version, else the latest version."""
    cases = session.scalars(
        select(BusinessCase)
        .where(BusinessCase.cohort_id == cohort.id)
        .order_by(BusinessCase.version.desc())
    ).all()
    approved = [c for c in cases if c.status == BusinessCaseStatus.APPROVED.value]
    preferred = approved or list(cases)
    return preferred[0] if preferred else None


def actuals_so_far(
    cohort: Cohort, lots: Sequence[LotConfig], *, session: Session
) -> tuple[CostComparison, ...]:
    """Budget against actual per cost line, once anything is awarded or invoiced; else none
    (a table of budgets standing in for actuals would say nothing)."""
    case = current_business_case(cohort, session=session)
    if case is None:
        return ()
    lines = cost_comparison(cohort, case, lots, session=session)
    return tuple(lines) if any(line.basis != "budget" for line in lines) else ()


def cost_comparison(
    cohort: Cohort, case: BusinessCase, lots: Sequence[LotConfig], *, session: Session
) -> list[CostComparison]:
    """One line per lot (its cost codes as the budget) and one for the rest."""
    budget_of = {
        line.code: line.amount * case.planned_participants
        if line.category == CostCategory.PER_PARTICIPANT.value
        else line.amount
        for line in case.cost_lines
    }
    invoiced = dict(
        session.execute(
            select(Invoice.lot, func.sum(Invoice.amount_eur))
            .where(Invoice.cohort_id == cohort.id)
            .group_by(Invoice.lot)
        ).all()
    )
    lines = []
    in_lots: set[str] = set()
    for entry in lots:
        lot, label, codes = entry.lot.value, entry.description, entry.cost_codes
        in_lots.update(codes)
        budget = sum((budget_of.get(code, Decimal(0)) for code in codes), Decimal(0))
        award = latest_decision(cohort, f"award:{lot}", session=session)
        if invoiced.get(lot) is not None:
            lines.append(CostComparison(label, budget, Decimal(invoiced[lot]), "invoices"))
        elif award is not None and award.payload.get("value_eur") is not None:
            value = Decimal(str(award.payload["value_eur"]))
            lines.append(CostComparison(label, budget, value, "award"))
        else:
            lines.append(CostComparison(label, budget, budget, "budget"))
    rest = sum((v for code, v in budget_of.items() if code not in in_lots), Decimal(0))
    if invoiced.get(None) is not None:
        lines.append(CostComparison(OTHER, rest, Decimal(invoiced[None]), "invoices"))
    else:
        lines.append(CostComparison(OTHER, rest, rest, "budget"))
    return lines


def actual_cost_per_participant(lines: Sequence[CostComparison], placements: int) -> Decimal | None:
    if not placements:
        return None
    total = sum((line.actual for line in lines), Decimal(0))
    return (total / placements).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Contribution:
    """What an organisation is invoiced: the business case's contribution per participant
    for each participant it hosts (a drop-out included: the place was taken)."""

    organisation: str
    placements: int
    amount: Decimal


def contributions(cohort: Cohort, case: BusinessCase, *, session: Session) -> list[Contribution]:
    rows = session.execute(
        select(Organisation.name, func.count(Placement.id))
        .join(Placement, Placement.organisation_id == Organisation.id)
        .where(Placement.cohort_id == cohort.id)
        .group_by(Organisation.name)
        .order_by(Organisation.name)
    ).all()
    each = case.contribution_per_participant
    return [Contribution(name, count, each * count) for name, count in rows]

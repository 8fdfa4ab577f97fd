"""What a cohort actually cost, per cost line, next to its business case: the cost register
that the business-case report (once anything is awarded or invoiced) and the redesign show.

Per lot the actual cost is the lot's invoices, else the value the lot was awarded at for this
cohort, else its budget; the programme's other costs are the invoices without a lot, else
their budget. Every line says which (``basis``), so a budget standing in for an actual is
never mistaken for one. The budget is taken at the size the cohort really has once it is
placed (the per-participant lines times the placements), so a bigger cohort is not read as an
overrun. The cost per participant is the actual total over the placements.

What covers the cost (:class:`Funding`): the contributions invoiced to the hosting
organisations and the co-funding the business case counted on; what is left is the gap that
somebody (in practice the province) still has to cover.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rvg.business_case.costing import CostItem, CostModel
from rvg.dutch import number
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

# Where a line's actual amount comes from; a budget standing in is marked loudly in the tables.
BASIS_LABELS = {
    "invoices": "facturen",
    "award": "gunning",
    "budget": "begroting, geen werkelijk bedrag",
}
OTHER = "Overige kosten (voorbereiding, projectteam, locatie, netwerk)"


@dataclass(frozen=True)
class CostComparison:
    label: str
    budget: Decimal  # at ``size`` participants
    actual: Decimal
    basis: str  # invoices, award or budget
    size: int  # the participants the budget is read at
    remark: str = ""  # what the award decision said about the go and the budget
    codes: tuple[str, ...] = ()  # the cost model's items the line's budget is made of

    @property
    def ratio(self) -> Decimal | None:
        """Actual over budget; None while the line has no actual amount of its own."""
        if self.basis == "budget" or self.budget <= 0:
            return None
        return self.actual / self.budget

    @property
    def basis_label(self) -> str:
        label = BASIS_LABELS[self.basis]
        return f"{label}; {self.remark}" if self.remark else label


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


def placements_of(cohort: Cohort, *, session: Session) -> int:
    """The cohort's placements, drop-outs included (the place was taken)."""
    return int(session.scalar(select(func.count()).where(Placement.cohort_id == cohort.id)) or 0)


def compared_size(case: BusinessCase, placements: int) -> int:
    """The size the budget is read at: the placements once there are any, else the plan."""
    return placements or case.planned_participants


def actuals_so_far(
    cohort: Cohort, lots: Sequence[LotConfig], *, session: Session
) -> tuple[CostComparison, ...]:
    """Budget against actual per cost line, once anything is awarded or invoiced; else none
    (a table of budgets standing in for actuals would say nothing)."""
    case = current_business_case(cohort, session=session)
    if case is None:
        return ()
    size = compared_size(case, placements_of(cohort, session=session))
    lines = cost_comparison(cohort, case, lots, session=session, size=size)
    return tuple(lines) if any(line.basis != "budget" for line in lines) else ()


def budget_at(case: BusinessCase, size: int) -> dict[str, Decimal]:
    """Each cost line of the business case for a cohort of ``size``: a per-participant amount
    times the size, a fixed amount as it is."""
    return {
        line.code: line.amount * size
        if line.category == CostCategory.PER_PARTICIPANT.value
        else line.amount
        for line in case.cost_lines
    }


def award_remark(payload: Mapping[str, object]) -> str:
    """What an award decision said beyond its value, as the cost tables show it (Dutch)."""
    parts = []
    if payload.get("risk_before_go_accepted"):
        parts.append("besloten vóór de go, de stuurgroep nam het risico")
    reason = str(payload.get("over_budget_reason") or "").strip()
    if reason:
        parts.append(f"boven het budget: {reason}")
    return "; ".join(parts)


def lot_budget(budget_of: Mapping[str, Decimal], codes: Iterable[str]) -> Decimal:
    """A lot's budget: the sum of its cost codes' lines (``budget_at``)."""
    return sum((budget_of.get(code, Decimal(0)) for code in codes), Decimal(0))


def cost_comparison(
    cohort: Cohort,
    case: BusinessCase,
    lots: Sequence[LotConfig],
    *,
    session: Session,
    size: int,
) -> list[CostComparison]:
    """One line per lot (its cost codes as the budget) and one for the rest, the budget at
    ``size`` participants."""
    budget_of = budget_at(case, size)
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
        budget = lot_budget(budget_of, codes)
        award = latest_decision(cohort, f"award:{lot}", session=session)
        remark = award_remark(award.payload) if award is not None else ""
        if invoiced.get(lot) is not None:
            actual = Decimal(invoiced[lot])
            lines.append(
                CostComparison(label, budget, actual, "invoices", size, remark, tuple(codes))
            )
        elif award is not None and award.payload.get("value_eur") is not None:
            value = Decimal(str(award.payload["value_eur"]))
            lines.append(CostComparison(label, budget, value, "award", size, remark, tuple(codes)))
        else:
            lines.append(CostComparison(label, budget, budget, "budget", size, codes=tuple(codes)))
    others = tuple(code for code in budget_of if code not in in_lots)
    rest = sum((budget_of[code] for code in others), Decimal(0))
    if invoiced.get(None) is not None:
        actual = Decimal(invoiced[None])
        lines.append(CostComparison(OTHER, rest, actual, "invoices", size, codes=others))
    else:
        lines.append(CostComparison(OTHER, rest, rest, "budget", size, codes=others))
    return lines


@dataclass(frozen=True)
class Revision:
    """How one cost line's items were revised for the next cohort (Dutch label)."""

    label: str
    ratio: Decimal
    basis: str


def revised_model(
    model: CostModel, lines: Sequence[CostComparison], cohort: str
) -> tuple[CostModel, tuple[Revision, ...]]:
    """``model`` with the items of every cost line that has an actual amount scaled by that
    line's actual over its budget: the next cohort priced on what this one really cost, not
    on the old estimate. A line still at its budget keeps its amounts. Each revised item's
    source says so, and the revisions are returned for the report."""
    ratio_of: dict[str, Decimal] = {}
    revisions = []
    for line in lines:
        ratio = line.ratio
        if ratio is None or ratio == 1:
            continue
        revisions.append(Revision(line.label, ratio, line.basis))
        ratio_of.update(dict.fromkeys(line.codes, ratio))

    def scaled(items: Sequence[CostItem]) -> list[CostItem]:
        return [
            item.model_copy(
                update={
                    "amount": (item.amount * ratio_of[item.code]).quantize(Decimal("0.01")),
                    "source": f"{item.source} Herzien naar de werkelijke kosten van lichting "
                    f"{cohort}: × {number(ratio_of[item.code], 3)}.",
                }
            )
            if item.code in ratio_of
            else item
            for item in items
        ]

    revised = model.model_copy(
        update={
            "fixed_per_cohort": scaled(model.fixed_per_cohort),
            "per_participant": scaled(model.per_participant),
            "project_management_per_cohort": scaled(model.project_management_per_cohort),
        }
    )
    return revised, tuple(revisions)


def per_participant(
    lines: Sequence[CostComparison], placements: int, *, actual: bool
) -> Decimal | None:
    """The actual (or budgeted) total of ``lines`` over the placements; None without any."""
    if not placements:
        return None
    total = sum((line.actual if actual else line.budget for line in lines), Decimal(0))
    return (total / placements).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Funding:
    """Who pays the actual cost: the organisations' contributions, the co-funding the business
    case counted on, and what neither covers (negative: more came in than was spent)."""

    actual_cost: Decimal
    contributions: Decimal
    cofunding: Decimal

    @property
    def gap(self) -> Decimal:
        return self.actual_cost - self.contributions - self.cofunding

    @property
    def uncovered(self) -> bool:
        """Whether a euro or more of the actual cost is covered by nobody."""
        return self.gap >= 1


def cofunding_of(case: BusinessCase) -> Decimal:
    """The co-funding the business case counted on (``costs.yaml``, ``cofunding_per_cohort``,
    when it was drawn up): its total less what the organisations pay at its planned size, in
    whole euros (the contribution per participant was rounded to the cent)."""
    paid = case.contribution_per_participant * case.planned_participants
    return max(case.total_cost - paid, Decimal(0)).quantize(Decimal(1))


def funding(
    lines: Sequence[CostComparison], contributions: Sequence[Contribution], case: BusinessCase
) -> Funding:
    return Funding(
        actual_cost=sum((line.actual for line in lines), Decimal(0)),
        contributions=sum((c.amount for c in contributions), Decimal(0)),
        cofunding=cofunding_of(case),
    )


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

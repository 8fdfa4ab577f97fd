"""Recording how a lot was procured: the award of a tender or the exercise of an extension,
and what an award is checked against before it is recorded.

Two rules of the seed hold the money: a tender decision is only taken once the go has shown
there are enough organisations (before it, only when the steering group explicitly takes that
risk), and an award well above the business case's budget for the lot needs its reason in the
decision. A contract that does not cover the whole period the lot is needed is warned about.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field, WithJsonSchema, model_validator

from rvg.dutch import counted, euro, number, short_date


class TenderAward(BaseModel):
    """The contract that covers a lot for this cohort, as the team records it."""

    supplier: str = Field(
        min_length=2, max_length=200, title="Leverancier", description="Gegunde leverancier"
    )
    # A plain number in the form (a Decimal would show as "number or text").
    value_eur: Annotated[Decimal, WithJsonSchema({"type": "number", "minimum": 0})] = Field(
        ge=0, title="Waarde (euro)", description="Waarde van de opdracht in euro, excl. btw"
    )
    starts_on: date = Field(title="Ingangsdatum", description="Ingangsdatum van het contract")
    ends_on: date = Field(
        title="Einddatum", description="Einddatum van het contract (zonder verlengingen)"
    )
    extension_options: int = Field(
        ge=0, le=10, title="Verlengingsopties", description="Aantal verlengingsopties"
    )
    extension_months: int = Field(
        default=12, ge=1, le=60, title="Duur van een verlenging (maanden)"
    )
    notice_days: int = Field(default=90, ge=0, le=365, title="Opzegtermijn (dagen)")
    decided_by: str = Field(
        min_length=2, max_length=200, title="Gegund door", description="Naam en rol"
    )
    comment: str = Field(default="", max_length=2000, title="Toelichting")
    over_budget_reason: str = Field(
        default="",
        max_length=2000,
        title="Reden van een waarde boven het budget",
        description="Verplicht als de waarde meer dan de marge boven het budget van de "
        "business case voor dit perceel ligt",
    )
    risk_before_go_accepted: bool = Field(
        default=False,
        title="Besluit vóór de go: de stuurgroep neemt het risico",
        description="Verplicht als dit besluit valt voordat de go is gegeven: dan ligt er geld "
        "vast zonder dat vaststaat dat genoeg organisaties meedoen",
    )

    @model_validator(mode="after")
    def _term_ordered(self) -> TenderAward:
        if self.starts_on >= self.ends_on:
            raise ValueError("starts_on must fall before ends_on")
        return self


class TenderDecisions(BaseModel):
    """Awards given in advance, per lot, so the tendering flow can run unattended."""

    awards: dict[str, TenderAward] = Field(default_factory=dict)


class AwardCheck(BaseModel):
    """What an award of one lot is checked against: the business case's budget for the lot
    (None without a business case), the margin above it that needs no reason, the period the
    lot is needed, the day of the go (None: not given yet) and the day of the decision."""

    lot: str
    description: str
    extension: bool  # the decision exercises an option of the contract in force
    budget_eur: Decimal | None
    margin_percent: float
    needed_from: date
    needed_until: date
    covered_from: date | None = None  # an extension: the start of the contract it prolongs
    go_on: date | None
    decided_on: date
    # an extension: earlier cohorts whose planned extension of the same contract is not yet
    # recorded; theirs comes first
    extensions_first: tuple[str, ...] = ()

    @property
    def before_go(self) -> bool:
        return self.go_on is None or self.decided_on < self.go_on

    @property
    def reason_above(self) -> Decimal | None:
        """The value above which an award needs its reason: the budget plus the margin; None
        without a budget."""
        if self.budget_eur is None:
            return None
        return self.budget_eur * (100 + Decimal(str(self.margin_percent))) / 100

    def needs_reason(self, award: TenderAward) -> bool:
        limit = self.reason_above
        return limit is not None and award.value_eur > limit


def award_refusals(award: TenderAward, check: AwardCheck) -> list[str]:
    """Why this award may not be recorded as it stands; empty when it may."""
    problems = []
    if check.before_go and not award.risk_before_go_accepted:
        when = f"before the go of {check.go_on}" if check.go_on else "before the go/no-go"
        problems.append(
            f"lot {check.lot}: the decision of {check.decided_on} falls {when}; it commits "
            "money before enough organisations are known to take part. Decide after the go, "
            "or record that the steering group takes that risk (risk_before_go_accepted)"
        )
    if check.extensions_first:
        cohorts = ", ".join(check.extensions_first)
        problems.append(
            f"lot {check.lot}: the extension planned for cohort(s) {cohorts} uses the "
            "contract's option(s) before this one and is not recorded yet; record that "
            "extension first, then this one"
        )
    if check.needs_reason(award) and not award.over_budget_reason.strip():
        problems.append(
            f"lot {check.lot}: the award of EUR {award.value_eur:,.0f} lies more than "
            f"{check.margin_percent:g}% above the business case's budget of "
            f"EUR {check.budget_eur or 0:,.0f}; give the reason (over_budget_reason)"
        )
    return problems


def award_warnings(award: TenderAward, check: AwardCheck) -> list[str]:
    """What the team should be warned about when recording this award (Dutch)."""
    warnings = []
    if award.extension_options == 0 and not check.extension:
        warnings.append(
            "Dit contract heeft geen verlengingsoptie: voor de volgende lichting is een "
            "volledig nieuwe aanbesteding nodig. Dat is de gepubliceerde les uit de "
            "eerste lichtingen."
        )
    starts = check.covered_from or award.starts_on
    gaps = []
    if starts > check.needed_from:
        gaps.append(f"de {counted((starts - check.needed_from).days, 'dag', 'dagen')} ervoor")
    if award.ends_on < check.needed_until:
        gaps.append(f"de {counted((check.needed_until - award.ends_on).days, 'dag', 'dagen')} erna")
    if gaps:
        one_day = len(gaps) == 1 and gaps[0].startswith("de 1 dag ")
        warnings.append(
            f"Het contract loopt van {short_date(starts)} tot en met "
            f"{short_date(award.ends_on)}, maar het perceel is nodig van "
            f"{short_date(check.needed_from)} tot en met {short_date(check.needed_until)}: "
            f"{' en '.join(gaps)} {'is' if one_day else 'zijn'} niet gedekt."
        )
    return warnings


def award_markdown(award: TenderAward, check: AwardCheck) -> str:
    """The award as the team reads it afterwards: budget, award, difference, the go."""
    budget = check.budget_eur
    kind = "verlenging" if check.extension else "gunning"
    lines = [
        f"## {kind.capitalize()}: {check.description}",
        "",
        "| | |",
        "|---|---:|",
        f"| Leverancier | {award.supplier} |",
        "| Budget in de business case | "
        + (euro(budget) if budget is not None else "geen business case")
        + " |",
        f"| Waarde van de {kind} | {euro(award.value_eur)} |",
    ]
    if budget is not None:
        difference = award.value_eur - budget
        share = f" ({number(float(100 * difference / budget), 0)}%)" if budget else ""
        sign = "+" if difference > 0 else ""
        lines.append(f"| Verschil | {sign}{euro(difference)}{share} |")
    lines += [
        f"| Looptijd | {short_date(award.starts_on)} tot en met {short_date(award.ends_on)} |",
        f"| Besloten | {short_date(check.decided_on)} door {award.decided_by} |",
        "| Go van de lichting | "
        + (f"{short_date(check.go_on)}" if check.go_on else "nog niet gegeven")
        + (" — besluit vóór de go, de stuurgroep neemt het risico" if check.before_go else "")
        + " |",
        "",
    ]
    if award.over_budget_reason.strip():
        lines += [f"Reden van de waarde boven het budget: {award.over_budget_reason.strip()}", ""]
    if award.comment.strip():
        lines += [f"Toelichting: {award.comment.strip()}", ""]
    return "\n".join(lines)


def award_question(check: AwardCheck) -> str:
    """What the award form says above its fields (Dutch Markdown): the budget and its margin,
    the period to cover and whether the go has been given."""
    parts = [
        f"Het perceel is nodig van {short_date(check.needed_from)} tot en met "
        f"{short_date(check.needed_until)}."
    ]
    if check.budget_eur is not None and check.reason_above is not None:
        parts.append(
            f"Budget in de business case: {euro(check.budget_eur)}. Ligt de waarde boven "
            f"{euro(check.reason_above)} (meer dan {number(check.margin_percent)}% erboven), "
            "vul dan de reden in."
        )
    if check.before_go:
        parts.append(
            "**De go is nog niet gegeven.** Een besluit nu legt geld vast voordat vaststaat dat "
            "genoeg organisaties meedoen; neem het alleen als de stuurgroep dat risico "
            "uitdrukkelijk neemt, en vink dat aan."
        )
    return " ".join(parts)

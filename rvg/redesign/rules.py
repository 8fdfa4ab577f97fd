"""Findings rules of the redesign: a cohort's actuals against ``config/redesign.yaml``.

Every rule compares one actual figure with a threshold and, when it is crossed, yields a Dutch
finding with the action proposed for the next cohort. A figure that is unknown (``None``, for
instance a survey figure withheld for a too small group) never produces a finding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from rvg.config._files import load_model
from rvg.dutch import euro

if TYPE_CHECKING:
    from rvg.business_case.actuals import Contribution, CostComparison, Funding


class RedesignRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    planned_buddy_hours_per_week: float = Field(gt=0)
    min_response_rate: float = Field(ge=0, le=100)
    min_signups: int = Field(ge=1)
    max_dropout_rate: float = Field(ge=0, le=100)
    min_first_choice_share: float = Field(ge=0, le=100)
    max_cost_overrun: float = Field(ge=0)
    min_participants: int = Field(ge=1)
    target_margin: float = Field(ge=0, lt=100)
    # the survey rounds after which an interim redesign proposes (or revises) the next cohort
    interim_after: tuple[str, ...] = ("m03", "m06")
    # too few sign-ups: the next cohort's sign-up opens this many weeks earlier
    signup_weeks_earlier: int = Field(default=4, ge=0, le=26)


def load_rules(path: Path) -> RedesignRules:
    return load_model(path, RedesignRules)


@dataclass(frozen=True)
class Actuals:
    """What a cohort achieved, next to what its business case planned. Rates are percentages."""

    cohort: str
    planned_participants: int
    placements: int
    cost_per_participant_planned: Decimal | None
    cost_per_participant_actual: Decimal | None
    signups: int
    applicants: int
    meet_greet: int
    matched: int
    drop_outs: int
    response_rate: float | None
    buddy_hours_mean: float | None
    nps: tuple[tuple[str, float], ...]  # the participants' NPS per round (round code, NPS)
    first_choice_share: float | None = None
    previous_signups: int | None = None
    cost_lines: tuple[CostComparison, ...] = ()  # budget against actual, per cost line
    contributions: tuple[Contribution, ...] = ()  # invoiced to each hosting organisation
    # the business case's cost per participant at the size the cohort had (its placements)
    cost_per_participant_at_size: Decimal | None = None
    funding: Funding | None = None  # who pays the actual cost, and the gap
    # the recruitment funnel: (stage in Dutch, applicants who reached it, % of the stage
    # before, median days in the stage), in the order of the six selection steps
    funnel: tuple[tuple[str, int, float | None, float | None], ...] = ()

    @property
    def dropout_rate(self) -> float | None:
        return round(100 * self.drop_outs / self.placements, 1) if self.placements else None


@dataclass(frozen=True)
class Finding:
    code: str
    finding: str
    action: str


def _pct(value: float) -> str:
    return f"{value:.0f}%"


def _buddy_hours(a: Actuals, r: RedesignRules) -> Finding | None:
    hours = a.buddy_hours_mean
    if hours is None or hours <= r.planned_buddy_hours_per_week:
        return None
    return Finding(
        "buddy_hours",
        f"Buddy's besteden gemiddeld {hours:.1f} uur per week, gepland was "
        f"{r.planned_buddy_hours_per_week:g} uur.",
        "Meer intervisie voor buddy's en de verwachte tijdsbesteding vooraf met de "
        "organisaties afspreken.",
    )


def _response(a: Actuals, r: RedesignRules) -> Finding | None:
    if a.response_rate is None or a.response_rate >= r.min_response_rate:
        return None
    return Finding(
        "response_rate",
        f"De respons op de enquêtes was {_pct(a.response_rate)}, "
        f"minder dan de beoogde {_pct(r.min_response_rate)}.",
        "Een kortere enquête met alleen de kernvragen, en de enquête tijdens een "
        "bijeenkomst laten invullen.",
    )


def _signups(a: Actuals, r: RedesignRules) -> Finding | None:
    if a.signups >= r.min_signups:
        return None
    return Finding(
        "signups",
        f"{a.signups} organisaties meldden zich aan, minder dan de gewenste {r.min_signups}.",
        "De wervingscampagne onder organisaties eerder starten en gemeentesecretarissen "
        "persoonlijk benaderen.",
    )


def _dropouts(a: Actuals, r: RedesignRules) -> Finding | None:
    rate = a.dropout_rate
    if rate is None or rate <= r.max_dropout_rate:
        return None
    return Finding(
        "dropouts",
        f"{a.drop_outs} van de {a.placements} deelnemers vielen uit ({_pct(rate)}), "
        f"meer dan {_pct(r.max_dropout_rate)}.",
        "Eerder signaleren met maandelijkse talentcoaching vanaf de start en "
        "exitgesprekken met wie uitvalt.",
    )


def _first_choice(a: Actuals, r: RedesignRules) -> Finding | None:
    share = a.first_choice_share
    if share is None or share >= r.min_first_choice_share:
        return None
    return Finding(
        "first_choice",
        f"{_pct(share)} van de geplaatste kandidaten kwam bij hun eerste keus terecht, "
        f"minder dan {_pct(r.min_first_choice_share)}.",
        "Meer ruimte op de meet & greet voor kennismaking en organisaties vragen om "
        "vacatures in beide leerlijnen.",
    )


def _cost(a: Actuals, r: RedesignRules) -> Finding | None:
    """The actual cost per participant against the business case at the size the cohort had:
    a bigger cohort costs less per participant, so the plan's size would hide an overrun."""
    planned = a.cost_per_participant_at_size or a.cost_per_participant_planned
    actual = a.cost_per_participant_actual
    if planned is None or actual is None or not planned:
        return None
    overrun = float(100 * (actual - planned) / planned)
    if overrun <= r.max_cost_overrun:
        return None
    finding = (
        f"De kosten per deelnemer kwamen {_pct(overrun)} hoger uit dan in de business case "
        f"bij dezelfde omvang: {euro(actual)} tegen {euro(planned)} bij {a.placements} "
        f"deelnemers (business case: {a.planned_participants} deelnemers, "
        f"{euro(a.cost_per_participant_planned or 0)} per deelnemer)."
    )
    action = (
        "De volgende business case rekenen met de werkelijke omvang en de werving richten "
        "op het volledig vullen van de vacatures."
    )
    over = max(a.cost_lines, key=lambda line: line.actual - line.budget, default=None)
    if over is not None and over.actual > over.budget:
        finding += (
            f" De grootste afwijking: {over.label}, {euro(over.actual)} ({over.basis_label}) "
            f"tegen {euro(over.budget)} begroot."
        )
        action = (
            f"De volgende business case rekenen met de werkelijke kosten van {over.label} "
            "en met de werkelijke omvang; de raming van het perceel herzien vóór de "
            "aanbesteding."
        )
    return Finding("cost", finding, action)


def _funding(a: Actuals, r: RedesignRules) -> Finding | None:
    """The contributions and the co-funding against the actual cost: a gap nobody covers."""
    money = a.funding
    if money is None or not money.uncovered:
        return None
    return Finding(
        "funding",
        f"De bijdragen van de organisaties ({euro(money.contributions)}) en de cofinanciering "
        f"({euro(money.cofunding)}) dekken {euro(money.gap)} van de werkelijke kosten "
        f"({euro(money.actual_cost)}) niet.",
        "De stuurgroep legt vast wie dit tekort dekt (in de regel de provincie) en neemt de "
        "cofinanciering op in config/costs.yaml (cofunding_per_cohort), of rekent de bijdrage "
        "per deelnemer van de volgende lichting met de werkelijke kosten.",
    )


RULES: tuple[Callable[[Actuals, RedesignRules], Finding | None], ...] = (
    _signups,
    _first_choice,
    _dropouts,
    _buddy_hours,
    _response,
    _cost,
    _funding,
)


def findings(actuals: Actuals, rules: RedesignRules) -> list[Finding]:
    """The findings of every rule that fires, in the order of the cycle."""
    return [found for rule in RULES if (found := rule(actuals, rules)) is not None]

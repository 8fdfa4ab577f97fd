"""The cost model of a cohort: pure functions over ``config/costs.yaml``.

Costs come in three kinds: fixed per cohort, per participant, and project management per
cohort. The fixed and project-management costs are shared, which is why the cost per
participant falls as the cohort grows. Salaries are outside the model (one scale and step for
every participant, wherever they work) and only enter the comparison with interim hiring,
in which a trainee replaces part of an interim's work: the productive share of each month
rises over the training year (``ramp_up``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from rvg.config._files import load_model

CENT = Decimal("0.01")


class CostItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[a-z_]+$")
    description: str = Field(min_length=2)
    amount: Decimal = Field(ge=0)
    source: str = Field(min_length=5)


class Amount(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    amount: Decimal = Field(ge=0)
    source: str = Field(min_length=5)


class Salary(BaseModel):
    """The one salary of every career switcher: a scale and step of the CAO Gemeenten."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cao: str = Field(min_length=5)  # e.g. "cao Gemeenten 2025-2027"
    cao_year: int = Field(ge=2020, le=2100)
    scale: int = Field(ge=1, le=18)
    step: int = Field(ge=0, le=20)
    annual_employer_cost: Decimal = Field(gt=0)
    source: str = Field(min_length=5)

    @property
    def label(self) -> str:
        return f"schaal {self.scale}.{self.step}, {self.cao}, salaristabel {self.cao_year}"

    @property
    def monthly_employer_cost(self) -> Decimal:
        return self.annual_employer_cost / 12


class RampStep(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    from_month: int = Field(ge=1, le=12)
    productive_share: Decimal = Field(gt=0, le=1)


class RampUp(BaseModel):
    """How much of an interim's work a trainee does, from which month of the training year;
    from the last step on (and after the year) that share holds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    steps: list[RampStep] = Field(min_length=1)
    source: str = Field(min_length=5)

    @model_validator(mode="after")
    def _from_the_first_month_rising(self) -> RampUp:
        months = [step.from_month for step in self.steps]
        if months[0] != 1 or months != sorted(set(months)):
            raise ValueError("steps start at from_month 1 and follow each other month by month")
        shares = [step.productive_share for step in self.steps]
        if shares != sorted(shares):
            raise ValueError("the productive share may not fall over the year")
        return self

    def share(self, month: int) -> Decimal:
        """The productive share in ``month`` (1 is the first month of the training year)."""
        return [step.productive_share for step in self.steps if step.from_month <= month][-1]

    @property
    def first_year_share(self) -> Decimal:
        return sum((self.share(month) for month in range(1, 13)), Decimal(0)) / 12


class Interim(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    hourly_rate: Decimal = Field(gt=0)
    hours_per_year: int = Field(gt=0, le=2080)
    source: str = Field(min_length=5)

    @property
    def annual_cost(self) -> Decimal:
        return self.hourly_rate * self.hours_per_year


class ScenarioRange(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min_participants: int = Field(ge=1)
    max_participants: int = Field(ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> ScenarioRange:
        if self.min_participants > self.max_participants:
            raise ValueError("min_participants is larger than max_participants")
        return self


class CostModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fixed_per_cohort: list[CostItem]
    per_participant: list[CostItem] = Field(min_length=1)
    project_management_per_cohort: list[CostItem]
    cofunding_per_cohort: Amount
    salary: Salary
    ramp_up: RampUp
    interim: Interim
    scenarios: ScenarioRange

    @model_validator(mode="after")
    def _unique_codes(self) -> CostModel:
        codes = [item.code for item in self.items()]
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        if duplicates:
            raise ValueError(f"cost codes must be unique: {', '.join(duplicates)}")
        return self

    def items(self) -> list[CostItem]:
        return [*self.fixed_per_cohort, *self.per_participant, *self.project_management_per_cohort]

    def per_participant_amounts(self) -> dict[str, Decimal]:
        return {item.code: item.amount for item in self.per_participant}


def load_cost_model(path: Path) -> CostModel:
    return load_model(path, CostModel)


def cost_model_text(model: CostModel, header: str) -> str:
    """``model`` as the text of a ``costs.yaml`` (amounts as exact decimals, every source
    kept), ``header`` as its opening comment: a cohort's own cost rules written by a
    decision rather than by hand."""
    comment = "".join(f"# {line}\n" for line in header.splitlines())
    body = yaml.safe_dump(
        model.model_dump(mode="json"), allow_unicode=True, sort_keys=False, width=100
    )
    return comment + body


@dataclass(frozen=True)
class CohortCost:
    """What a cohort of ``participants`` costs, every figure derived from the cost model."""

    participants: int
    fixed: Decimal
    variable: Decimal
    project_management: Decimal
    total: Decimal
    per_participant: Decimal
    contribution_per_participant: Decimal
    interim_per_placement: Decimal  # the interim work a trainee replaces in the first year
    programme_per_placement: Decimal
    saving_per_placement: Decimal
    payback_months: Decimal


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


PAYBACK_HORIZON_MONTHS = 120


def payback_months(model: CostModel, programme_cost: Decimal) -> Decimal:
    """The months after which the interim work a trainee replaced, less the salary, has paid
    for ``programme_cost``; each month counts its productive share (``ramp_up``), the month
    itself pro rata. Infinity when that never happens within ten years."""
    interim_monthly = model.interim.annual_cost / 12
    salary_monthly = model.salary.monthly_employer_cost
    paid = Decimal(0)
    for month in range(1, PAYBACK_HORIZON_MONTHS + 1):
        net = model.ramp_up.share(month) * interim_monthly - salary_monthly
        if net > 0 and paid + net >= programme_cost:
            return Decimal(month - 1) + (programme_cost - paid) / net
        paid += net
    return Decimal("Infinity")


def cohort_cost(model: CostModel, participants: int) -> CohortCost:
    """Total and per-participant cost, and the comparison with interim staff.

    In the first year a trainee replaces the interim work of their productive share of each
    month; the programme's cost per placement is one year's salary plus the cost per
    participant, and the saving is the replaced interim work less that. The payback counts
    the same months forward (``payback_months``).
    """
    if participants < 1:
        raise ValueError("a cohort has at least one participant")
    fixed = sum((i.amount for i in model.fixed_per_cohort), Decimal(0))
    per_head = sum((i.amount for i in model.per_participant), Decimal(0))
    management = sum((i.amount for i in model.project_management_per_cohort), Decimal(0))
    variable = per_head * participants
    total = fixed + variable + management
    per_participant = total / participants
    contribution = (total - model.cofunding_per_cohort.amount) / participants
    interim = model.interim.annual_cost * model.ramp_up.first_year_share
    programme = model.salary.annual_employer_cost + per_participant
    payback = payback_months(model, per_participant)
    return CohortCost(
        participants=participants,
        fixed=money(fixed),
        variable=money(variable),
        project_management=money(management),
        total=money(total),
        per_participant=money(per_participant),
        contribution_per_participant=money(max(contribution, Decimal(0))),
        interim_per_placement=money(interim),
        programme_per_placement=money(programme),
        saving_per_placement=money(interim - programme),
        payback_months=payback.quantize(Decimal("0.1")) if payback.is_finite() else payback,
    )


SCENARIO_COLUMNS = [
    "participants",
    "total_cost",
    "cost_per_participant",
    "contribution_per_participant",
    "interim_cost_per_placement",
    "programme_cost_per_placement",
    "saving_per_placement",
    "payback_months",
]


def scenarios(model: CostModel, sizes: range | None = None) -> pd.DataFrame:
    """One row per cohort size (default: the configured range, 12 to 60)."""
    sizes = sizes or range(model.scenarios.min_participants, model.scenarios.max_participants + 1)
    rows = []
    for size in sizes:
        cost = cohort_cost(model, size)
        rows.append(
            [
                size,
                cost.total,
                cost.per_participant,
                cost.contribution_per_participant,
                cost.interim_per_placement,
                cost.programme_per_placement,
                cost.saving_per_placement,
                cost.payback_months,
            ]
        )
    frame = pd.DataFrame(rows, columns=SCENARIO_COLUMNS)
    return frame.astype({column: float for column in SCENARIO_COLUMNS[1:]})

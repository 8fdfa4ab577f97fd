"""The cost model of a cohort: pure functions over ``config/costs.yaml``.

Costs come in three kinds: fixed per cohort, per participant, and project management per
cohort. The fixed and project-management costs are shared, which is why the cost per
participant falls as the cohort grows. Salaries are outside the model (one scale for every
participant) and only enter the comparison with interim hiring.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
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
    model_config = ConfigDict(extra="forbid", frozen=True)

    scale: str
    annual_employer_cost: Decimal = Field(gt=0)
    source: str = Field(min_length=5)


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
    interim_per_placement: Decimal
    programme_per_placement: Decimal
    saving_per_placement: Decimal
    payback_months: Decimal


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def cohort_cost(model: CostModel, participants: int) -> CohortCost:
    """Total and per-participant cost, and the comparison with a year of interim staff.

    The programme's cost per placement is one year's salary plus the cost per participant;
    the payback is how many months of the interim-versus-salary difference pay for the
    programme's cost per participant.
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
    interim = model.interim.annual_cost
    programme = model.salary.annual_employer_cost + per_participant
    monthly_difference = (interim - model.salary.annual_employer_cost) / 12
    payback = (
        per_participant / monthly_difference if monthly_difference > 0 else Decimal("Infinity")
    )
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

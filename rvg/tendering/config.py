"""``config/contracts.yaml``: procurement lead times, EU thresholds, the lots and the register."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from rvg.config._files import load_model
from rvg.config.cohort import REQUIRED_KEY_DATES
from rvg.models.tendering import Lot

_FROZEN = ConfigDict(extra="forbid", frozen=True)
# Directive 2014/24/EU art. 53(2): answers to suppliers' questions reach every supplier at the
# latest six days before the tender deadline.
ANSWERS_MINIMUM_DAYS = 6
CpvCode = Annotated[str, Field(pattern=r"^\d{8}-\d$")]


class Regime(StrEnum):
    """The procurement regime of a lot, decided by the CPV code of its main part."""

    STANDARD = "standard"  # Directive 2014/24/EU art. 4(c): open procedure above the threshold
    SOCIAL_SERVICES = "social_services"  # Annex XIV, art. 4(d) and 74-76: light-touch regime


class ProcurementRules(BaseModel):
    """Lead times of a procurement.

    In the file each rule is ``{value: ..., source: ...}``; the values become the fields and
    the sources are kept in ``sources``. Code and tests may give plain values.
    """

    model_config = _FROZEN

    min_tender_days: int = Field(ge=1)
    min_tender_days_electronic: int = Field(ge=1)
    electronic_submission: bool
    social_services_tender_days: int = Field(ge=1)
    questions_days_before_deadline: int = Field(ge=0)
    answers_days_before_deadline: int
    evaluation_working_days: int = Field(ge=0)
    standstill_days: int = Field(ge=0)
    signature_working_days_before_start: int = Field(ge=0)
    reminder_days_before: list[Annotated[int, Field(ge=1)]] = Field(default_factory=list)
    extension_decision_working_days_before_notice: int = Field(ge=0)
    award_margin_percent: float = Field(default=10, ge=0, le=100)
    sources: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _split_sources(cls, data: Any) -> Any:
        if not isinstance(data, dict) or "sources" in data:
            return data
        values: dict[str, Any] = {}
        sources: dict[str, Any] = {}
        for name, item in data.items():
            if isinstance(item, dict) and set(item) <= {"value", "source"} and "value" in item:
                values[name] = item["value"]
                if "source" in item:
                    sources[name] = item["source"]
            else:
                values[name] = item
        return {**values, "sources": sources}

    @model_validator(mode="after")
    def _every_rule_has_a_source(self, info: ValidationInfo) -> ProcurementRules:
        if not (info.context or {}).get("require_sources"):
            return self
        fields = [name for name in type(self).model_fields if name != "sources"]
        missing = [name for name in fields if name not in self.sources]
        if missing:
            raise ValueError(f"give {', '.join(missing)} as {{value: ..., source: ...}}")
        return self

    @model_validator(mode="after")
    def _questions_within_tender_period(self) -> ProcurementRules:
        shortest = min(
            self.min_tender_days, self.min_tender_days_electronic, self.social_services_tender_days
        )
        if self.questions_days_before_deadline >= shortest:
            raise ValueError(
                "questions_days_before_deadline must be shorter than the tender period"
            )
        if self.answers_days_before_deadline < ANSWERS_MINIMUM_DAYS:
            raise ValueError(
                f"answers_days_before_deadline must be at least {ANSWERS_MINIMUM_DAYS}: the "
                "answers reach every supplier at the latest six days before the tender "
                "deadline (Directive 2014/24/EU art. 53(2))"
            )
        if self.answers_days_before_deadline >= self.questions_days_before_deadline:
            raise ValueError(
                "answers_days_before_deadline must be shorter than questions_days_before_deadline"
            )
        return self

    def tender_days(self, regime: Regime = Regime.STANDARD) -> int:
        """The tender period of the regime, in calendar days after publication: the open
        procedure's legal minimum (electronic or not), or the reasonable period chosen for the
        social and other specific services."""
        if regime == Regime.SOCIAL_SERVICES:
            return self.social_services_tender_days
        return (
            self.min_tender_days_electronic if self.electronic_submission else self.min_tender_days
        )


class Threshold(BaseModel):
    """The EU thresholds for services in force from ``valid_from`` to ``until``.

    Every period ends: the Commission revises the thresholds every two years, so a plan in a
    later period is warned that its threshold is not yet published.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    valid_from: date = Field(alias="from")
    until: date
    services: int = Field(gt=0)
    social_services: int = Field(gt=0)
    source: str = Field(min_length=2)

    @model_validator(mode="after")
    def _ordered(self) -> Threshold:
        if self.until < self.valid_from:
            raise ValueError(f"until ({self.until}) falls before from ({self.valid_from})")
        return self

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.until

    def amount(self, regime: Regime) -> int:
        return self.social_services if regime == Regime.SOCIAL_SERVICES else self.services


class RegimeChoice(BaseModel):
    """A lot's regime and why: the CPV code of its main part and the annex it is (not) in."""

    model_config = _FROZEN

    value: Regime
    source: str = Field(min_length=2)


class KeyDateOffset(BaseModel):
    """A day counted from one of the cohort's key dates (negative ``offset_days``: before it)."""

    model_config = _FROZEN

    milestone: str
    offset_days: int
    source: str = Field(min_length=2)

    @field_validator("milestone")
    @classmethod
    def _every_cohort_has_it(cls, milestone: str) -> str:
        if milestone not in REQUIRED_KEY_DATES:
            raise ValueError(
                f"unknown key date {milestone!r}; valid: {', '.join(REQUIRED_KEY_DATES)}"
            )
        return milestone

    def on(self, key_dates: Mapping[str, date]) -> date:
        """The day for a cohort with these key dates."""
        if self.milestone not in key_dates:
            raise ValueError(f"the cohort has no key date {self.milestone!r}")
        return key_dates[self.milestone] + timedelta(days=self.offset_days)


class NewContractTerms(BaseModel):
    """What a new tender for a lot will contain."""

    model_config = _FROZEN

    initial_cohorts: int = Field(ge=1)
    extension_options: int = Field(ge=0)
    extension_months: int = Field(ge=1)
    notice_days: int = Field(ge=0)
    source: str = Field(min_length=2)

    @property
    def cohorts_including_options(self) -> int:
        """The cohorts the contract may serve; each extension option serves one more cohort."""
        return self.initial_cohorts + self.extension_options


class LotConfig(BaseModel):
    model_config = _FROZEN

    lot: Lot
    description: str = Field(min_length=2)
    cpv_codes: list[CpvCode] = Field(min_length=1)  # the main part's code first
    regime: RegimeChoice
    cost_codes: list[str] = Field(min_length=1)
    needed_from: KeyDateOffset
    needed_until: KeyDateOffset
    new_contract: NewContractTerms

    @field_validator("cost_codes", "cpv_codes")
    @classmethod
    def _unique(cls, codes: list[str]) -> list[str]:
        if len(set(codes)) != len(codes):
            raise ValueError("a code is listed twice")
        return codes


class ContractRow(BaseModel):
    """A contract in the register; ``ends_on`` includes the extensions already used."""

    model_config = _FROZEN

    lot: Lot
    supplier: str = Field(min_length=2, max_length=200)
    starts_on: date
    ends_on: date
    value_eur: Decimal = Field(ge=0)
    extension_options_total: int = Field(ge=0)
    extension_options_used: int = Field(ge=0)
    extension_months: int = Field(ge=0)
    notice_days: int = Field(ge=0)

    @model_validator(mode="after")
    def _consistent(self) -> ContractRow:
        if self.starts_on >= self.ends_on:
            raise ValueError(f"starts_on ({self.starts_on}) must fall before ends_on")
        if self.extension_options_used > self.extension_options_total:
            raise ValueError(
                f"extension_options_used ({self.extension_options_used}) is more than "
                f"extension_options_total ({self.extension_options_total})"
            )
        return self


class ProcurementConfig(BaseModel):
    model_config = _FROZEN

    rules: ProcurementRules
    eu_thresholds: list[Threshold] = Field(min_length=1)
    lots: list[LotConfig]
    contracts: list[ContractRow] = Field(default_factory=list)

    @field_validator("eu_thresholds")
    @classmethod
    def _periods_follow_each_other(cls, periods: list[Threshold]) -> list[Threshold]:
        for earlier, later in pairwise(periods):
            if earlier.until >= later.valid_from:
                raise ValueError(
                    f"periods must be in order without overlap: the period from "
                    f"{earlier.valid_from} runs into the one from {later.valid_from}"
                )
        return periods

    @field_validator("lots")
    @classmethod
    def _one_entry_per_lot(cls, lots: list[LotConfig]) -> list[LotConfig]:
        listed = [entry.lot for entry in lots]
        twice = sorted({lot for lot in listed if listed.count(lot) > 1})
        missing = [lot for lot in Lot if lot not in listed]
        if twice:
            raise ValueError(f"lot(s) listed twice: {', '.join(twice)}")
        if missing:
            raise ValueError(f"lot(s) missing: {', '.join(missing)}")
        return lots

    def lot(self, lot: Lot | str) -> LotConfig:
        """The configuration of one lot (every lot has one)."""
        found = next((entry for entry in self.lots if entry.lot == lot), None)
        if found is None:
            raise KeyError(f"no lot {lot!r} in the procurement configuration")
        return found


def load_procurement(path: Path) -> ProcurementConfig:
    """Read ``config/contracts.yaml``; every rule must say where its figure comes from."""
    return load_model(path, ProcurementConfig, {"require_sources": True})

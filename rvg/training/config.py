"""``config/training.yaml``: the programme rules the schedule of a training year is built from.

Dates are relative to the cohort's training start, so one file serves every cohort. Month
``n`` is the ``n``-th month of the training year (month 1 begins on the training start); a
slot such as ``{weekday: 3, week: 2}`` is the second Thursday from the start of that month.
Closed periods are ``MM-DD`` ranges that hold every year (a range may run over New Year).
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from rvg.config._files import load_model

Weekday = Annotated[int, Field(ge=0, le=4, description="0 = Monday ... 4 = Friday")]
Month = Annotated[int, Field(ge=1, le=12, description="month of the training year")]
MonthDay = Annotated[str, Field(pattern=r"^\d{2}-\d{2}$", description="MM-DD, every year")]
Title = Annotated[str, Field(min_length=2, max_length=200)]


def _ascending(values: list[int]) -> list[int]:
    if values != sorted(set(values)):
        raise ValueError("must be distinct and ascending")
    return values


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Slot(_Rule):
    """The ``week``-th ``weekday`` counted from the first day of a month of the training year."""

    weekday: Weekday
    week: int = Field(ge=1, le=4, description="4 at most, so the day stays inside the month")


class Timed(_Rule):
    """Where a session takes place and when on its day (in the programme's time zone)."""

    start: time
    end: time
    location: str = Field(min_length=2, max_length=200)

    @model_validator(mode="after")
    def _ordered(self) -> Timed:
        if self.start >= self.end:
            raise ValueError(f"start ({self.start:%H:%M}) must be before end ({self.end:%H:%M})")
        return self


class FirstBlock(Timed):
    """Training days at the provincial office; the other weekdays are spent at the organisation."""

    weeks: int = Field(ge=1, le=6)
    training_weekdays: list[list[Weekday]] = Field(description="the training weekdays per week")
    day_titles: list[Title] = Field(description="one title per training day, in order")
    closing_weekday: Weekday = Field(
        description="in the last week, after its training days: knowledge test and bus tour"
    )

    @model_validator(mode="after")
    def _days_fit(self) -> FirstBlock:
        if len(self.training_weekdays) != self.weeks:
            raise ValueError(f"training_weekdays needs one list per week ({self.weeks})")
        for number, days in enumerate(self.training_weekdays, start=1):
            if not days or days != sorted(set(days)):
                raise ValueError(f"week {number}: weekdays must be distinct and ascending")
        last_week = self.training_weekdays[-1]
        if self.closing_weekday <= last_week[-1]:
            raise ValueError("closing_weekday must come after the last week's training days")
        province_days = [*[len(days) for days in self.training_weekdays[:-1]], len(last_week) + 1]
        if max(province_days) > 4:
            raise ValueError("every week keeps at least one day at the organisation (4 at most)")
        if len(self.day_titles) != self.training_days:
            raise ValueError(
                f"day_titles has {len(self.day_titles)} titles for {self.training_days} days"
            )
        return self

    @property
    def training_days(self) -> int:
        return sum(len(days) for days in self.training_weekdays)


class SingleSession(Timed):
    title: Title


class OneOff(SingleSession):
    """A session held once, in a given month of the training year."""

    month: Month
    slot: Slot


class MonthlySeries(SingleSession):
    """The same session once in each of the listed months."""

    months: list[Month] = Field(min_length=1)
    slot: Slot

    _months = field_validator("months")(_ascending)


class ThemeSessions(Timed):
    """Block 2: in each listed month one session per slot, the themes taken in order."""

    months: list[Month] = Field(min_length=1)
    slots: list[Slot] = Field(min_length=1, description="as many as there are sessions a month")
    themes: list[Title] = Field(min_length=10)

    _months = field_validator("months")(_ascending)

    @model_validator(mode="after")
    def _distinct(self) -> ThemeSessions:
        if len(set(self.slots)) != len(self.slots):
            raise ValueError("slots must be distinct")
        if len(set(self.themes)) != len(self.themes):
            raise ValueError("themes must be distinct")
        return self


class ContractingMoment(_Rule):
    key: str = Field(pattern=r"^[a-z][a-z0-9-]{0,19}$")
    title: Title
    month: Month
    slot: Slot


class Contracting(Timed):
    """Conversations of participant, buddy and manager, at the participant's organisation."""

    moments: list[ContractingMoment] = Field(min_length=1)

    @field_validator("moments")
    @classmethod
    def _unique_keys(cls, moments: list[ContractingMoment]) -> list[ContractingMoment]:
        if len({moment.key for moment in moments}) != len(moments):
            raise ValueError("moment keys must be unique")
        return moments


class ClosedPeriod(_Rule):
    """Days without sessions every year, ``first_day`` to ``last_day`` inclusive."""

    name: str = Field(min_length=2)
    first_day: MonthDay
    last_day: MonthDay

    @field_validator("first_day", "last_day")
    @classmethod
    def _real_day(cls, value: str) -> str:
        month, day = (int(part) for part in value.split("-"))
        try:
            date(2000, month, day)  # a leap year, so 02-29 is allowed
        except ValueError:
            raise ValueError(f"{value} is not a day of the year (MM-DD)") from None
        return value

    def contains(self, day: date) -> bool:
        first, last, wanted = self.first_day, self.last_day, f"{day:%m-%d}"
        if first <= last:
            return first <= wanted <= last
        return wanted >= first or wanted <= last  # over New Year


class TrainingRules(_Rule):
    first_block: FirstBlock
    knowledge_test: SingleSession = Field(description="on the closing day of the first block")
    bus_tour: SingleSession = Field(description="on the closing day, after the knowledge test")
    theme_sessions: ThemeSessions
    resilience_training: OneOff
    talent_coaching: MonthlySeries
    intervision: MonthlySeries
    buddy_intervision: MonthlySeries
    contracting: Contracting
    closing_event: OneOff
    closed_periods: list[ClosedPeriod] = []

    @model_validator(mode="after")
    def _closing_day_in_order(self) -> TrainingRules:
        if self.knowledge_test.end > self.bus_tour.start:
            raise ValueError("the knowledge test must end before the bus tour starts")
        return self

    def is_closed(self, day: date) -> bool:
        """True when ``day`` falls in one of the closed periods."""
        return any(period.contains(day) for period in self.closed_periods)


def load_training(path: Path) -> TrainingRules:
    """The training rules; ConfigError naming the file and field when one is wrong."""
    return load_model(path, TrainingRules)

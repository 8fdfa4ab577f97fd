"""Which reminders the procurement contact gets before each tender milestone."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from rvg.workdays import previous_working_day


@dataclass(frozen=True)
class MilestoneReminder:
    key: str
    lot: str
    milestone: str
    milestone_on: date
    days_before: int
    due_on: date


def milestone_reminders(
    cohort: str,
    lot: str,
    milestones: Iterable[tuple[str, date]],
    days_before: Iterable[int],
    as_of: date,
) -> list[MilestoneReminder]:
    """A reminder ``n`` days before each milestone still ahead, on the working day before when
    that is a weekend or a holiday (``days_before`` then says the real number); ones already
    late are left out."""
    offsets = sorted(set(days_before), reverse=True)
    reminders = []
    for name, day in milestones:
        for offset in offsets:
            due = previous_working_day(day - timedelta(days=offset))
            if due >= as_of:
                key = f"tender:{cohort}:{lot}:{name}:{offset}d"
                reminders.append(MilestoneReminder(key, lot, name, day, (day - due).days, due))
    return reminders

"""The dated programme of a cohort's training year, built from the training rules.

Pure and deterministic: the same training start, rules and closed days give the same list.
Every session has a ``key`` that names it within the cohort whatever its date
(``block1-day-03``, ``block2-m05-2``, ``coaching-m07``, ``contracting-mid``, ``closing``), so a
session that moves keeps its calendar UID.

Each session has an intended day from the rules. When that day is a weekend, a Dutch public
holiday, a day in a closed period or one of ``extra_closed``, the session moves to the next
working day that is none of these and that its own series (the first block, the block 2
sessions, the coaching, ...) does not already use.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from rvg.clock import DEFAULT_TIMEZONE
from rvg.training.config import MonthlySeries, Slot, Timed, TrainingRules
from rvg.workdays import NO_DAYS, is_working_day

SESSION_TYPES = (
    "training",
    "knowledge_test",
    "bus_tour",
    "personal_leadership",
    "talent_coaching",
    "intervision",
    "buddy_intervision",
    "contracting",
    "closing_event",
)
GUIDES_ONLY = "buddies_managers"  # sessions of the buddies and managers themselves
AUDIENCES = ("participants", GUIDES_ONLY, "participants_buddies_managers")

# Far more than any closed period; a longer search means the rules close (almost) every day.
_MAX_SHIFT_DAYS = 120


@dataclass(frozen=True)
class PlannedSession:
    key: str
    session_type: str
    title: str
    audience: str
    location: str
    starts_at: datetime
    ends_at: datetime

    @property
    def day(self) -> date:
        return self.starts_at.date()


def generate_schedule(
    training_start: date,
    rules: TrainingRules,
    extra_closed: frozenset[date] = NO_DAYS,
    zone: ZoneInfo = DEFAULT_TIMEZONE,
) -> list[PlannedSession]:
    """Every session of the training year, sorted by start time; the times of day are in
    ``zone``, the programme's time zone."""
    planner = _Planner(training_start, rules, extra_closed, zone)
    sessions = [
        *_first_block(planner),
        *_theme_sessions(planner),
        *_monthly(planner, rules.talent_coaching, "talent_coaching", "coaching", "participants"),
        *_monthly(planner, rules.intervision, "intervision", "intervision", "participants"),
        *_monthly(
            planner,
            rules.buddy_intervision,
            "buddy_intervision",
            "buddy-intervision",
            "buddies_managers",
        ),
        *_one_offs(planner),
    ]
    return sorted(sessions, key=lambda s: (s.starts_at, s.key))


def month_start(training_start: date, month: int) -> date:
    """The first day of month ``month`` of the training year (month 1 starts on the start)."""
    index = training_start.month - 1 + month - 1
    year, month_of_year = training_start.year + index // 12, index % 12 + 1
    for day in range(training_start.day, 0, -1):  # 31 January + 1 month = 28/29 February
        try:
            return date(year, month_of_year, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


class _Planner:
    def __init__(
        self,
        training_start: date,
        rules: TrainingRules,
        extra_closed: frozenset[date],
        zone: ZoneInfo,
    ) -> None:
        self.start = training_start
        self.rules = rules
        self.extra_closed = extra_closed
        self.zone = zone

    def suitable(self, day: date) -> bool:
        return is_working_day(day, self.extra_closed) and not self.rules.is_closed(day)

    def place(self, intended: date, taken: set[date]) -> date:
        """``intended``, or the next suitable day not in ``taken``; the day is then taken."""
        day = intended
        while not self.suitable(day) or day in taken:
            day += timedelta(days=1)
            if day - intended > timedelta(days=_MAX_SHIFT_DAYS):
                raise ValueError(f"no suitable day within {_MAX_SHIFT_DAYS} days of {intended}")
        taken.add(day)
        return day

    def slot_day(self, month: int, slot: Slot) -> date:
        first = month_start(self.start, month)
        offset = (slot.weekday - first.weekday()) % 7 + 7 * (slot.week - 1)
        return first + timedelta(days=offset)

    def session(
        self, key: str, session_type: str, title: str, audience: str, timed: Timed, day: date
    ) -> PlannedSession:
        return PlannedSession(
            key=key,
            session_type=session_type,
            title=title,
            audience=audience,
            location=timed.location,
            starts_at=datetime.combine(day, timed.start, tzinfo=self.zone),
            ends_at=datetime.combine(day, timed.end, tzinfo=self.zone),
        )


def _first_block(planner: _Planner) -> Iterator[PlannedSession]:
    """Training days week by week (a week is 7 days from the training start), then the close."""
    block = planner.rules.first_block
    intended = sorted(
        planner.start + timedelta(days=7 * week + (weekday - planner.start.weekday()) % 7)
        for week, weekdays in enumerate(block.training_weekdays)
        for weekday in weekdays
    )
    taken: set[date] = set()
    day = planner.start
    for number, (title, wanted) in enumerate(zip(block.day_titles, intended, strict=True), 1):
        day = planner.place(max(wanted, day), taken)
        yield planner.session(
            f"block1-day-{number:02d}", "training", title, "participants", block, day
        )
    last_week = planner.start + timedelta(days=7 * (block.weeks - 1))
    closing = last_week + timedelta(days=(block.closing_weekday - last_week.weekday()) % 7)
    closing = planner.place(max(closing, day + timedelta(days=1)), taken)
    rules = planner.rules
    yield planner.session(
        "block1-knowledge-test",
        "knowledge_test",
        rules.knowledge_test.title,
        "participants",
        rules.knowledge_test,
        closing,
    )
    yield planner.session(
        "block1-bus-tour", "bus_tour", rules.bus_tour.title, "participants", rules.bus_tour, closing
    )


def _theme_sessions(planner: _Planner) -> Iterator[PlannedSession]:
    themes = planner.rules.theme_sessions
    taken: set[date] = set()
    number = 0
    for month in themes.months:
        for index, slot in enumerate(themes.slots, start=1):
            title = themes.themes[number % len(themes.themes)]
            if number >= len(themes.themes):
                title += " (verdieping)"
            day = planner.place(planner.slot_day(month, slot), taken)
            key = f"block2-m{month:02d}-{index}"
            yield planner.session(key, "training", title, "participants", themes, day)
            number += 1


def _monthly(
    planner: _Planner, series: MonthlySeries, session_type: str, prefix: str, audience: str
) -> Iterator[PlannedSession]:
    taken: set[date] = set()
    for month in series.months:
        day = planner.place(planner.slot_day(month, series.slot), taken)
        key = f"{prefix}-m{month:02d}"
        yield planner.session(key, session_type, series.title, audience, series, day)


def _one_offs(planner: _Planner) -> Iterator[PlannedSession]:
    rules = planner.rules
    resilience = rules.resilience_training
    day = planner.place(planner.slot_day(resilience.month, resilience.slot), set())
    yield planner.session(
        "resilience", "personal_leadership", resilience.title, "participants", resilience, day
    )
    taken: set[date] = set()
    for moment in rules.contracting.moments:
        day = planner.place(planner.slot_day(moment.month, moment.slot), taken)
        yield planner.session(
            f"contracting-{moment.key}",
            "contracting",
            moment.title,
            "participants_buddies_managers",
            rules.contracting,
            day,
        )
    closing = rules.closing_event
    day = planner.place(planner.slot_day(closing.month, closing.slot), set())
    yield planner.session(
        "closing",
        "closing_event",
        closing.title,
        "participants_buddies_managers",
        closing,
        day,
    )

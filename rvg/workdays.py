"""Dutch working days: Monday to Friday, except the public holidays of the Netherlands.

The holidays are those of the ``holidays`` package for ``NL``. It lists Liberation Day
(5 May) only in lustrum years (2025, 2030, ...), when it is a day off for most employers, and it
lists Good Friday. ``extra_closed`` adds days the organisation itself is closed (for example
the week between Christmas and New Year) for planners that need them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType

import holidays

NO_DAYS: frozenset[date] = frozenset()


@lru_cache(maxsize=64)
def _dutch_holidays(year: int) -> Mapping[date, str]:
    """A read-only copy, so a lookup never makes the package add years to a shared object."""
    return MappingProxyType(dict(holidays.country_holidays("NL", years=year)))


def dutch_holiday_name(day: date) -> str | None:
    """The name of the Dutch public holiday on ``day`` (in English), or None."""
    return _dutch_holidays(day.year).get(day)


def is_working_day(day: date, extra_closed: frozenset[date] = NO_DAYS) -> bool:
    """True on Monday to Friday unless ``day`` is a Dutch public holiday or an extra closed day."""
    return day.weekday() < 5 and day not in _dutch_holidays(day.year) and day not in extra_closed


def next_working_day(day: date, extra_closed: frozenset[date] = NO_DAYS) -> date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day, extra_closed):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date, extra_closed: frozenset[date] = NO_DAYS) -> date:
    """``day`` itself when it is a working day, else the last working day before it."""
    while not is_working_day(day, extra_closed):
        day -= timedelta(days=1)
    return day


def add_working_days(day: date, n: int, extra_closed: frozenset[date] = NO_DAYS) -> date:
    """The ``n``-th working day after ``day`` (before it when ``n`` is negative).

    ``day`` itself is never counted, so a Saturday plus one working day is the Monday. With
    ``n == 0`` the result is ``next_working_day(day)``.
    """
    if n == 0:
        return next_working_day(day, extra_closed)
    step = timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        if is_working_day(day, extra_closed):
            remaining -= 1
    return day


def working_hours_moment(
    moment: datetime, opens: time, closes: time, extra_closed: frozenset[date] = NO_DAYS
) -> datetime:
    """``moment`` when it lies in working hours (``opens`` to ``closes`` on a working day), else
    the next opening: later the same working day, or ``opens`` on the next working day.

    ``moment`` must be aware and in the local time zone: the hours are read on its clock.
    """
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    day, clock_time = moment.date(), moment.timetz().replace(tzinfo=None)
    if is_working_day(day, extra_closed):
        if opens <= clock_time < closes:
            return moment
        if clock_time < opens:
            return datetime.combine(day, opens, tzinfo=moment.tzinfo)
    following = next_working_day(day + timedelta(days=1), extra_closed)
    return datetime.combine(following, opens, tzinfo=moment.tzinfo)

"""The one clock: every notion of "today" or "now" in the project comes from here.

Functions take an optional ``as_of`` so that a whole cohort cycle can be simulated day by day
and tested deterministically. Without it they read the real time in the programme's time zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# The programme's time zone is a setting (RVG_TIMEZONE, ``Settings.zone``); this is its
# default, and the one place that names it.
DEFAULT_TIMEZONE_NAME = "Europe/Amsterdam"
DEFAULT_TIMEZONE = ZoneInfo(DEFAULT_TIMEZONE_NAME)

AsOf = date | datetime | None


def known_timezone(name: str) -> str:
    """``name`` when it is an IANA time zone (``Europe/Amsterdam``); ValueError otherwise."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc
    return name


def now(as_of: AsOf = None, tz: ZoneInfo = DEFAULT_TIMEZONE) -> datetime:
    """The current moment as an aware datetime in ``tz``.

    A plain ``date`` means the start of that day in ``tz``; a naive datetime is read as
    local time in ``tz``.
    """
    if as_of is None:
        return datetime.now(tz)
    if isinstance(as_of, datetime):
        return as_of.replace(tzinfo=tz) if as_of.tzinfo is None else as_of.astimezone(tz)
    return datetime.combine(as_of, time.min, tzinfo=tz)


def today(as_of: AsOf = None, tz: ZoneInfo = DEFAULT_TIMEZONE) -> date:
    """The current calendar date in ``tz``."""
    return now(as_of, tz).date()


def utcnow(as_of: AsOf = None, tz: ZoneInfo = DEFAULT_TIMEZONE) -> datetime:
    """The current moment in UTC, as the database stores it."""
    return now(as_of, tz).astimezone(UTC)


def start_of_day(day: date, tz: ZoneInfo = DEFAULT_TIMEZONE) -> datetime:
    """Midnight at the start of ``day`` in ``tz``, in UTC."""
    return datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC)


def parse_as_of(text: str, tz: ZoneInfo = DEFAULT_TIMEZONE) -> datetime:
    """An ISO date or datetime from the command line; a date or naive time is local to ``tz``."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO date (2027-09-06) or datetime") from None
    return now(moment, tz)

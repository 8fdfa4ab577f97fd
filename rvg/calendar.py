"""iCalendar (RFC 5545) files: invitations for the meet & greet and the programme's sessions.

Times are written in Europe/Amsterdam with a VTIMEZONE, so every calendar shows them right.
A moved event keeps its UID and gets a higher SEQUENCE.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PRODUCT = "-//Ruimte voor Groei//Cohort cycle//NL"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    description: str = ""
    categories: tuple[str, ...] = ()
    sequence: int = 0
    organizer: str | None = None  # e-mail address
    stamp: datetime | None = None

    def __post_init__(self) -> None:
        if self.starts_at.tzinfo is None or self.ends_at.tzinfo is None:
            raise ValueError("calendar events need timezone-aware times")
        if self.ends_at <= self.starts_at:
            raise ValueError(f"event {self.uid} ends before it starts")


def calendar_ics(
    events: Iterable[CalendarEvent], *, name: str | None = None, method: str | None = "PUBLISH"
) -> bytes:
    """One VCALENDAR with a Europe/Amsterdam VTIMEZONE and a VEVENT per event."""
    events = list(events)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    if events:
        first = min(e.starts_at for e in events)
        last = max(e.ends_at for e in events)
        calendar.add_component(
            Timezone.from_tzinfo(
                AMSTERDAM,
                tzid="Europe/Amsterdam",
                # whole years, so the STANDARD and DAYLIGHT rules are always included
                first_date=date(first.year, 1, 1),
                last_date=date(last.year + 1, 1, 1),
            )
        )
    for item in events:
        calendar.add_component(_vevent(item))
    return calendar.to_ical()


def _vevent(item: CalendarEvent) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("summary", item.summary)
    event.add("dtstart", item.starts_at.astimezone(AMSTERDAM))
    event.add("dtend", item.ends_at.astimezone(AMSTERDAM))
    event.add("dtstamp", item.stamp or item.starts_at)
    event.add("sequence", item.sequence)
    if item.location:
        event.add("location", item.location)
    if item.description:
        event.add("description", item.description)
    if item.categories:
        event.add("categories", list(item.categories))
    if item.organizer:
        event.add("organizer", vCalAddress(f"mailto:{item.organizer}"))
    return event

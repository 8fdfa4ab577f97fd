"""iCalendar (RFC 5545) files: invitations for the meet & greet and the programme's sessions.

Times are written in the programme's time zone (``rvg.clock``) with a VTIMEZONE, so every
calendar shows them right.
A moved event keeps its UID and gets a higher SEQUENCE. Every event names the project team as
ORGANIZER and carries DTSTAMP, the moment the file was made. A file addressed to people (an
e-mail's invitation) is METHOD:REQUEST with them as ATTENDEE, as RFC 5546 requires; a file
without attendees (the published programme) is METHOD:PUBLISH.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress

from rvg.clock import DEFAULT_TIMEZONE

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

    def __post_init__(self) -> None:
        if self.starts_at.tzinfo is None or self.ends_at.tzinfo is None:
            raise ValueError("calendar events need timezone-aware times")
        if self.ends_at <= self.starts_at:
            raise ValueError(f"event {self.uid} ends before it starts")


@dataclass(frozen=True)
class Organizer:
    """Who sends the calendar: the project team."""

    email: str
    name: str = "Projectteam Ruimte voor Groei"


def calendar_ics(
    events: Iterable[CalendarEvent],
    *,
    organizer: Organizer,
    stamp: datetime,
    attendees: Sequence[str] = (),
    name: str | None = None,
    zone: ZoneInfo = DEFAULT_TIMEZONE,
) -> bytes:
    """One VCALENDAR with a VTIMEZONE of ``zone`` (the programme's) and a VEVENT per event;
    REQUEST to ``attendees`` when there are any, else PUBLISH. ``stamp`` is when the file is
    made."""
    if stamp.tzinfo is None:
        raise ValueError("the calendar's stamp needs a timezone-aware time")
    events = list(events)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "REQUEST" if attendees else "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    if events:
        first = min(e.starts_at for e in events)
        last = max(e.ends_at for e in events)
        calendar.add_component(
            Timezone.from_tzinfo(
                zone,
                tzid=zone.key,
                # whole years, so the STANDARD and DAYLIGHT rules are always included
                first_date=date(first.year, 1, 1),
                last_date=date(last.year + 1, 1, 1),
            )
        )
    for item in events:
        calendar.add_component(_vevent(item, organizer, stamp, attendees, zone))
    return calendar.to_ical()


def _vevent(
    item: CalendarEvent,
    organizer: Organizer,
    stamp: datetime,
    attendees: Sequence[str],
    zone: ZoneInfo,
) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("summary", item.summary)
    event.add("dtstart", item.starts_at.astimezone(zone))
    event.add("dtend", item.ends_at.astimezone(zone))
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("sequence", item.sequence)
    sender = vCalAddress(f"mailto:{organizer.email}")
    sender.params["cn"] = organizer.name
    event.add("organizer", sender)
    for address in attendees:
        attendee = vCalAddress(f"mailto:{address}")
        attendee.params.update({"role": "REQ-PARTICIPANT", "rsvp": "FALSE"})
        event.add("attendee", attendee, encode=False)
    if item.location:
        event.add("location", item.location)
    if item.description:
        event.add("description", item.description)
    if item.categories:
        event.add("categories", list(item.categories))
    return event

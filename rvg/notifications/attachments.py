"""Attachments an e-mail carries, described in its outbox context and built at send time.

A context key ``calendar_event`` (a dict of ``rvg.calendar.CalendarEvent`` fields, times as
ISO text) adds an ``.ics`` invitation to the recipient (METHOD:REQUEST), so the outbox row
stays plain JSON. A key ``calendar_year`` (``{"name": ..., "events": [...], "file": ...}``,
events in the same form, the file name optional) adds the recipient's whole year (or a series
of sessions) as one published calendar (METHOD:PUBLISH: iTIP
allows one event per REQUEST, and the per-session invitations keep updating the entries, same
UID and a higher SEQUENCE).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rvg.calendar import CalendarEvent, Organizer, calendar_ics

CALENDAR_KEY = "calendar_event"
YEAR_CALENDAR_KEY = "calendar_year"
YEAR_CALENDAR_FILE = "jaarrooster.ics"
_FILE_NAME = re.compile(r"[a-z0-9-]{1,40}\.ics")


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # full header value, e.g. 'text/calendar; charset="utf-8"; method=REQUEST'
    content: bytes


def calendar_context(event: CalendarEvent) -> dict[str, Any]:
    """The JSON form of an event for an outbox context."""
    return {
        "uid": event.uid,
        "summary": event.summary,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "location": event.location,
        "description": event.description,
        "categories": list(event.categories),
        "sequence": event.sequence,
    }


def year_calendar_context(
    name: str, events: list[CalendarEvent], file: str = YEAR_CALENDAR_FILE
) -> dict[str, Any]:
    """The JSON form of a published calendar (a whole year, a series of sessions) for an
    outbox context; ``file`` names the attachment."""
    if not _FILE_NAME.fullmatch(file):
        raise ValueError(f"not a calendar file name: {file!r}")
    return {"name": name, "events": [calendar_context(event) for event in events], "file": file}


def calendar_event(context: dict[str, Any]) -> CalendarEvent | None:
    """The event described in ``context``; ValueError when the description is broken."""
    raw = context.get(CALENDAR_KEY)
    return None if raw is None else _event(raw, CALENDAR_KEY)


def _event(raw: Any, key: str) -> CalendarEvent:
    try:
        return CalendarEvent(
            uid=raw["uid"],
            summary=raw["summary"],
            starts_at=datetime.fromisoformat(raw["starts_at"]),
            ends_at=datetime.fromisoformat(raw["ends_at"]),
            location=raw.get("location", ""),
            description=raw.get("description", ""),
            categories=tuple(raw.get("categories", ())),
            sequence=int(raw.get("sequence", 0)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{key} in the e-mail context is not valid: {exc}") from None


def attachments_for(
    context: dict[str, Any], *, organizer: Organizer, to: str, stamp: datetime
) -> tuple[Attachment, ...]:
    """The attachments described in ``context``: an invitation to ``to`` from the team, and
    the recipient's year; ValueError when a description is broken."""
    attachments = []
    event = calendar_event(context)
    if event is not None:
        attachments.append(
            Attachment(
                "uitnodiging.ics",
                'text/calendar; charset="utf-8"; method=REQUEST',
                calendar_ics([event], organizer=organizer, stamp=stamp, attendees=[to]),
            )
        )
    year = context.get(YEAR_CALENDAR_KEY)
    if year is not None:
        if not (
            isinstance(year, dict)
            and isinstance(year.get("name"), str)
            and isinstance(year.get("events"), list)
        ):
            raise ValueError(f"{YEAR_CALENDAR_KEY} in the e-mail context is not valid")
        events = [_event(raw, YEAR_CALENDAR_KEY) for raw in year["events"]]
        file = year.get("file", YEAR_CALENDAR_FILE)
        if not (isinstance(file, str) and _FILE_NAME.fullmatch(file)):
            raise ValueError(f"{YEAR_CALENDAR_KEY} in the e-mail context names no valid file")
        attachments.append(
            Attachment(
                file,
                'text/calendar; charset="utf-8"; method=PUBLISH',
                calendar_ics(events, organizer=organizer, stamp=stamp, name=year["name"]),
            )
        )
    return tuple(attachments)

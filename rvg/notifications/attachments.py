"""Attachments an e-mail carries, described in its outbox context and built at send time.

A context key ``calendar_event`` (a dict of ``rvg.calendar.CalendarEvent`` fields, times as
ISO text) adds an ``.ics`` invitation, so the outbox row stays small and plain JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rvg.calendar import CalendarEvent, Organizer, calendar_ics

CALENDAR_KEY = "calendar_event"


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


def calendar_event(context: dict[str, Any]) -> CalendarEvent | None:
    """The event described in ``context``; ValueError when the description is broken."""
    raw = context.get(CALENDAR_KEY)
    if raw is None:
        return None
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
        raise ValueError(f"{CALENDAR_KEY} in the e-mail context is not valid: {exc}") from None


def attachments_for(
    context: dict[str, Any], *, organizer: Organizer, to: str, stamp: datetime
) -> tuple[Attachment, ...]:
    """The attachments described in ``context``: an invitation to ``to`` from the team."""
    event = calendar_event(context)
    if event is None:
        return ()
    return (
        Attachment(
            "uitnodiging.ics",
            'text/calendar; charset="utf-8"; method=REQUEST',
            calendar_ics([event], organizer=organizer, stamp=stamp, attendees=[to]),
        ),
    )

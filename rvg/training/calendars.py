"""The programme's iCalendar files: programme.ics, one per participant, one for buddies/managers.

A session's UID comes from the cohort and the session's key, never from its date, so a
moved session keeps its UID; the caller passes the SEQUENCE (the number of moves so far).
CATEGORIES holds the session type code (``training``, ``talent_coaching``, ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Literal, Protocol, TypeVar

from rvg.calendar import CalendarEvent, Organizer, calendar_ics
from rvg.training.schedule import PlannedSession

CalendarAudience = Literal["participant", "buddy_manager"]


class _HasAudience(Protocol):
    @property
    def audience(self) -> str: ...


class SessionLike(_HasAudience, Protocol):
    """A dated session of the training schedule, as far as calendars and reminders need it."""

    @property
    def key(self) -> str: ...
    @property
    def session_type(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def location(self) -> str: ...
    @property
    def starts_at(self) -> datetime: ...
    @property
    def ends_at(self) -> datetime: ...


S = TypeVar("S", bound=_HasAudience)

UID_DOMAIN = "ruimtevoorgroei"
# The name an agenda shows for each audience's calendar, after the cohort's label.
CALENDAR_TITLES: dict[CalendarAudience, str] = {
    "participant": "{cohort}: mijn programma",
    "buddy_manager": "{cohort}: buddy's en leidinggevenden",
}

_AUDIENCES: dict[CalendarAudience, frozenset[str]] = {
    "participant": frozenset({"participants", "participants_buddies_managers"}),
    "buddy_manager": frozenset({"buddies_managers", "participants_buddies_managers"}),
}

TYPE_LABELS = {
    "training": "Opleidingsdag",
    "knowledge_test": "Kennistoets",
    "bus_tour": "Bustour met werkbezoeken",
    "personal_leadership": "Persoonlijk leiderschap",
    "talent_coaching": "Talentcoaching",
    "intervision": "Intervisie",
    "buddy_intervision": "Intervisie voor buddy's en leidinggevenden",
    "contracting": "Contractgesprek",
    "closing_event": "Slotbijeenkomst",
}

AUDIENCE_LABELS = {
    "participants": "deelnemers",
    "buddies_managers": "buddy's en leidinggevenden",
    "participants_buddies_managers": "deelnemers, buddy's en leidinggevenden",
}


def session_uid(cohort_code: str, key: str) -> str:
    """The UID of a session: stable for the cohort and key, whatever the session's date."""
    return f"rvg-{cohort_code}-{key}@{UID_DOMAIN}"


def for_audience(sessions: Iterable[S], audience: CalendarAudience) -> list[S]:
    """The sessions in a participant's calendar, or in the buddies' and managers' calendar."""
    wanted = _AUDIENCES[audience]
    return [item for item in sessions if item.audience in wanted]


def session_event(
    cohort_code: str, item: SessionLike, sequence: int, *, uid: str | None = None
) -> CalendarEvent:
    """The calendar entry of a session, the same in every file and invitation that holds it;
    ``uid`` defaults to the session's stable UID."""
    return CalendarEvent(
        uid=uid or session_uid(cohort_code, item.key),
        summary=item.title,
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        location=item.location,
        description=_description(cohort_code, item),
        categories=(item.session_type,),
        sequence=sequence,
    )


def sessions_ics(
    cohort_code: str,
    sessions: Sequence[tuple[PlannedSession, int]],
    name: str,
    *,
    organizer: Organizer,
    stamp: datetime,
) -> bytes:
    """One published calendar file; each session comes with its SEQUENCE (0, or how often it
    moved); ``stamp`` is when the file is made."""
    events = [session_event(cohort_code, item, sequence) for item, sequence in sessions]
    return calendar_ics(events, organizer=organizer, stamp=stamp, name=name)


def _description(cohort_code: str, item: SessionLike) -> str:
    kind = TYPE_LABELS.get(item.session_type, item.session_type)
    audience = AUDIENCE_LABELS.get(item.audience, item.audience)
    return f"Ruimte voor Groei, lichting {cohort_code}. {kind} voor {audience}."

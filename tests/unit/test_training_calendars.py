"""programme.ics and the audience calendars: valid iCalendar with stable UIDs and categories."""

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from rvg.calendar import Organizer
from rvg.training.calendars import for_audience, session_uid, sessions_ics
from rvg.training.config import TrainingRules, load_training
from rvg.training.schedule import PlannedSession, generate_schedule
from tests.utils.config_files import REAL_CONFIG

START = date(2027, 9, 6)
TEAM = Organizer("projectteam@rvg.example")
MADE = datetime(2027, 8, 30, 9, 0, tzinfo=UTC)


def ics_of(code, sessions, name):
    return sessions_ics(code, sessions, name, organizer=TEAM, stamp=MADE)


@pytest.fixture(scope="module")
def rules() -> TrainingRules:
    return load_training(REAL_CONFIG / "training.yaml")


@pytest.fixture(scope="module")
def schedule(rules) -> list[PlannedSession]:
    return generate_schedule(START, rules)


def parse(ics: bytes) -> tuple[Calendar, list]:
    calendar = Calendar.from_ical(ics)
    return calendar, [c for c in calendar.walk("VEVENT")]


def test_programme_ics_has_one_event_per_session(schedule):
    ics = ics_of("2027", [(s, 0) for s in schedule], "Ruimte voor Groei 2027")
    calendar, events = parse(ics)
    assert len(events) == len(schedule)
    assert str(calendar["X-WR-CALNAME"]) == "Ruimte voor Groei 2027"
    [timezone] = calendar.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "Europe/Amsterdam"
    by_uid = {str(e["UID"]): e for e in events}
    for item in schedule:
        event = by_uid[session_uid("2027", item.key)]
        assert event.decoded("DTSTART") == item.starts_at
        assert event.decoded("DTEND") == item.ends_at
        assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
        assert list(event["CATEGORIES"].cats) == [item.session_type]
        assert str(event["SUMMARY"]) == item.title
        assert str(event["LOCATION"]) == item.location
        assert "lichting 2027" in str(event["DESCRIPTION"])


def test_uids_are_stable_and_a_moved_session_gets_a_higher_sequence(rules, schedule):
    moved_key = "block2-m05-1"
    closed = next(s.day for s in schedule if s.key == moved_key)
    again = generate_schedule(START, rules, extra_closed=frozenset({closed}))
    sequences = {moved_key: 1}
    ics = ics_of("2027", [(s, sequences.get(s.key, 0)) for s in again], "programma")
    _, events = parse(ics)
    first_uids = {session_uid("2027", s.key) for s in schedule}
    assert {str(e["UID"]) for e in events} == first_uids
    [moved] = [e for e in events if str(e["UID"]) == session_uid("2027", moved_key)]
    assert moved["SEQUENCE"] == 1
    assert moved.decoded("DTSTART").date() == closed + timedelta(days=1)
    assert {e["SEQUENCE"] for e in events if e is not moved} == {0}


def test_uid_names_cohort_and_key():
    assert session_uid("2027", "closing") == "rvg-2027-closing@ruimtevoorgroei"
    assert session_uid("2028", "closing") != session_uid("2027", "closing")


def test_participants_and_buddies_managers_get_their_own_sessions(schedule):
    participant = for_audience(schedule, "participant")
    buddy_manager = for_audience(schedule, "buddy_manager")
    types_participant = {s.session_type for s in participant}
    types_buddy = {s.session_type for s in buddy_manager}
    assert "buddy_intervision" not in types_participant
    assert {"training", "talent_coaching", "contracting", "closing_event"} <= types_participant
    assert types_buddy == {"buddy_intervision", "contracting", "closing_event"}
    shared = {s.key for s in participant} & {s.key for s in buddy_manager}
    assert shared == {"contracting-start", "contracting-mid", "contracting-end", "closing"}
    assert len(participant) + len(buddy_manager) - len(shared) == len(schedule)


def test_an_audience_calendar_parses_with_only_its_sessions(schedule):
    sessions = for_audience(schedule, "buddy_manager")
    _, events = parse(ics_of("2027", [(s, 0) for s in sessions], "Buddy's en managers"))
    assert sorted(str(e["UID"]) for e in events) == sorted(
        session_uid("2027", s.key) for s in sessions
    )
    assert {str(c) for e in events for c in e["CATEGORIES"].cats} == {
        "buddy_intervision",
        "contracting",
        "closing_event",
    }


def test_every_published_calendar_names_the_team_and_its_making(schedule):
    """RFC 5545/5546 as icalendar reads it: PUBLISH without attendees, ORGANIZER the project
    team, DTSTAMP the moment the file was made (never the event's start), stable UID and
    SEQUENCE on every event."""
    calendar, events = parse(ics_of("2027", [(s, 0) for s in schedule], "programma"))
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["PRODID"]) and str(calendar["VERSION"]) == "2.0"
    for event in events:
        assert str(event["ORGANIZER"]) == "mailto:projectteam@rvg.example"
        assert event["ORGANIZER"].params["CN"] == "Projectteam Ruimte voor Groei"
        assert event.decoded("DTSTAMP") == MADE
        assert "ATTENDEE" not in event
        assert event["SEQUENCE"] == 0 and str(event["UID"]).endswith("@ruimtevoorgroei")
    assert not calendar.errors and not any(event.errors for event in events)

"""Reminders of the training year: one placement over a simulated year, the templates, the rules."""

import json
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from rvg.calendar import Organizer
from rvg.clock import DEFAULT_TIMEZONE as AMSTERDAM
from rvg.errors import ConfigError
from rvg.notifications.attachments import attachments_for
from rvg.notifications.rendering import render
from rvg.training.reminder_plan import PlannedReminder, due_between, plan_reminders
from rvg.training.reminder_rules import ReminderRules, load_reminder_rules
from tests.utils.config_files import REAL_CONFIG, copy_config, replace_in

START = date(2027, 9, 6)  # a Monday
PLACEMENT = 17
NAMES = {"recipient_name": "Sanne de Vries", "participant_name": "Yusuf Demir"}


@dataclass(frozen=True)
class Session:
    key: str
    session_type: str
    title: str
    audience: str
    starts_at: datetime
    ends_at: datetime
    location: str = "Provinciehuis, 's-Hertogenbosch"


def _session(key: str, kind: str, title: str, audience: str, day: date, hours=(13, 16)) -> Session:
    begin, end = (datetime.combine(day, time(h), tzinfo=AMSTERDAM) for h in hours)
    return Session(key, kind, title, audience, begin, end)


ALL = "participants_buddies_managers"
SESSIONS = [
    _session("session-m01-1", "training", "Trainingsdag beleid", "participants", date(2027, 9, 7)),
    _session("contracting-start", "contracting", "Contractgesprek start", ALL, date(2027, 9, 9)),
    _session(
        "coaching-m02", "talent_coaching", "Talentcoaching", "participants", date(2027, 10, 12)
    ),
    _session("session-m03-1", "training", "Omgevingswet", "participants", date(2027, 11, 8)),
    _session(
        "buddy-intervision-01",
        "buddy_intervision",
        "Buddy-intervisie",
        "buddies_managers",
        date(2027, 11, 16),
    ),
    _session("contracting-mid", "contracting", "Contractgesprek halverwege", ALL, date(2028, 3, 7)),
    _session(
        "buddy-intervision-02",
        "buddy_intervision",
        "Buddy-intervisie",
        "buddies_managers",
        date(2028, 4, 11),
    ),
    _session("contracting-end", "contracting", "Contractgesprek afronding", ALL, date(2028, 8, 22)),
    _session("closing", "closing_event", "Slotbijeenkomst", ALL, date(2028, 8, 31), (15, 18)),
]


def _uid(session_key: str) -> str:
    return f"training-2027-{session_key}@ruimtevoorgroei"


@pytest.fixture(scope="module")
def rules() -> ReminderRules:
    return load_reminder_rules(REAL_CONFIG / "reminders.yaml")


def _plan(rules, sessions=SESSIONS, starts_on=START, ends_on=None) -> list[PlannedReminder]:
    return plan_reminders(
        "2027", PLACEMENT, starts_on, ends_on, sessions, rules, AMSTERDAM, uid_for=_uid
    )


def _by_key(reminders: list[PlannedReminder]) -> dict[str, PlannedReminder]:
    return {r.key: r for r in reminders}


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=AMSTERDAM)


def test_a_full_year_has_the_promised_number_of_reminders_per_rule(rules):
    counts = Counter((r.role, r.key.split(":")[4]) for r in _plan(rules))
    assert counts == {
        ("buddy", "prepare"): 1,
        ("buddy", "checkin"): 13 + 9,  # weeks 1-13, then months 4-12
        # three contracting conversations, two buddy intervisions and the closing event, which
        # buddies and managers attend alike
        ("buddy", "session"): 3 + 2 + 1,
        ("manager", "prepare"): 1,
        ("manager", "one-to-one"): 9,  # months 2-12 except the review months 6 and 12
        ("manager", "review"): 2,
        ("manager", "session"): 3 + 2 + 1,
        ("participant", "prepare"): 1,  # the welcome with the year's calendar
        ("participant", "session"): 7,  # every session whose audience includes participants
    }


def test_keys_name_the_period_or_the_session_never_a_date(rules):
    keys = _by_key(_plan(rules))  # by due time
    checkins = [k.rsplit(":", 1)[1] for k in keys if ":buddy:checkin:" in k]
    assert checkins == [f"w{w:02d}" for w in range(1, 14)] + [f"m{m:02d}" for m in range(4, 13)]
    assert {
        "training:2027:17:buddy:prepare:start",
        "training:2027:17:manager:prepare:start",
        "training:2027:17:manager:one-to-one:m05",
        "training:2027:17:manager:review:m06",
        "training:2027:17:manager:review:m12",
        "training:2027:17:manager:session:contracting-mid",
        "training:2027:17:buddy:session:buddy-intervision-02",
        "training:2027:17:participant:session:session-m03-1",
    } <= set(keys)
    assert "training:2027:17:manager:one-to-one:m06" not in keys


def test_keys_are_unique_and_the_same_input_gives_the_same_plan(rules):
    first, second = _plan(rules), _plan(rules)
    assert len({r.key for r in first}) == len(first)
    assert first == second


def test_due_at_nine_on_the_right_day(rules):
    plan = _by_key(_plan(rules))
    due = {key.split(":", 3)[3]: r.due_at for key, r in plan.items()}
    assert due["buddy:prepare:start"] == _at(date(2027, 8, 30))  # a week before
    assert due["manager:prepare:start"] == _at(date(2027, 8, 30))
    assert due["buddy:checkin:w01"] == _at(START)
    assert due["buddy:checkin:w13"] == _at(START + timedelta(weeks=12))
    assert due["buddy:checkin:m04"] == _at(date(2027, 12, 6))
    assert due["manager:one-to-one:m02"] == _at(date(2027, 10, 6))
    assert due["participant:session:session-m01-1"] == _at(date(2027, 9, 6))  # the day before
    assert due["participant:session:closing"] == _at(date(2028, 8, 30))
    assert due["buddy:session:contracting-start"] == _at(date(2027, 9, 6))  # 3 days before
    assert due["manager:session:contracting-end"] == _at(date(2028, 8, 18))  # Tue -> Sat -> Fri
    assert all(r.due_at.tzinfo is AMSTERDAM and r.due_at.time() == time(9) for r in plan.values())


def test_a_weekend_moves_a_reminder_to_a_working_day_unless_configured_otherwise(rules):
    plan = _by_key(_plan(rules))
    monday_session = plan["training:2027:17:participant:session:session-m03-1"]
    assert monday_session.due_at == _at(date(2027, 11, 5))  # the Friday before
    assert monday_session.context["days_ahead"] == 3
    mid_review = plan["training:2027:17:manager:review:m06"]
    assert mid_review.due_at == _at(date(2028, 2, 7))  # month 6 starts on Sunday 6 February
    assert mid_review.context["review_by"] == "05-03-2028"

    calendar_days = rules.model_copy(update={"working_days_only": False})
    plain = _by_key(_plan(calendar_days))
    assert plain[monday_session.key].due_at == _at(date(2027, 11, 7))
    assert plain[mid_review.key].due_at == _at(date(2028, 2, 6))


def test_a_moved_session_moves_its_reminders_and_keeps_their_keys(rules):
    moved = [
        replace(s, starts_at=s.starts_at + timedelta(days=7), ends_at=s.ends_at + timedelta(days=7))
        if s.key == "contracting-mid"
        else s
        for s in SESSIONS
    ]
    before, after = _by_key(_plan(rules)), _by_key(_plan(rules, moved))
    assert before.keys() == after.keys()
    changed = {key for key in before if before[key].due_at != after[key].due_at}
    assert changed == {
        f"training:2027:17:{role}:session:contracting-mid"
        for role in ("participant", "buddy", "manager")
    }
    for key in changed:
        assert after[key].due_at == before[key].due_at + timedelta(days=7)
        assert after[key].context["date"] == "14-03-2028"


def test_nothing_is_planned_after_a_placement_ends_early(rules):
    ends_on = date(2027, 11, 20)
    plan = _plan(rules, ends_on=ends_on)
    assert plan
    assert max(r.due_at for r in plan) <= _at(ends_on, 23)
    keys = _by_key(plan)
    assert "training:2027:17:buddy:session:buddy-intervision-01" in keys
    assert "training:2027:17:buddy:checkin:w11" in keys  # Monday 15 November
    assert "training:2027:17:buddy:checkin:w12" not in keys
    assert not any("contracting-mid" in key or "one-to-one:m04" in key for key in keys)


def test_a_session_before_the_placement_started_gets_no_reminder(rules):
    keys = _by_key(_plan(rules, starts_on=date(2027, 10, 1)))
    assert not any(key.endswith(("session-m01-1", "contracting-start")) for key in keys)
    assert "training:2027:17:participant:session:coaching-m02" in keys


def test_due_between_is_half_open_and_sorted(rules):
    plan = _plan(rules)
    week = due_between(plan, _at(date(2027, 9, 6)), _at(date(2027, 9, 13)))
    assert [r.key.split(":", 3)[3] for r in week] == [
        "buddy:checkin:w01",
        "buddy:session:contracting-start",
        "manager:session:contracting-start",
        "participant:session:session-m01-1",
        "participant:session:contracting-start",
    ]
    assert due_between(plan, _at(date(2027, 9, 13)), _at(date(2027, 9, 13))) == []


def test_every_reminder_renders_in_dutch_with_the_names_added(rules):
    plan = _plan(rules)
    assert len({r.template for r in plan}) == 8
    for reminder in plan:
        json.dumps(reminder.context)  # the outbox stores the context as JSON
        email = render(reminder.template, reminder.context | NAMES)
        assert "None" not in email.subject + email.text, reminder.key
        assert "Sanne de Vries" in email.text and "Sanne de Vries" in email.html
        if reminder.role != "participant":
            assert "Yusuf Demir" in email.text


def test_the_texts_say_what_to_prepare(rules):
    plan = _by_key(_plan(rules))

    def text(key: str) -> str:
        reminder = plan[f"training:2027:17:{key}"]
        return render(reminder.template, reminder.context | NAMES).text

    assert "werkplek" in text("buddy:prepare:start")
    assert "kennismaking met de collega's" in text("buddy:prepare:start")
    assert "Waar loopt Yusuf Demir tegenaan" in text("buddy:checkin:w03")
    assert "laatste wekelijkse check-in" in text("buddy:checkin:w13")
    assert "Maand 5 van het leerjaar" in text("buddy:checkin:m05")
    assert "leerdoelen en de begeleiding" in text("manager:session:contracting-start")
    assert "tweede helft" in text("buddy:session:contracting-mid")
    assert "intervisie" in text("buddy:session:buddy-intervision-01")
    assert "eindgesprek" in text("manager:review:m12")
    closing = plan["training:2027:17:participant:session:closing"]
    session = render(closing.template, closing.context | NAMES)
    assert session.subject == "Morgen: Slotbijeenkomst"
    assert "donderdag 31-08-2028" in session.text and "15:00 - 18:00 uur" in session.text


def test_session_reminders_carry_a_calendar_invitation_with_the_programme_uid(rules):
    for reminder in _plan(rules):
        attachments = attachments_for(
            reminder.context,
            organizer=Organizer("team@rvg.example"),
            to="deelnemer@example.org",
            stamp=datetime(2027, 9, 1, tzinfo=UTC),
        )
        if reminder.session_key is None:
            is_start = reminder.key.endswith(":prepare:start")
            assert [a.filename for a in attachments] == (["jaarrooster.ics"] if is_start else [])
            continue
        (ics,) = attachments
        assert ics.filename.endswith(".ics") and ics.content_type.startswith("text/calendar")
        (event,) = Calendar.from_ical(ics.content).walk("VEVENT")
        session = next(s for s in SESSIONS if s.key == reminder.session_key)
        assert str(event["UID"]) == _uid(session.key)
        assert event.decoded("DTSTART") == session.starts_at
        assert str(event["SUMMARY"]) == session.title


def test_every_start_email_carries_its_readers_whole_year(rules):
    plan = plan_reminders(
        "2027",
        PLACEMENT,
        START,
        None,
        SESSIONS,
        rules,
        AMSTERDAM,
        uid_for=_uid,
        sequence_for=lambda key: 2 if key == "closing" else 0,
    )
    starts = {r.role: r for r in plan if r.key.endswith(":prepare:start")}
    assert set(starts) == {"participant", "buddy", "manager"}
    # the welcome comes a week ahead, on a working day
    assert starts["participant"].due_at == _at(date(2027, 8, 30))
    for role, audience in (
        ("participant", "participants"),
        ("buddy", "buddies"),
        ("manager", "buddies"),
    ):
        reminder = starts[role]
        (ics,) = attachments_for(
            reminder.context,
            organizer=Organizer("team@rvg.example"),
            to="lezer@example.org",
            stamp=datetime(2027, 8, 30, tzinfo=UTC),
        )
        assert ics.content_type.endswith("method=PUBLISH")
        calendar = Calendar.from_ical(ics.content)
        assert str(calendar["METHOD"]) == "PUBLISH"  # one file, many events: not a REQUEST
        events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
        wanted = [s for s in SESSIONS if audience in s.audience or s.audience == ALL]
        assert sorted(events) == sorted(_uid(s.key) for s in wanted), role
        assert events[_uid("closing")]["SEQUENCE"] == 2  # the same entry as its invitations
        assert "ORGANIZER" in events[_uid("closing")]
        text = render(reminder.template, reminder.context | NAMES).text
        assert f"{len(wanted)} bijeenkomsten" in text


def test_a_start_reminder_queued_before_the_year_calendar_still_renders(rules):
    """Outbox rows enqueued by the previous release have no calendar in their context."""
    buddy = _by_key(_plan(rules))["training:2027:17:buddy:prepare:start"]
    old = {
        k: v for k, v in buddy.context.items() if k not in ("calendar_year", "sessions_in_calendar")
    }
    email = render(buddy.template, old | NAMES)
    assert "werkplek" in email.text and "jaarrooster" not in email.text


def test_a_moved_session_can_raise_the_calendar_sequence(rules):
    plan = plan_reminders(
        "2027",
        PLACEMENT,
        START,
        None,
        SESSIONS,
        rules,
        AMSTERDAM,
        uid_for=_uid,
        sequence_for=lambda key: 2 if key == "closing" else 0,
    )
    sequences = {
        r.session_key: r.context["calendar_event"]["sequence"]  # type: ignore[index]
        for r in plan
        if r.session_key
    }
    assert sequences["closing"] == 2 and sequences["contracting-mid"] == 0


def test_the_rules_name_only_session_types_of_the_training_schedule(rules):
    from rvg.training.schedule import SESSION_TYPES

    assert rules.session_types() <= set(SESSION_TYPES)


def test_a_bad_reminders_file_names_file_and_field(tmp_path):
    config = copy_config(tmp_path)
    path = config / "reminders.yaml"
    replace_in(path, "days_before: 7", "days_before: -7")
    replace_in(path, "    monthly: true", "    monthly: true\n    montly: false")
    with pytest.raises(ConfigError) as exc_info:
        load_reminder_rules(path)
    assert exc_info.value.file.endswith("reminders.yaml")
    problems = "\n".join(exc_info.value.problems)
    assert "field 'buddy.start.days_before': Input should be greater than or equal to 0" in problems
    assert "field 'buddy.check_ins.montly': is not a known field" in problems


def test_a_review_after_the_training_year_is_refused(tmp_path):
    config = copy_config(tmp_path)
    path = config / "reminders.yaml"
    replace_in(path, "    end: 12", "    end: 13")
    with pytest.raises(
        ConfigError, match=r"manager\.reviews\.end is month 13, after the 12 months"
    ):
        load_reminder_rules(path)


def test_the_generated_training_schedule_plans_cleanly(rules):
    from rvg.training.config import load_training
    from rvg.training.schedule import generate_schedule

    sessions = generate_schedule(START, load_training(REAL_CONFIG / "training.yaml"))
    plan = _plan(rules, sessions)
    assert len({r.key for r in plan}) == len(plan)
    per_role = Counter((r.role, r.key.split(":")[4]) for r in plan)
    assert per_role["participant", "session"] == sum("participants" in s.audience for s in sessions)
    attended = sum("managers" in s.audience for s in sessions)
    assert per_role["manager", "session"] == per_role["buddy", "session"] == attended
    for reminder in plan:
        render(reminder.template, reminder.context | NAMES)


@pytest.mark.parametrize(
    "year",
    ["jaarrooster", {"events": []}, {"name": "x", "events": "nee"}, {"name": "x", "events": [{}]}],
)
def test_a_broken_year_calendar_is_a_clear_error_not_a_crash(year):
    """The dispatcher turns a ValueError into a failed e-mail with this message."""
    with pytest.raises(ValueError, match="calendar_year in the e-mail context is not valid"):
        attachments_for(
            {"calendar_year": year},
            organizer=Organizer("team@rvg.example"),
            to="lezer@example.org",
            stamp=datetime(2027, 8, 30, tzinfo=UTC),
        )


def test_every_session_is_reminded_to_exactly_its_attendees_with_the_real_config():
    """The buddy-and-manager intervision stands in managers' calendars too, so they are
    reminded of it as the buddies are; no one is reminded of a session they do not attend."""
    from rvg.training.config import load_training
    from rvg.training.schedule import generate_schedule

    start = date(2027, 9, 6)
    sessions = generate_schedule(start, load_training(REAL_CONFIG / "training.yaml"))
    rules = load_reminder_rules(REAL_CONFIG / "reminders.yaml")
    planned = plan_reminders("2027", 1, start, None, sessions, rules, AMSTERDAM, uid_for=str)
    reminded = {(r.session_key, r.role) for r in planned if r.session_key is not None}
    roles = {"participants": "participant", "buddies": "buddy", "managers": "manager"}
    attends = {
        (s.key, roles[word])
        for s in sessions
        if s.starts_at.astimezone(AMSTERDAM).date() >= start
        for word in s.audience.split("_")
    }
    assert reminded == attends
    intervision = {key for key, _ in attends if key.startswith("buddy-intervision")}
    assert intervision and {(k, "manager") for k in intervision} <= reminded

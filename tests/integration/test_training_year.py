"""Phase 6 over a simulated year: schedule stored once, reminders per rule exactly once, a
moved session moves its reminders, a drop-out cancels exactly that placement's reminders."""

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from rvg.clock import DEFAULT_TIMEZONE
from rvg.config.programme import EXAMPLE_CONTACT
from rvg.db import make_sessionmaker, session_scope
from rvg.models import (
    Cohort,
    Notification,
    Placement,
    TrainingSession,
)
from rvg.settings import Settings
from rvg.training.config import load_training
from rvg.training.reminder_outbox import keep_reminders
from rvg.training.reminder_plan import plan_reminders
from rvg.training.reminder_rules import load_reminder_rules
from rvg.training.service import plan_and_store, stored_sessions
from tests.utils.applicants import MOMENT, placed_cohort
from tests.utils.config_files import REAL_CONFIG

ZONE = Settings().zone
START = date(2027, 9, 6)


def _year(engine) -> None:
    placed_cohort(engine, ["P1", "P2"], starts_on=START)
    with session_scope(make_sessionmaker(engine)) as session:
        cohort = session.scalar(select(Cohort))
        plan_and_store(
            cohort,
            load_training(REAL_CONFIG / "training.yaml"),
            session=session,
            zone=DEFAULT_TIMEZONE,
        )


def _keys(session, placement_id=None) -> Counter:
    keys = session.scalars(
        select(Notification.key).where(Notification.key.startswith("training:"))
    ).all()
    return Counter(
        k.split(":")[3]
        for k in keys
        if placement_id is None or k.split(":")[2] == str(placement_id)
    )


def test_a_year_of_weekly_runs_enqueues_every_planned_reminder_once(session):
    _year(session.get_bind())
    rules = load_reminder_rules(REAL_CONFIG / "reminders.yaml")
    cohort = session.scalar(select(Cohort))
    placement = session.scalar(select(Placement).order_by(Placement.id))
    sessions = [item for item, _ in stored_sessions(cohort, session=session)]
    planned = plan_reminders("2027", placement.id, START, None, sessions, rules, ZONE, uid_for=str)

    day = START - timedelta(days=14)
    while day <= START + timedelta(days=380):
        keep_reminders(cohort, day, 7, rules, ZONE, session=session)
        keep_reminders(cohort, day, 7, rules, ZONE, session=session)  # a re-run adds nothing
        session.commit()
        day += timedelta(days=7)

    assert _keys(session, placement.id) == Counter(r.role for r in planned)
    roles = _keys(session, placement.id)
    # the welcome with the year's calendar, and one reminder before every session of theirs
    assert roles["participant"] == 1 + sum(1 for s in sessions if "participants" in s.audience)
    assert roles["buddy"] > 13 and roles["manager"] > 12
    # The two participants share their buddy and manager: a session of the guides themselves
    # (their intervision) reaches each of them once, every other reminder once per participant.
    guides_only = {s.key for s in sessions if s.audience == "buddies_managers"}
    shared = [r for r in planned if r.session_key in guides_only]
    assert {r.role for r in shared} == {"buddy", "manager"} and len(shared) > 10
    total = session.scalar(select(func.count()).select_from(Notification))
    assert total == 2 * len(planned) - len(shared)
    intervision = Counter(
        session.scalars(
            select(Notification.to_address).where(
                Notification.key.contains(":session:buddy-intervision-")
            )
        )
    )
    assert intervision == {
        "buddy@tilburg.example": len(guides_only),
        "manager@tilburg.example": len(guides_only),
    }


def test_a_moved_session_moves_its_reminder_and_a_drop_out_cancels_only_that_placement(session):
    _year(session.get_bind())
    rules = load_reminder_rules(REAL_CONFIG / "reminders.yaml")
    cohort = session.scalar(select(Cohort))
    first, second = session.scalars(select(Placement).order_by(Placement.id)).all()
    keep_reminders(cohort, START, 60, rules, ZONE, session=session)
    session.commit()

    coaching = session.scalar(
        select(TrainingSession).where(TrainingSession.uid.contains("coaching-m02"))
    )
    key = f"training:2027:{first.id}:participant:session:coaching-m02"
    before = session.scalar(select(Notification.due_at).where(Notification.key == key))
    coaching.starts_at += timedelta(days=2)
    coaching.ends_at += timedelta(days=2)
    session.commit()
    run = keep_reminders(cohort, START, 60, rules, ZONE, session=session)
    session.commit()
    after = session.scalar(select(Notification.due_at).where(Notification.key == key))
    assert run.moved == 2 and after - before >= timedelta(days=1)

    from rvg.placements.changes import drop_out

    pending_second = _keys(session, second.id)
    result = drop_out(
        cohort,
        "P1",
        on=START + timedelta(days=20),
        reason="Andere baan",
        session=session,
        at=MOMENT,
        team_organisation="PV30",
        agency_email="werving@bureau.example",
    )
    session.commit()
    statuses = Counter(
        session.scalars(
            select(Notification.status).where(
                Notification.key.startswith(f"training:2027:{first.id}:")
            )
        )
    )
    assert result.cancelled == statuses["cancelled"] > 0 and statuses["pending"] == 0
    assert _keys(session, second.id) == pending_second
    assert all(
        s == "pending"
        for s in session.scalars(
            select(Notification.status).where(
                Notification.key.startswith(f"training:2027:{second.id}:")
            )
        )
    )
    assert (
        session.scalar(
            select(Notification.template).where(Notification.key.endswith(":replacement"))
        )
        == "replacement_request"
    )
    keep_reminders(cohort, START + timedelta(days=40), 30, rules, ZONE, session=session)
    assert not any(
        k.startswith(f"training:2027:{first.id}:")
        for k in session.scalars(select(Notification.key).where(Notification.status == "pending"))
    )


@pytest.mark.prefect
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_training_year_flow_drop_out_flow_and_calendars(
    engine, prefect_api_url, monkeypatch, tmp_path
):
    from icalendar import Calendar
    from prefect.artifacts import Artifact

    from flows.training_year import placement_drop_out, training_year
    from tests.utils.cli import run_rvg

    _year(engine)
    url = engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("RVG_DATABASE_URL", url)
    first = training_year(cohort="2027", as_of=START - timedelta(days=7))
    assert first.sessions == 65 and first.reminders_enqueued > 0 and not first.year_over
    assert training_year(cohort="2027", as_of=START - timedelta(days=7)).reminders_enqueued == 0
    assert Artifact.get("training-coming-2027") is not None
    assert Artifact.get("training-progress-2027") is not None

    cancelled = placement_drop_out(
        cohort="2027", participant="P1", on=START + timedelta(days=3), reason="Andere baan"
    )
    assert cancelled > 0
    result = run_rvg(
        "schedule", "ics", "--cohort", "2027", "--out", str(tmp_path), database_url=url
    )
    assert result.returncode == 0, result.stderr
    assert {p.name for p in tmp_path.iterdir()} == {
        "programme.ics",
        "deelnemer-P2.ics",
        "buddies-leidinggevenden.ics",
    }
    programme = Calendar.from_ical((tmp_path / "programme.ics").read_bytes())
    events = programme.walk("VEVENT")
    assert len(events) == 65 and len({str(e["uid"]) for e in events}) == 65
    assert {
        "training",
        "knowledge_test",
        "bus_tour",
        "talent_coaching",
        "contracting",
        "closing_event",
    } <= {str(e["categories"].cats[0]) for e in events}
    assert programme.walk("VTIMEZONE")[0]["tzid"] == "Europe/Amsterdam"
    last = training_year(cohort="2027", as_of=date(2028, 9, 7))
    assert last.year_over and last.progress_percent == 100.0


def test_matched_participants_are_placed_when_their_placement_starts(session):
    """The funnel reaches its end: from the start day the matched are placed, entered on
    that day; a second run changes nothing, and a drop-out before the start is not placed."""
    from rvg.models import Applicant, StageChange
    from rvg.placements.changes import drop_out
    from rvg.recruitment.funnel import funnel_applicants, stage_figures
    from rvg.repositories.placements import start_placements

    placed_cohort(session.get_bind(), ["P1", "P2", "P3"], starts_on=START)
    cohort = session.scalar(select(Cohort))
    drop_out(
        cohort,
        "P3",
        on=START,
        reason="Andere baan",
        session=session,
        at=MOMENT,
        team_organisation="PV30",
        agency_email=None,
    )
    assert start_placements(cohort, START - timedelta(days=1), session=session) == 0
    assert start_placements(cohort, START, session=session) == 2
    assert start_placements(cohort, START + timedelta(days=1), session=session) == 0
    session.commit()

    stages = dict(session.execute(select(Applicant.applicant_ref, Applicant.stage)).all())
    assert stages == {"P1": "placed", "P2": "placed", "P3": "matched"}
    entries = session.scalars(select(StageChange.entered_on).where(StageChange.stage == "placed"))
    assert list(entries) == [START, START]
    applicants = session.scalars(select(Applicant)).all()
    reached = {f.stage: f.count for f in stage_figures(funnel_applicants(applicants))}
    assert (reached["matched"], reached["placed"]) == (3, 2)


def test_a_drop_out_removes_only_that_participants_calendar(session, tmp_path):
    """Calendars written again after a drop-out: nobody's file stays as if they took part,
    and files that are not the programme's own are left alone."""
    from datetime import UTC, datetime

    from rvg.calendar import Organizer
    from rvg.placements.changes import drop_out
    from rvg.training.service import write_calendars

    _year(session.get_bind())
    cohort = session.scalar(select(Cohort))

    def write() -> None:
        write_calendars(
            cohort,
            stored_sessions(cohort, session=session),
            tmp_path,
            session=session,
            organizer=Organizer("team@rvg.example"),
            stamp=datetime(2027, 9, 1, tzinfo=UTC),
        )

    write()
    (tmp_path / "notities.txt").write_text("van het team", encoding="utf-8")
    drop_out(
        cohort,
        "P1",
        on=START + timedelta(days=3),
        reason="Andere baan",
        session=session,
        at=MOMENT,
        team_organisation="PV30",
        agency_email=None,
    )
    write()
    assert {p.name for p in tmp_path.iterdir()} == {
        "programme.ics",
        "deelnemer-P2.ics",
        "buddies-leidinggevenden.ics",
        "notities.txt",
    }


def test_a_reference_stored_before_the_rule_never_leaves_the_calendar_folder(session, tmp_path):
    """A path-like applicant reference (imported before references had a rule) names its
    participant's calendar by a safe slug, inside the folder."""
    from rvg.training.service import write_calendars

    engine = session.get_bind()
    placed_cohort(engine, ["../../evil", "P2"], starts_on=START)
    cohort = session.scalar(select(Cohort))
    plan_and_store(cohort, load_training(REAL_CONFIG / "training.yaml"), session=session, zone=ZONE)
    folder = tmp_path / "out" / "agenda"
    paths = write_calendars(
        cohort,
        stored_sessions(cohort, session=session),
        folder,
        session=session,
        organizer=EXAMPLE_CONTACT.organizer,
        stamp=MOMENT,
    )
    assert {p.parent for p in paths} == {folder}
    assert {p.name for p in folder.iterdir()} == {
        "programme.ics",
        "deelnemer-_.._evil.ics",
        "deelnemer-P2.ics",
        "buddies-leidinggevenden.ics",
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]

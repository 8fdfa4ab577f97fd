"""Several cohorts on one calendar: cohort 2028's business case, sign-up and tender run while
2027 is in its training year. One plan says what is due for all of them; the outbox and
retention are looked up once, not per cohort; a daily tick that did not run is caught up."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, select

from rvg.config.programme import load_programme
from rvg.cycle import CalendarPlan, CyclePlan, plan_calendar, plan_cycle, tick_last_runs
from rvg.db import make_sessionmaker, session_scope
from rvg.evaluation.definitions import load_surveys
from rvg.models import Cohort
from rvg.phases import Phase
from rvg.repositories.cohorts import phase_ticks, record_ticks
from tests.utils.config_files import REAL_CONFIG
from tests.utils.flows import cohort_in, complete_phases, next_cohort_file

ZONE = ZoneInfo("Europe/Amsterdam")
PROGRAMME = load_programme(REAL_CONFIG / "programme.yaml")
SURVEYS = load_surveys(REAL_CONFIG / "surveys.yaml")
# 2027's first five phases are done on its matching day; 2028's business case is decided then
MATCHED = date(2027, 6, 24)


def _calendar(session) -> CalendarPlan:  # type: ignore[no-untyped-def]
    cohorts = session.scalars(select(Cohort).order_by(Cohort.code))
    plans = [plan_cycle(c, PROGRAMME, SURVEYS, session=session, zone=ZONE) for c in cohorts]
    return plan_calendar(plans, session=session, zone=ZONE)


@pytest.fixture
def two_cohorts(engine, tmp_path):  # type: ignore[no-untyped-def]
    """2027 placed and waiting for its training year; 2028's business case decided."""
    cohort_in(engine)
    cohort_in(engine, "2028", next_cohort_file(tmp_path))
    with session_scope(make_sessionmaker(engine)) as session:
        complete_phases(session, "2027", list(Phase)[:5], MATCHED)
        complete_phases(session, "2028", [Phase.BUSINESS_CASE], MATCHED)
    return engine


def test_one_calendar_says_what_is_due_for_both_cohorts(two_cohorts) -> None:
    with session_scope(make_sessionmaker(two_cohorts)) as session:
        plan = _calendar(session)
    assert plan.first_day == date(2026, 6, 25)  # 2027's business case
    # the day 2028's business case is decided its tender starts; 2027's year starts later
    assert plan.due(MATCHED, {}) == [("2028", Phase.TENDERING)]
    ran = {"2028": {Phase.TENDERING: MATCHED}}
    assert plan.next_day(MATCHED, ran) == date(2027, 8, 30)  # a week before 2027's start
    # 6 September 2027: 2027's training starts and 2028's sign-up opens; the oldest first
    assert plan.due(date(2027, 9, 6), ran) == [
        ("2027", Phase.TRAINING_YEAR),
        ("2028", Phase.COMMITMENTS),
    ]
    ran["2027"] = {Phase.TRAINING_YEAR: date(2027, 8, 30)}  # it ran on 30 August
    assert plan.due(date(2027, 9, 6), ran) == [("2028", Phase.COMMITMENTS)]


def test_a_finished_cohort_has_nothing_due(two_cohorts) -> None:
    with session_scope(make_sessionmaker(two_cohorts)) as session:
        complete_phases(session, "2027", list(Phase)[5:], date(2028, 10, 1))
        plan = _calendar(session)
    assert not plan.finished and plan.of("2027").finished
    assert [cohort for cohort, _ in plan.due(date(2028, 10, 2), {})] == ["2028", "2028"]


def test_the_outbox_and_retention_are_looked_up_once_for_every_cohort(two_cohorts) -> None:
    statements: list[str] = []

    def seen(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(two_cohorts, "before_cursor_execute", seen)
    try:
        with session_scope(make_sessionmaker(two_cohorts)) as session:
            _calendar(session)
    finally:
        event.remove(two_cohorts, "before_cursor_execute", seen)
    assert sum("FROM notifications" in s for s in statements) == 1
    assert sum("FROM applicants" in s for s in statements) == 1


def test_a_missed_tick_is_caught_up_once_and_an_event_started_phase_not_repeated(
    two_cohorts,
) -> None:
    with session_scope(make_sessionmaker(two_cohorts)) as session:
        plan = _calendar(session)
    # no tick has run: 2028's tender was started by its business case's completed event
    last = tick_last_runs(plan, {})
    assert last["2028"][Phase.TENDERING] == MATCHED
    assert plan.due(MATCHED, last) == []
    # the ticks of 30 August to 5 September did not run: on the 6th the year catches up
    training = plan.of("2027")
    assert training.missed(Phase.TRAINING_YEAR, date(2027, 9, 6), {}) == [date(2027, 8, 30)]
    due = plan.due(date(2027, 9, 6), last)
    assert ("2027", Phase.TRAINING_YEAR) in due
    # once the tick of the 6th started it, the 7th has nothing more for it
    after = tick_last_runs(plan, {"2027": {Phase.TRAINING_YEAR: date(2027, 9, 6)}})
    assert ("2027", Phase.TRAINING_YEAR) not in plan.due(date(2027, 9, 7), after)


def test_the_ticks_are_stored_per_cohort_and_phase_and_keep_the_latest_day(two_cohorts) -> None:
    day, later = date(2027, 9, 6), date(2027, 10, 4)
    with session_scope(make_sessionmaker(two_cohorts)) as session:
        cohorts = list(session.scalars(select(Cohort).order_by(Cohort.code)))
        record_ticks([(cohorts[0], Phase.TRAINING_YEAR)], later, session=session)
        record_ticks(
            [(cohorts[0], Phase.TRAINING_YEAR), (cohorts[1], Phase.COMMITMENTS)],
            day,
            session=session,
        )
    with session_scope(make_sessionmaker(two_cohorts)) as session:
        cohorts = list(session.scalars(select(Cohort).order_by(Cohort.code)))
        assert phase_ticks(cohorts, session=session) == {
            "2027": {Phase.TRAINING_YEAR: later},
            "2028": {Phase.COMMITMENTS: day},
        }


def test_a_plan_for_cohorts_that_are_all_idle_has_no_next_day() -> None:
    idle = CalendarPlan((CyclePlan("2027", date(2026, 6, 25), {}),))
    assert idle.next_day(date(2027, 1, 1), {}) is None
    mail = CalendarPlan(idle.cohorts, mail_due=date(2027, 1, 1), mail_due_at=datetime.now(UTC))
    assert mail.next_day(date(2027, 1, 1), {}) == date(2027, 1, 2)


def test_later_sign_up_runs_do_not_say_nobody_could_be_invited(engine) -> None:
    """The run after the invitations went out invites nobody new; that is not the error
    'no organisation has a secretary' while one has."""
    from rvg.commitments.collection import invite
    from rvg.settings import Settings
    from rvg.unit import unit
    from tests.utils.web import secretary

    cohort_in(engine)
    url = engine.url.render_as_string(hide_password=False)
    settings = Settings(database_url=url)
    opens = date(2026, 9, 7)
    with unit("2027", settings=settings) as u:
        assert invite(u, opens).nobody_to_invite  # no secretary anywhere
    secretary(engine)
    with unit("2027", settings=settings) as u:
        first = invite(u, opens)
    with unit("2027", settings=settings) as u:
        again = invite(u, opens + timedelta(days=1))
    assert (first.organisations, first.emails, first.nobody_to_invite) == (1, 1, False)
    assert (again.organisations, again.emails, again.nobody_to_invite) == (0, 0, False)

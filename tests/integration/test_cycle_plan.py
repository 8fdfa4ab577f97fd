"""The days each phase of the cycle has work, from the cohort's key dates, the configuration
and what is stored — the rule that lets the cycle skip the days on which nothing happens."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from rvg.config.programme import load_programme
from rvg.cycle import CalendarPlan, CyclePlan, plan_calendar, plan_cycle
from rvg.db import make_sessionmaker, session_scope
from rvg.evaluation.definitions import load_surveys
from rvg.models import Applicant, CandidatePreference, Cohort, Organisation
from rvg.notifications import enqueue
from rvg.notifications.safety import UnsafeDryRun, refuse_real_mail
from rvg.phases import Phase
from rvg.repositories.cohorts import mark_phase_completed
from tests.utils.applicants import add_applicants
from tests.utils.config_files import REAL_CONFIG
from tests.utils.flows import cohort_in

ZONE = ZoneInfo("Europe/Amsterdam")
PROGRAMME = load_programme(REAL_CONFIG / "programme.yaml")
SURVEYS = load_surveys(REAL_CONFIG / "surveys.yaml")


def _plan(engine) -> CyclePlan:  # type: ignore[no-untyped-def]
    with session_scope(make_sessionmaker(engine)) as session:
        cohort = session.scalar(select(Cohort))
        return plan_cycle(cohort, PROGRAMME, SURVEYS, session=session, zone=ZONE)


def _complete(engine, phase: Phase, on: date) -> None:  # type: ignore[no-untyped-def]
    with session_scope(make_sessionmaker(engine)) as session:
        cohort = session.scalar(select(Cohort))
        at = datetime.combine(on, datetime.min.time(), tzinfo=ZONE)
        mark_phase_completed(cohort, phase, session=session, at=at)


def test_a_new_cohort_has_only_its_business_case_due(engine) -> None:
    cohort_in(engine)
    plan = _plan(engine)
    assert plan.first_day == date(2026, 6, 25)
    assert plan.due == {Phase.BUSINESS_CASE: (date(2026, 6, 25),)}
    assert plan.phases_due(date(2026, 6, 24), {}) == []
    assert plan.phases_due(date(2026, 6, 25), {}) == [Phase.BUSINESS_CASE]
    assert plan.phases_due(date(2026, 6, 25), {Phase.BUSINESS_CASE: date(2026, 6, 25)}) == []
    assert plan.waiting_on() == ["business-case"]
    assert not plan.finished


def test_an_approved_business_case_starts_commitments_and_tendering(engine) -> None:
    cohort_in(engine)
    _complete(engine, Phase.BUSINESS_CASE, date(2026, 6, 25))
    plan = _plan(engine)
    assert set(plan.due) == {Phase.COMMITMENTS, Phase.TENDERING}
    # opening, the reminders 14, 7 and 2 days before the deadline, the deadline, the day after
    assert plan.due[Phase.COMMITMENTS] == (
        date(2026, 9, 7),
        date(2026, 10, 16),
        date(2026, 10, 23),
        date(2026, 10, 28),
        date(2026, 10, 30),
        date(2026, 10, 31),
    )
    assert plan.due[Phase.TENDERING] == (date(2026, 6, 25),)  # no plan stored yet
    assert plan.phases_due(date(2026, 6, 25), {Phase.BUSINESS_CASE: date(2026, 6, 25)}) == [
        Phase.TENDERING
    ]
    last_run = {Phase.TENDERING: date(2026, 6, 25)}
    assert plan.next_day(date(2026, 6, 25), last_run) == date(2026, 9, 7)


def test_matching_waits_for_the_preferences(engine) -> None:
    cohort_in(engine)
    for phase in (Phase.BUSINESS_CASE, Phase.COMMITMENTS, Phase.TENDERING, Phase.RECRUITMENT):
        _complete(engine, phase, date(2027, 6, 18))
    assert _plan(engine).due[Phase.MATCHING] == ()
    with session_scope(make_sessionmaker(engine)) as session:
        cohort = session.scalar(select(Cohort))
        add_applicants(session, cohort, ["A1"])
    with session_scope(make_sessionmaker(engine)) as session:
        cohort = session.scalar(select(Cohort))
        session.add(
            CandidatePreference(
                cohort_id=cohort.id,
                applicant_id=session.scalar(select(Applicant.id)),
                organisation_id=session.scalar(select(Organisation.id)),
                rank=1,
            )
        )
    plan = _plan(engine)
    assert plan.due[Phase.MATCHING] == (date(2027, 6, 18),)
    assert plan.phases_due(date(2027, 6, 20), {}) == [Phase.MATCHING]


def test_the_training_year_and_the_survey_rounds_after_the_placements(engine) -> None:
    cohort_in(engine)
    for phase in list(Phase)[:5]:
        _complete(engine, phase, date(2027, 6, 20))
    plan = _plan(engine)
    training = plan.due[Phase.TRAINING_YEAR]
    assert training[0] == date(2027, 8, 30)  # a week before the start, to remind the buddies
    assert {b - a for a, b in itertools.pairwise(training)} == {timedelta(days=28)}
    assert training[-1] > date(2028, 9, 6)  # through the closing event and the last reviews
    evaluation = plan.due[Phase.EVALUATION]
    first = SURVEYS.rounds[0]
    assert first.opens_on(date(2027, 9, 6)) in evaluation
    assert first.closes_on(date(2027, 9, 6)) + timedelta(days=1) in evaluation
    assert Phase.REDESIGN not in plan.due
    _complete(engine, Phase.TRAINING_YEAR, date(2028, 10, 1))
    _complete(engine, Phase.EVALUATION, date(2028, 10, 2))
    assert _plan(engine).due == {Phase.REDESIGN: (date(2028, 10, 2),)}


def test_the_outbox_wakes_the_cycle_on_the_day_mail_is_due(engine) -> None:
    cohort_in(engine)
    with session_scope(make_sessionmaker(engine)) as session:
        enqueue(
            session,
            key="t:1",
            to="someone@example.org",
            template="test",
            context={"number": 1, "total": 1, "requested_at": "nu"},
            due_at=datetime(2026, 7, 1, 22, 30, tzinfo=UTC),  # 00:30 on 2 July in Amsterdam
        )
    with session_scope(make_sessionmaker(engine)) as session:
        plan = plan_calendar([_plan(engine)], session=session, zone=ZONE)
    assert plan.mail_due == date(2026, 7, 2)
    assert plan.mail_due_at == datetime(2026, 7, 1, 22, 30, tzinfo=UTC)
    last_run = {"2027": {Phase.BUSINESS_CASE: date(2026, 6, 25)}}
    assert plan.next_day(date(2026, 6, 25), last_run) == date(2026, 7, 2)
    assert plan.of("2027").next_day(date(2026, 6, 25), last_run["2027"]) is None


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_a_dry_run_may_send_to_a_local_sink(host: str) -> None:
    refuse_real_mail(host)


@pytest.mark.parametrize("host", ["smtp.provincie.example", "10.0.0.5"])
def test_a_dry_run_refuses_a_real_mail_server(host: str) -> None:
    with pytest.raises(UnsafeDryRun, match="not a local sink"):
        refuse_real_mail(host)


def test_the_dry_run_visits_the_day_an_erasure_falls_due():
    idle = (CyclePlan("2027", date(2026, 6, 25), {}),)
    plan = CalendarPlan(idle, erasure_due=date(2027, 7, 23))
    assert plan.next_day(date(2027, 7, 1), {}) == date(2027, 7, 23)
    assert plan.next_day(date(2027, 7, 23), {}) == date(2027, 7, 24)  # still due: try again
    assert CalendarPlan(idle).next_day(date(2027, 7, 1), {}) is None

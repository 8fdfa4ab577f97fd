"""The campaign's weekly Q&A sessions: one a week per audience on the cohort's weekday, from
the week the recruitment opens until the meet & greet, never on a Dutch public holiday."""

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from rvg.information.qa import QaAudience, qa_sessions
from rvg.recruitment.config import QaRules, QaTimes
from rvg.workdays import is_working_day

ZONE = ZoneInfo("Europe/Amsterdam")
RULES = QaRules()  # Wednesdays, candidates 19:30-20:30, organisations 12:00-12:45


def test_one_session_a_week_for_each_audience_between_the_opening_and_the_meet_and_greet():
    sessions = qa_sessions(date(2027, 3, 1), date(2027, 6, 17), RULES, ZONE)
    candidates = [s for s in sessions if s.audience is QaAudience.CANDIDATES]
    organisations = [s for s in sessions if s.audience is QaAudience.ORGANISATIONS]
    assert len(candidates) == len(organisations) == 16  # 3 March to 16 June
    assert candidates[0].starts_at.isoformat() == "2027-03-03T19:30:00+01:00"
    assert organisations[0].ends_at.time() == time(12, 45)
    assert all(s.day < date(2027, 6, 17) for s in sessions)
    assert all(is_working_day(s.day) for s in sessions)
    assert len({s.uid("2027") for s in sessions}) == len(sessions)


def test_a_holiday_moves_the_session_to_the_next_working_day_of_its_week_or_drops_it():
    # Thursdays: Ascension Day 2027 is Thursday 6 May; King's Day Tuesday 27 April
    thursdays = QaRules(weekday="thursday")
    days = [s.day for s in qa_sessions(date(2027, 4, 26), date(2027, 5, 14), thursdays, ZONE)]
    assert date(2027, 5, 6) not in days and date(2027, 5, 7) in days  # to the Friday
    tuesdays = QaRules(weekday="tuesday")
    days = [s.day for s in qa_sessions(date(2027, 4, 26), date(2027, 5, 1), tuesdays, ZONE)]
    assert days == [date(2027, 4, 28), date(2027, 4, 28)]  # King's Day: on the Wednesday


def test_a_session_before_the_opening_or_on_the_meet_and_greet_is_not_held():
    days = {s.day for s in qa_sessions(date(2027, 3, 4), date(2027, 3, 17), RULES, ZONE)}
    assert days == {date(2027, 3, 10)}  # the 3rd is before the opening, the 17th the day itself
    only = qa_sessions(date(2027, 3, 1), date(2027, 3, 17), RULES, ZONE, QaAudience.CANDIDATES)
    assert {s.audience for s in only} == {QaAudience.CANDIDATES}


def test_times_that_end_before_they_start_are_refused():
    with pytest.raises(ValidationError, match="end must be after start"):
        QaTimes(start=time(20, 0), end=time(19, 0))
    with pytest.raises(ValidationError):
        QaRules(weekday="sunday")  # type: ignore[arg-type]

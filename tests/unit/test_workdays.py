"""Dutch working days: weekends and the public holidays of the Netherlands are skipped."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from rvg.config.programme import MailHours
from rvg.workdays import (
    add_working_days,
    dutch_holiday_name,
    is_working_day,
    next_working_day,
    previous_working_day,
    working_hours_moment,
)

HOLIDAYS_ON_WEEKDAYS = [
    date(2026, 12, 25),  # Christmas, a Friday
    date(2027, 1, 1),  # New Year, a Friday
    date(2027, 3, 26),  # Good Friday
    date(2027, 3, 29),  # Easter Monday
    date(2027, 4, 27),  # King's Day, a Tuesday
    date(2027, 5, 6),  # Ascension Day
    date(2027, 5, 17),  # Whit Monday
    date(2025, 5, 5),  # Liberation Day in a lustrum year
]


@pytest.mark.parametrize("day", HOLIDAYS_ON_WEEKDAYS, ids=str)
def test_public_holidays_are_no_working_days(day):
    assert day.weekday() < 5
    assert not is_working_day(day)
    assert dutch_holiday_name(day)


def test_holiday_names_come_from_the_holidays_package():
    assert dutch_holiday_name(date(2027, 4, 27)) == "King's Day"
    assert dutch_holiday_name(date(2026, 12, 26)) == "Second Day of Christmas"
    assert dutch_holiday_name(date(2027, 4, 28)) is None


def test_weekends_are_no_working_days_and_ordinary_weekdays_are():
    assert not is_working_day(date(2027, 3, 6))  # Saturday
    assert not is_working_day(date(2027, 3, 7))  # Sunday
    assert is_working_day(date(2027, 3, 1))
    assert is_working_day(date(2027, 4, 28))


def test_liberation_day_outside_a_lustrum_year_is_a_working_day():
    """As the holidays package has it: 5 May is a day off only every five years."""
    assert is_working_day(date(2027, 5, 5))


def test_extra_closed_days_are_skipped_too():
    closed = frozenset({date(2026, 12, 28), date(2026, 12, 29)})
    assert not is_working_day(date(2026, 12, 28), closed)
    assert next_working_day(date(2026, 12, 25), closed) == date(2026, 12, 30)


def test_next_working_day_skips_christmas_and_the_weekend():
    assert next_working_day(date(2026, 12, 25)) == date(2026, 12, 28)
    assert next_working_day(date(2027, 3, 26)) == date(2027, 3, 30)  # Good Friday to Tuesday
    assert next_working_day(date(2027, 4, 26)) == date(2027, 4, 26)


def test_previous_working_day_goes_back_over_holidays():
    assert previous_working_day(date(2027, 1, 1)) == date(2026, 12, 31)
    assert previous_working_day(date(2027, 3, 29)) == date(2027, 3, 25)  # Easter to Thursday
    assert previous_working_day(date(2027, 4, 27)) == date(2027, 4, 26)


def test_add_working_days_counts_only_working_days():
    assert add_working_days(date(2026, 12, 23), 3) == date(2026, 12, 29)
    assert add_working_days(date(2026, 12, 29), -3) == date(2026, 12, 23)
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert add_working_days(date(2027, 4, 26), 1) == date(2027, 4, 28)


def test_add_zero_working_days_is_the_day_or_the_next_working_day():
    assert add_working_days(date(2027, 4, 26), 0) == date(2027, 4, 26)
    assert add_working_days(date(2027, 4, 27), 0) == date(2027, 4, 28)


def test_from_a_closed_day_the_day_itself_is_not_counted():
    assert add_working_days(date(2027, 3, 6), 1) == date(2027, 3, 8)  # Saturday + 1: Monday
    assert add_working_days(date(2027, 3, 7), -1) == date(2027, 3, 5)  # Sunday - 1: Friday


def test_adding_and_subtracting_working_days_round_trips_over_two_years():
    day = date(2026, 1, 1)
    while day < date(2028, 1, 1):
        if is_working_day(day):
            later = add_working_days(day, 7)
            assert is_working_day(later)
            assert add_working_days(later, -7) == day
        day += timedelta(days=1)


AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NINE, FIVE = time(9, 0), time(17, 0)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # within working hours on a Wednesday: at once
        (_at(date(2027, 6, 16), 11, 30), _at(date(2027, 6, 16), 11, 30)),
        # early on a working day: that day's opening
        (_at(date(2027, 6, 16), 0, 0), _at(date(2027, 6, 16), 9)),
        # the evening: the next working day's opening, not 23:59
        (_at(date(2027, 6, 16), 23, 59), _at(date(2027, 6, 17), 9)),
        # closing time itself is outside the hours
        (_at(date(2027, 6, 16), 17, 0), _at(date(2027, 6, 17), 9)),
        # Friday evening, Saturday and Sunday: Monday
        (_at(date(2027, 6, 18), 17, 30), _at(date(2027, 6, 21), 9)),
        (_at(date(2027, 6, 19), 10, 0), _at(date(2027, 6, 21), 9)),
        (_at(date(2027, 6, 20), 0, 0), _at(date(2027, 6, 21), 9)),
        # Christmas Eve evening: over Christmas and the weekend to Monday 27 December
        (_at(date(2027, 12, 24), 20, 0), _at(date(2027, 12, 27), 9)),
        # King's Day 2027 (Tuesday 27 April): the Wednesday
        (_at(date(2027, 4, 27), 10, 0), _at(date(2027, 4, 28), 9)),
    ],
)
def test_mail_waits_for_working_hours_on_a_working_day(moment, expected):
    assert working_hours_moment(moment, NINE, FIVE) == expected
    assert is_working_day(working_hours_moment(moment, NINE, FIVE).date())


def test_working_hours_are_read_on_the_local_clock():
    # 07:30 UTC on a summer Wednesday is 09:30 in Amsterdam: within the hours
    utc = datetime(2027, 6, 16, 7, 30, tzinfo=UTC)
    assert working_hours_moment(utc.astimezone(AMSTERDAM), NINE, FIVE) == utc
    with pytest.raises(ValueError, match="timezone-aware"):
        working_hours_moment(datetime(2027, 6, 16, 10, 0), NINE, FIVE)


def test_the_programme_mail_hours_turn_a_day_into_its_opening_or_the_next_working_day():
    hours = MailHours(start=time(8, 30), end=time(16, 0))
    assert hours.send_at(date(2027, 6, 16), AMSTERDAM) == _at(date(2027, 6, 16), 8, 30)
    assert hours.send_at(date(2027, 6, 20), AMSTERDAM) == _at(date(2027, 6, 21), 8, 30)
    assert hours.send_at(_at(date(2027, 6, 16), 16, 5), AMSTERDAM) == _at(date(2027, 6, 17), 8, 30)
    with pytest.raises(ValueError, match="start must be before end"):
        MailHours(start=time(17, 0), end=time(9, 0))


def test_deadlines_in_mail_fall_on_working_days():
    from rvg.evaluation.definitions import Round
    from rvg.placements.notices import reply_by

    # opens Monday 6 December 2027, 14 days later is Monday 20th; 12 days is Saturday 18th
    survey = Round(
        code="m03", title="Drie maanden", month=3, open_days=12, audiences=["participant"]
    )
    assert survey.closes_on(date(2027, 9, 6)) == date(2027, 12, 20)
    # a match e-mail on Tuesday 13 April 2027: 14 days later is King's Day
    assert reply_by(_at(date(2027, 4, 13), 9)) == date(2027, 4, 28)
    assert reply_by(_at(date(2027, 6, 21), 9)) == date(2027, 7, 5)

"""Dutch working days: weekends and the public holidays of the Netherlands are skipped."""

from datetime import date, timedelta

import pytest

from rvg.workdays import (
    add_working_days,
    dutch_holiday_name,
    is_working_day,
    next_working_day,
    previous_working_day,
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

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from rvg import clock

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_a_date_means_the_start_of_that_day_in_amsterdam():
    moment = clock.now(date(2027, 7, 1))
    assert moment == datetime(2027, 7, 1, tzinfo=AMSTERDAM)
    assert clock.utcnow(date(2027, 7, 1)) == datetime(2027, 6, 30, 22, 0, tzinfo=UTC)


def test_naive_datetime_is_local_time_and_aware_is_converted():
    assert clock.now(datetime(2027, 1, 15, 9, 30)).utcoffset().total_seconds() == 3600
    late_utc = datetime(2027, 3, 31, 23, 30, tzinfo=UTC)
    assert clock.today(late_utc) == date(2027, 4, 1)  # already the next day in Amsterdam


def test_without_as_of_the_real_time_is_used():
    before = datetime.now(UTC)
    moment = clock.utcnow()
    assert moment.tzinfo is not None
    assert abs((moment - before).total_seconds()) < 5


def test_start_of_day_follows_daylight_saving_time():
    assert clock.start_of_day(date(2027, 1, 10)).hour == 23
    assert clock.start_of_day(date(2027, 7, 10)).hour == 22

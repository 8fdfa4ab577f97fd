"""The training year's schedule from config/training.yaml, for a start in September 2027."""

from collections import Counter
from datetime import date, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import holidays
import pytest

from rvg.errors import ConfigError
from rvg.training.config import TrainingRules, load_training
from rvg.training.schedule import (
    AUDIENCES,
    SESSION_TYPES,
    PlannedSession,
    generate_schedule,
    month_start,
)
from tests.utils.config_files import REAL_CONFIG, copy_config, replace_in

START = date(2027, 9, 6)  # config/cohorts/2027.yaml, a Monday
ASCENSION_2028 = date(2028, 5, 25)


@pytest.fixture(scope="module")
def rules() -> TrainingRules:
    return load_training(REAL_CONFIG / "training.yaml")


@pytest.fixture(scope="module")
def schedule(rules) -> list[PlannedSession]:
    return generate_schedule(START, rules)


def month_of(day: date, start: date = START) -> int:
    return max(n for n in range(1, 14) if month_start(start, n) <= day)


def of_type(schedule, session_type):
    return [s for s in schedule if s.session_type == session_type]


def by_key(schedule) -> dict[str, PlannedSession]:
    return {s.key: s for s in schedule}


def test_months_of_the_training_year():
    assert month_start(START, 1) == START
    assert month_start(START, 2) == date(2027, 10, 6)
    assert month_start(START, 12) == date(2028, 8, 6)
    assert month_start(date(2027, 1, 31), 2) == date(2027, 2, 28)
    assert month_of(date(2028, 9, 5)) == 12


def test_first_block_has_three_or_four_training_days_a_week_within_three_weeks(schedule):
    block = [s for s in schedule if s.key.startswith("block1-day-")]
    assert 9 <= len(block) <= 12
    assert all(START <= s.day < START + timedelta(weeks=3) for s in block)
    per_week = Counter((s.day - START).days // 7 for s in block)
    assert sorted(per_week) == [0, 1, 2]
    assert all(3 <= n <= 4 for n in per_week.values())
    assert {s.session_type for s in block} == {"training"}
    assert any("persoonlijkheidstest" in s.title for s in block)
    assert any("teamrollentest" in s.title for s in block)


def test_knowledge_test_and_bus_tour_close_the_first_block(schedule):
    [test] = of_type(schedule, "knowledge_test")
    [tour] = of_type(schedule, "bus_tour")
    last_training_day = max(s.day for s in schedule if s.key.startswith("block1-day-"))
    assert test.day == tour.day == date(2027, 9, 23)
    assert last_training_day < test.day < START + timedelta(weeks=3)
    assert test.ends_at <= tour.starts_at


def test_talent_coaching_once_in_each_of_months_2_to_12(schedule):
    coaching = of_type(schedule, "talent_coaching")
    assert sorted(month_of(s.day) for s in coaching) == list(range(2, 13))
    assert all(s.location.startswith("Online") for s in coaching)
    assert all(s.ends_at - s.starts_at == timedelta(hours=1) for s in coaching)


def test_about_two_sessions_a_month_in_block_two(schedule):
    block2 = [s for s in schedule if s.key.startswith("block2-")]
    assert 18 <= len(block2) <= 24
    per_month = Counter(month_of(s.day) for s in block2)
    assert set(per_month) == set(range(2, 12))
    assert all(n == 2 for n in per_month.values())
    assert len({s.title for s in block2}) == len(block2)


def test_personal_leadership_and_intervision(schedule):
    [resilience] = of_type(schedule, "personal_leadership")
    assert month_of(resilience.day) == 4
    assert len(of_type(schedule, "intervision")) == 10
    buddy = of_type(schedule, "buddy_intervision")
    assert len(buddy) == 7
    assert {s.audience for s in buddy} == {"buddies_managers"}
    gaps = [(b.day - a.day).days for a, b in pairwise(buddy)]
    assert max(gaps) <= 9 * 7


def test_three_contracting_conversations_at_start_mid_year_and_end(schedule):
    contracting = of_type(schedule, "contracting")
    assert [s.key for s in contracting] == [
        "contracting-start",
        "contracting-mid",
        "contracting-end",
    ]
    assert [month_of(s.day) for s in contracting] == [1, 6, 12]
    assert contracting[0].day < START + timedelta(weeks=1)
    assert {s.audience for s in contracting} == {"participants_buddies_managers"}


def test_one_closing_event_in_month_12_on_a_thursday_afternoon(schedule):
    [closing] = of_type(schedule, "closing_event")
    assert month_of(closing.day) == 12
    assert closing.day.weekday() == 3
    assert closing.starts_at.hour >= 12
    assert closing.audience == "participants_buddies_managers"


def test_nothing_on_public_holidays_weekends_or_closed_periods(schedule, rules):
    dutch = holidays.country_holidays("NL", years=[2027, 2028])
    for item in schedule:
        assert item.day not in dutch, item
        assert item.day.weekday() < 5, item
        assert not rules.is_closed(item.day), item
    assert rules.is_closed(date(2027, 12, 28))
    assert rules.is_closed(date(2028, 1, 2))
    assert not rules.is_closed(date(2028, 1, 3))


def test_sessions_are_well_formed_sorted_and_unique(schedule):
    keys = [s.key for s in schedule]
    assert len(set(keys)) == len(keys)
    assert schedule == sorted(schedule, key=lambda s: s.starts_at)
    for item in schedule:
        assert item.session_type in SESSION_TYPES
        assert item.audience in AUDIENCES
        assert item.starts_at.tzinfo == ZoneInfo("Europe/Amsterdam")
        assert item.starts_at < item.ends_at
        assert item.starts_at.date() == item.ends_at.date()


def test_the_times_of_day_are_in_the_programmes_time_zone(schedule, rules):
    # A region with RVG_TIMEZONE elsewhere gets the configured hours on its own clock.
    london = ZoneInfo("Europe/London")
    elsewhere = generate_schedule(START, rules, zone=london)
    assert [s.key for s in elsewhere] == [s.key for s in schedule]
    for here, there in zip(schedule, elsewhere, strict=True):
        assert there.starts_at.tzinfo == london
        assert there.starts_at.time() == here.starts_at.time()
        assert there.starts_at - here.starts_at == timedelta(hours=1)


def test_no_two_participant_sessions_overlap(schedule):
    participants = [s for s in schedule if s.audience != "buddies_managers"]
    for a, b in pairwise(participants):
        assert a.ends_at <= b.starts_at, (a.key, b.key)


def test_the_same_input_gives_the_same_schedule(rules, schedule):
    assert generate_schedule(START, rules) == schedule


def test_a_session_on_ascension_day_moves_to_the_next_working_day(schedule):
    assert ASCENSION_2028.weekday() == 3  # the second Thursday slot of month 9
    moved = by_key(schedule)["block2-m09-2"]
    assert moved.day == date(2028, 5, 26)


def test_a_block_starting_on_easter_monday_begins_the_day_after(rules):
    easter_monday = date(2028, 4, 17)
    assert easter_monday in holidays.country_holidays("NL", years=2028)
    sessions = by_key(generate_schedule(easter_monday, rules))
    assert sessions["block1-day-01"].day == date(2028, 4, 18)
    assert len([k for k in sessions if k.startswith("block1-day-")]) == 10


def test_an_extra_closed_day_moves_only_that_session_and_keeps_its_key(rules, schedule):
    before = by_key(schedule)
    closed = before["block2-m05-1"].day
    after = by_key(generate_schedule(START, rules, extra_closed=frozenset({closed})))
    assert after.keys() == before.keys()
    assert after["block2-m05-1"].day == closed + timedelta(days=1)
    changed = {key for key in before if before[key] != after[key]}
    assert changed == {"block2-m05-1"}


def test_a_closed_day_in_the_first_block_keeps_the_number_of_days(rules, schedule):
    closed = date(2027, 9, 8)
    sessions = generate_schedule(START, rules, extra_closed=frozenset({closed}))
    block = [s for s in sessions if s.key.startswith("block1-day-")]
    assert len(block) == 10
    assert closed not in {s.day for s in sessions}
    assert len({s.day for s in block}) == len(block)


def test_invalid_rules_name_the_file_and_field(tmp_path):
    config = copy_config(tmp_path)
    path = config / "training.yaml"
    replace_in(path, 'end: "11:00"', 'end: "08:00"')
    replace_in(path, "closing_weekday: 3", "closing_weekday: 6")
    replace_in(path, '    - "Gebiedsontwikkeling en grondbeleid"\n', "")
    with pytest.raises(ConfigError) as caught:
        load_training(path)
    message = str(caught.value)
    assert "training.yaml" in message
    assert "field 'first_block.closing_weekday'" in message
    assert "field 'theme_sessions.themes'" in message
    assert "field 'knowledge_test': start (09:00) must be before end (08:00)" in message


def test_closed_periods_must_be_days_of_the_year(tmp_path):
    config = copy_config(tmp_path)
    path = config / "training.yaml"
    replace_in(path, 'first_day: "07-22"', 'first_day: "02-30"')
    with pytest.raises(ConfigError, match=r"closed_periods\.1\.first_day"):
        load_training(path)

"""A cohort's key dates against the day it is created: live cohorts lie ahead, past cohorts
are history with their published outcomes, and short lead times are warned about."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rvg.errors import ConfigError, UserError
from rvg.models import Cohort
from rvg.programme import create_cohort
from rvg.repositories.cohorts import list_cohorts, live_cohort
from tests.utils.cli import run_rvg
from tests.utils.config_files import BEFORE_2027, REAL_CONFIG, replace_in

COHORT_FILE = REAL_CONFIG / "cohorts" / "2027.yaml"
HISTORY = REAL_CONFIG / "history"


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Cohort))


def _copy(tmp_path: Path, source: Path = COHORT_FILE) -> Path:
    path = tmp_path / source.name
    path.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_a_cohort_whose_every_key_date_has_passed_is_refused_and_nothing_written(session):
    with pytest.raises(ConfigError) as raised:
        create_cohort("2027", COHORT_FILE, REAL_CONFIG, session=session, as_of=date(2027, 10, 1))
    (problem,) = raised.value.problems
    assert problem.startswith("field 'key_dates': every key date lies before 2027-10-01 (")
    assert "training_start 2027-09-06" in problem and "--history" in problem
    session.rollback()
    assert _count(session) == 0


def test_a_cohort_with_some_key_dates_past_is_an_ongoing_one_run_from_today(session):
    """Created on 1 September 2026, after its business case: loaded with a warning naming
    the past date, and the cycle does not run the business case after the fact."""
    from zoneinfo import ZoneInfo

    from rvg.cycle import plan_cycle
    from rvg.evaluation.definitions import load_surveys
    from rvg.phases import Phase
    from rvg.programme import read_region

    day = date(2026, 9, 1)
    loaded = create_cohort("2027", COHORT_FILE, REAL_CONFIG, session=session, as_of=day)
    assert loaded.outcome == "imported"
    assert loaded.warnings[0].startswith(
        "ongoing cohort: business_case_decision 2026-06-25 lie before 2026-09-01;"
    )
    assert loaded.cohort.parameters["live_from"] == "2026-09-01"
    again = create_cohort("2027", COHORT_FILE, REAL_CONFIG, session=session, as_of=day)
    assert again.outcome == "unchanged" and again.cohort.parameters["live_from"] == "2026-09-01"
    plan = plan_cycle(
        loaded.cohort,
        read_region(REAL_CONFIG).programme,
        load_surveys(REAL_CONFIG / "surveys.yaml"),
        session=session,
        zone=ZoneInfo("Europe/Amsterdam"),
    )
    assert plan.first_day == day and plan.due[Phase.BUSINESS_CASE] == ()
    assert plan.next_day(day, {}) is None  # nothing runs until the team runs the business case


def test_a_stored_past_date_may_stay_but_no_date_moves_into_the_past(session, tmp_path):
    create_cohort("2027", COHORT_FILE, REAL_CONFIG, session=session, as_of=BEFORE_2027)
    session.commit()
    later = date(2026, 12, 1)  # business case, sign-up and go/no-go have passed
    again = create_cohort("2027", COHORT_FILE, REAL_CONFIG, session=session, as_of=later)
    assert again.outcome == "unchanged"

    path = _copy(tmp_path)
    replace_in(path, "meet_and_greet: 2027-06-17", "meet_and_greet: 2027-06-24")
    moved = create_cohort("2027", path, REAL_CONFIG, session=session, as_of=later)
    assert moved.outcome == "updated"
    session.commit()

    replace_in(path, "signup_deadline: 2026-10-30", "signup_deadline: 2026-10-23")
    with pytest.raises(
        ConfigError, match=r"'key_dates.signup_deadline': 2026-10-23 lies before.*into the past"
    ):
        create_cohort("2027", path, REAL_CONFIG, session=session, as_of=later)
    session.rollback()
    assert live_cohort("2027", session=session).milestone("signup_deadline") == date(2026, 10, 30)


def test_a_past_cohort_is_recorded_as_history_with_its_outcomes(session):
    loaded = create_cohort(
        "1", HISTORY / "1.yaml", REAL_CONFIG, session=session, as_of=BEFORE_2027, history=True
    )
    create_cohort(
        "2", HISTORY / "2.yaml", REAL_CONFIG, session=session, as_of=BEFORE_2027, history=True
    )
    create_cohort("2027", COHORT_FILE, REAL_CONFIG, session=session, as_of=BEFORE_2027)
    session.commit()

    assert loaded.outcome == "imported" and loaded.warnings == ()
    figures = {o.measure: (o.value, o.derived) for o in loaded.cohort.outcomes}
    assert figures == {"applicants": (249, False), "participants": (31, False)}
    # the size stands in for the unpublished target
    cohort = loaded.cohort
    assert (cohort.target_participants_min, cohort.target_participants_max) == (31, 31)
    second = {o.measure: o.derived for o in _stored(session, "2").outcomes}
    assert second == {"applicants": True, "participants": True}
    assert [c.code for c in list_cohorts(session=session, historical=False)] == ["2027"]
    assert [c.code for c in list_cohorts(session=session, historical=True)] == ["1", "2"]
    with pytest.raises(UserError, match="cohort 1 is a past cohort recorded as history"):
        live_cohort("1", session=session)
    again = create_cohort(
        "1", HISTORY / "1.yaml", REAL_CONFIG, session=session, as_of=BEFORE_2027, history=True
    )
    assert again.outcome == "unchanged"


def _stored(session, code: str) -> Cohort:
    return session.scalars(select(Cohort).where(Cohort.code == code)).one()


def test_outcomes_need_history_and_history_needs_past_dates(session, tmp_path):
    with pytest.raises(ConfigError, match="outcomes are recorded only for a past cohort"):
        create_cohort("1", HISTORY / "1.yaml", REAL_CONFIG, session=session, as_of=BEFORE_2027)
    with pytest.raises(ConfigError, match="2027-09-06 lies after 2026-06-01; only a cohort"):
        create_cohort(
            "2027", COHORT_FILE, REAL_CONFIG, session=session, as_of=BEFORE_2027, history=True
        )
    path = _copy(tmp_path, HISTORY / "2024.yaml")
    replace_in(path, "value: 23\n", "value: 0\n")
    with pytest.raises(ConfigError, match="give it, or an outcome 'participants' or 'places'"):
        create_cohort("2024", path, REAL_CONFIG, session=session, as_of=BEFORE_2027, history=True)
    session.rollback()
    assert _count(session) == 0


def test_a_cohort_stays_live_or_history_once_stored(session):
    create_cohort("2027", COHORT_FILE, REAL_CONFIG, session=session, as_of=BEFORE_2027)
    session.commit()
    with pytest.raises(ConfigError, match="stored as a live cohort: load it without --history"):
        create_cohort(
            "2027", COHORT_FILE, REAL_CONFIG, session=session, as_of=date(2028, 1, 1), history=True
        )


def test_short_lead_times_are_warned_about_and_the_cohort_still_loaded(session, tmp_path):
    """Cohort 2028 created on 4 January 2027 with its campaign in March: the sign-up window
    and the campaign are short, and the agency's contract ended on 31 December 2026, so no
    extension can be made and a new tender cannot supply it from mid-February."""
    path = _copy(tmp_path)
    for old, new in [
        ('code: "2027"', 'code: "2028"'),
        ("business_case_decision: 2026-06-25", "business_case_decision: 2027-01-05"),
        ("signup_opens: 2026-09-07", "signup_opens: 2027-01-11"),
        ("signup_deadline: 2026-10-30", "signup_deadline: 2027-02-05"),
        ("go_no_go: 2026-11-12", "go_no_go: 2027-02-12"),
        ("recruitment_opens: 2027-03-01", "recruitment_opens: 2027-03-15"),
        ("meet_and_greet: 2027-06-17", "meet_and_greet: 2027-05-27"),
        ("training_start: 2027-09-06", "training_start: 2027-09-13"),
    ]:
        replace_in(path, old, new)
    loaded = create_cohort("2028", path, REAL_CONFIG, session=session, as_of=date(2027, 1, 4))
    assert loaded.outcome == "imported"
    text = "\n".join(loaded.warnings)
    assert "organisations have 25 days to sign up" in text
    assert "lead_times.signup_window_days asks for 42" in text
    assert "the recruitment campaign runs 73 days" in text
    assert "lot recruitment_selection: no contract in the register covers it" in text
    assert "lot training" not in text  # a new tender after the go/no-go is still in time
    assert len(loaded.warnings) == 3

    on_time = create_cohort("2027", COHORT_FILE, REAL_CONFIG, session=session, as_of=BEFORE_2027)
    assert on_time.warnings == ()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_cli_refuses_a_past_cohort_without_history_and_lists_history(database_url):
    assert run_rvg("db", "upgrade", database_url=database_url).returncode == 0
    refused = run_rvg(
        "cohort",
        "create",
        "2027",
        "--config",
        str(COHORT_FILE),
        "--as-of",
        "2028-12-04",
        database_url=database_url,
    )
    assert refused.returncode == 2
    assert "field 'key_dates': every key date lies before 2028-12-04" in refused.stderr
    assert "Traceback" not in refused.stderr

    recorded = run_rvg(
        "cohort",
        "create",
        "1",
        "--config",
        str(HISTORY / "1.yaml"),
        "--history",
        "--as-of",
        "2026-12-04",
        database_url=database_url,
    )
    assert recorded.returncode == 0, recorded.stderr
    assert recorded.stdout.strip().endswith("key_dates=0 historical=yes warnings=0")
    listed = run_rvg("cohort", "list", database_url=database_url)
    assert "1        Ruimte voor Groei, lichting 1: history" in listed.stdout
    shown = run_rvg("cohort", "show", "1", database_url=database_url)
    assert "a past cohort (history)" in shown.stdout and "applicants: 249" in shown.stdout
    run = run_rvg("run", "business-case", "--cohort", "1", database_url=database_url)
    assert run.returncode == 2
    assert "cohort 1 is a past cohort recorded as history" in run.stderr


def test_the_business_case_sets_its_size_against_the_history(session):
    from rvg.business_case.costing import load_cost_model
    from rvg.business_case.report import build_business_case, render_html, render_markdown
    from rvg.history import cohorts_before
    from rvg.tendering.config import load_procurement

    for code in ("2024", "1", "2"):
        create_cohort(
            code,
            HISTORY / f"{code}.yaml",
            REAL_CONFIG,
            session=session,
            as_of=BEFORE_2027,
            history=True,
        )
    cohort = create_cohort(
        "2027", COHORT_FILE, REAL_CONFIG, session=session, as_of=BEFORE_2027
    ).cohort
    history = cohorts_before(cohort, session=session)
    assert [(c.code, c.applicants, c.places, c.participants) for c in history] == [
        ("1", 249, None, 31),
        ("2", 321, None, 23),
        ("2024", 315, 23, None),
    ]
    figures = build_business_case(
        cohort,
        load_cost_model(REAL_CONFIG / "costs.yaml"),
        load_procurement(REAL_CONFIG / "contracts.yaml"),
        history=history,
    )
    markdown = render_markdown(figures)
    assert "## Eerdere lichtingen" in markdown
    assert (
        "| Ruimte voor Groei, lichting 2 | 321* | – | 23* | 14,0 | gepubliceerd, deels afgeleid |"
        in (markdown)
    )
    assert (
        "Eerdere lichtingen begonnen met 23 tot 31 deelnemers; de geplande 27 ligt daarbinnen."
    ) in markdown
    assert (
        "Zij trokken 8,0 tot 14,0 sollicitanten per plaats; voor 27 plaatsen is dat 217 tot "
        "377 sollicitanten."
    ) in markdown
    html = render_html(figures)
    assert "<h2>Eerdere lichtingen</h2>" in html and '<td class="num">321*</td>' in html

    # without history the report says nothing about it
    assert "Eerdere lichtingen" not in render_markdown(
        build_business_case(
            cohort,
            load_cost_model(REAL_CONFIG / "costs.yaml"),
            load_procurement(REAL_CONFIG / "contracts.yaml"),
        )
    )


def test_key_dates_on_a_weekend_or_holiday_move_to_the_next_working_day(session, tmp_path):
    """A deadline on a Saturday and a meet & greet on Ascension Day: the cohort uses the next
    working days, says so, and the invitations then name the real date."""
    path = _copy(tmp_path)
    replace_in(path, "signup_deadline: 2026-10-30", "signup_deadline: 2026-10-31")
    replace_in(path, "meet_and_greet: 2027-06-17", "meet_and_greet: 2027-05-06")
    loaded = create_cohort("2027", path, REAL_CONFIG, session=session, as_of=BEFORE_2027)
    assert loaded.cohort.milestone("signup_deadline") == date(2026, 11, 2)
    assert loaded.cohort.milestone("meet_and_greet") == date(2027, 5, 7)
    assert loaded.warnings[:2] == (
        "field 'key_dates.signup_deadline': 2026-10-31 is a Saturday, no working day; the "
        "cohort uses Monday 2026-11-02",
        "field 'key_dates.meet_and_greet': 2027-05-06 is Ascension Day, no working day; the "
        "cohort uses Friday 2027-05-07",
    )
    session.commit()
    again = create_cohort("2027", path, REAL_CONFIG, session=session, as_of=BEFORE_2027)
    assert again.outcome == "unchanged"


def test_the_daily_tick_skips_a_cohort_whose_cycle_is_over_and_past_cohorts(session, tmp_path):
    from datetime import UTC, datetime

    from rvg.phases import Phase
    from rvg.repositories.cohorts import mark_phase_completed, unfinished_cohorts

    create_cohort("2027", COHORT_FILE, REAL_CONFIG, session=session, as_of=BEFORE_2027)
    path = _copy(tmp_path)
    for old, new in [
        ('code: "2027"', 'code: "2028"'),
        ("lichting 2027", "lichting 2028"),
        ("training_start: 2027-09-06", "training_start: 2028-09-04"),
    ]:
        replace_in(path, old, new)
    create_cohort("2028", path, REAL_CONFIG, session=session, as_of=BEFORE_2027)
    create_cohort(
        "1", HISTORY / "1.yaml", REAL_CONFIG, session=session, as_of=BEFORE_2027, history=True
    )
    assert [c.code for c in unfinished_cohorts(session=session)] == ["2027", "2028"]
    cohort = live_cohort("2027", session=session)
    mark_phase_completed(
        cohort, Phase.REDESIGN, session=session, at=datetime(2028, 10, 1, tzinfo=UTC)
    )
    assert [c.code for c in unfinished_cohorts(session=session)] == ["2028"]

"""The rolling calendar's picture: each cohort's phases as bars, today's line, the decisions
as marks, as PNG and SVG with a Dutch legend."""

from datetime import date, datetime
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

from sqlalchemy import select

from rvg.db import make_sessionmaker, session_scope
from rvg.evaluation.definitions import load_surveys
from rvg.models import Cohort
from rvg.phases import Phase
from rvg.reports.gantt import cohort_calendars, phase_bars, write_programme_calendar
from rvg.repositories.decisions import record_decision
from rvg.settings import Settings
from rvg.unit import unit
from tests.utils.cli import plain, run_rvg
from tests.utils.config_files import REAL_CONFIG
from tests.utils.flows import cohort_in, next_cohort_file

ZONE = ZoneInfo("Europe/Amsterdam")
SURVEYS = load_surveys(REAL_CONFIG / "surveys.yaml")
KEY_DATES = {
    "business_case_decision": date(2026, 6, 25),
    "signup_opens": date(2026, 9, 7),
    "signup_deadline": date(2026, 10, 30),
    "go_no_go": date(2026, 11, 12),
    "recruitment_opens": date(2027, 3, 1),
    "meet_and_greet": date(2027, 6, 17),
    "training_start": date(2027, 9, 6),
}


def test_each_phase_spans_its_key_dates_in_cycle_order():
    bars = {bar.phase: bar for bar in phase_bars(KEY_DATES, SURVEYS)}
    assert list(bars) == list(Phase)
    assert (bars[Phase.COMMITMENTS].start, bars[Phase.COMMITMENTS].end) == (
        date(2026, 9, 7),
        date(2026, 11, 12),
    )
    assert bars[Phase.TRAINING_YEAR].end == date(2028, 9, 6)
    # the survey rounds: m03 opens 6 December 2027, m12 closes 27 September 2028
    assert bars[Phase.EVALUATION].start == date(2027, 12, 6)
    assert bars[Phase.REDESIGN].start == bars[Phase.EVALUATION].end == date(2028, 9, 27)
    assert all(bar.start <= bar.end for bar in bars.values())


def test_two_cohorts_are_drawn_with_their_decisions_and_a_dutch_legend(engine, tmp_path):
    cohort_in(engine)
    cohort_in(engine, "2028", next_cohort_file(tmp_path))
    with session_scope(make_sessionmaker(engine)) as session:
        first = session.scalar(select(Cohort).where(Cohort.code == "2027"))
        record_decision(
            first,
            Phase.COMMITMENTS,
            session=session,
            kind="go_no_go",
            outcome="go",
            decided_by="Stuurgroep",
            decided_at=datetime(2026, 11, 12, 10, tzinfo=ZONE),
        )
        calendars = cohort_calendars(
            [(c, SURVEYS) for c in session.scalars(select(Cohort).order_by(Cohort.code))],
            session=session,
            zone=ZONE,
        )
    marks = {c.code: [(m.phase, m.on, m.taken) for m in c.marks] for c in calendars}
    # 2027's go taken; its business case, and both of 2028's decisions, still to take
    assert marks["2027"] == [
        (Phase.BUSINESS_CASE, date(2026, 6, 25), False),
        (Phase.COMMITMENTS, date(2026, 11, 12), True),
    ]
    assert marks["2028"] == [
        (Phase.BUSINESS_CASE, date(2027, 6, 24), False),
        (Phase.COMMITMENTS, date(2027, 11, 11), False),
    ]

    url = engine.url.render_as_string(hide_password=False)
    settings = Settings(database_url=url, output_dir=tmp_path / "out", data_dir=tmp_path / "d")
    with unit(settings=settings) as u:
        png, svg = write_programme_calendar(u, date(2027, 10, 1))
    assert png == tmp_path / "out" / "programme" / "kalender.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    texts = [t.text or "" for t in ElementTree.parse(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert "2027 · opleidingsjaar" in texts and "2028 · werving" in texts
    assert "vandaag (01-10-2027)" in texts and "besluit nog te nemen" in texts
    assert {p.dutch for p in Phase} <= set(texts)


def test_the_command_writes_the_calendar_and_names_a_bad_date(engine, tmp_path):
    cohort_in(engine)
    url = engine.url.render_as_string(hide_password=False)
    env = {"RVG_OUTPUT_DIR": str(tmp_path / "out")}
    done = run_rvg("report", "calendar", "--as-of", "2027-10-01", database_url=url, **env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "programme" / "kalender.svg").is_file()
    bad = run_rvg("report", "calendar", "--as-of", "2027-13-01", database_url=url, **env)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "--as-of" in plain(bad.stderr)

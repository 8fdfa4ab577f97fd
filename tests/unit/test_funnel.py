"""The selection funnel on six hand-made applicants; every figure below is counted by hand.

ref  track source    history (2027)                                          now
A1   ro    LinkedIn  applied 1/3, screened 11/3, assessment 21/3, interview 10/4  interview
A2   ro    website   applied 1/3, screened 5/3, rejected 15/3                  rejected
A3   vm    LinkedIn  applied 2/3, withdrawn 10/3                             withdrawn
A4   vm    -         applied 10/3                                            applied
A5   ro    website   meet_greet 20/4 (imported late)                         meet_greet
A6   vm    LinkedIn  applied 1/3 ... placed 25/4, every stage                placed
"""

import math
from datetime import date

import pytest

from rvg.errors import ConfigError
from rvg.models import Applicant, Stage, StageChange
from rvg.recruitment.config import load_recruitment
from rvg.recruitment.funnel import (
    FunnelApplicant,
    StuckApplicant,
    funnel_applicants,
    funnel_html,
    funnel_sheet,
    funnel_table,
    stage_figures,
    stuck_applicants,
)
from rvg.reports.charts import bar_chart
from tests.utils.config_files import REAL_CONFIG

AS_OF = date(2027, 5, 1)
LIMITS = {
    Stage.APPLIED: 14,
    Stage.SCREENED: 14,
    Stage.ASSESSMENT: 10,
    Stage.INTERVIEW: 10,
    Stage.MEET_GREET: 21,
    Stage.PREFERENCES: 14,
}
TRACKS = {"ro": "Ruimtelijke Ordening", "vm": "Verkeer en Mobiliteit"}


def _applicant(ref: str, track: str, source: str | None, *history: tuple[str, int, int]):
    entries = tuple((Stage(stage), date(2027, month, day)) for stage, day, month in history)
    stage, stage_date = entries[-1]
    return FunnelApplicant(ref, track, source, stage, stage_date, entries)


APPLICANTS = [
    _applicant(
        "A1",
        "ro",
        "LinkedIn",
        ("applied", 1, 3),
        ("screened", 11, 3),
        ("assessment", 21, 3),
        ("interview", 10, 4),
    ),
    _applicant("A2", "ro", "website", ("applied", 1, 3), ("screened", 5, 3), ("rejected", 15, 3)),
    _applicant("A3", "vm", "LinkedIn", ("applied", 2, 3), ("withdrawn", 10, 3)),
    _applicant("A4", "vm", None, ("applied", 10, 3)),
    _applicant("A5", "ro", "website", ("meet_greet", 20, 4)),
    _applicant(
        "A6",
        "vm",
        "LinkedIn",
        ("applied", 1, 3),
        ("screened", 7, 3),
        ("assessment", 15, 3),
        ("interview", 25, 3),
        ("meet_greet", 5, 4),
        ("preferences", 10, 4),
        ("matched", 20, 4),
        ("placed", 25, 4),
    ),
]


def _rows(frame) -> list[tuple]:
    """Rows with NaN as None, so they compare with ==."""
    return [
        tuple(None if isinstance(v, float) and math.isnan(v) else v for v in row)
        for row in frame.itertuples(index=False)
    ]


def test_counts_pass_through_and_median_days():
    figures = {f.stage: f for f in stage_figures(APPLICANTS)}

    assert [(s.value, figures[s].count) for s in figures] == [
        ("applied", 6),
        ("screened", 4),
        ("assessment", 3),
        ("interview", 3),
        ("meet_greet", 2),
        ("preferences", 1),
        ("matched", 1),
        ("placed", 1),
        ("rejected", 1),
        ("withdrawn", 1),
    ]
    assert [figures[s].pass_through for s in figures] == [
        None,
        66.7,  # 4 of 6
        75.0,  # 3 of 4
        100.0,
        66.7,  # 2 of 3
        50.0,
        100.0,
        100.0,
        None,
        None,
    ]
    # applied: A1 10, A2 4, A3 8, A6 6 days (A4 still there, A5 never recorded) -> 7
    # screened: A1 10, A2 10, A6 8 -> 10; assessment: A1 20, A6 10 -> 15
    assert [figures[s].median_days for s in figures] == [
        7.0,
        10.0,
        15.0,
        11.0,
        5.0,
        10.0,
        5.0,
        None,
        None,
        None,
    ]
    assert [f.current for f in figures.values()] == [False] * 8 + [True] * 2


def test_the_table_has_dutch_columns_and_rows():
    frame = funnel_table(APPLICANTS)

    assert list(frame.columns) == [
        "Fase",
        "Telling",
        "Aantal",
        "Doorstroom (%)",
        "Mediaan dagen in fase",
    ]
    assert _rows(frame)[:2] == [
        ("Gesolliciteerd", "bereikt", 6, None, 7.0),
        ("Door eerste selectie (brief en cv)", "bereikt", 4, 66.7, 10.0),
    ]
    assert _rows(frame)[-1] == ("Teruggetrokken", "nu in fase", 1, None, None)


def test_by_track_in_the_cohorts_order():
    frame = funnel_table(APPLICANTS, by="track", track_names=TRACKS)

    assert list(frame.columns) == ["Leerlijn", *funnel_table(APPLICANTS).columns]
    ro = frame[frame["Leerlijn"] == "Ruimtelijke Ordening"]
    vm = frame[frame["Leerlijn"] == "Verkeer en Mobiliteit"]
    assert list(frame["Leerlijn"].unique()) == ["Ruimtelijke Ordening", "Verkeer en Mobiliteit"]
    assert list(ro["Aantal"]) == [3, 3, 2, 2, 1, 0, 0, 0, 1, 0]
    assert _rows(ro[["Doorstroom (%)"]]) == [
        (None,),
        (100.0,),
        (66.7,),
        (100.0,),
        (50.0,),
        (0.0,),
        (None,),  # nobody to pass on from
        (None,),
        (None,),
        (None,),
    ]
    assert list(vm["Aantal"]) == [3, 1, 1, 1, 1, 1, 1, 1, 0, 1]
    assert list(vm["Doorstroom (%)"])[1] == 33.3


def test_by_source_with_unknown_last():
    frame = funnel_table(APPLICANTS, by="source")

    assert list(frame["Bron"].unique()) == ["LinkedIn", "website", "onbekend"]
    first_stage = frame[frame["Fase"] == "Gesolliciteerd"]
    assert list(zip(first_stage["Bron"], first_stage["Aantal"], strict=True)) == [
        ("LinkedIn", 3),
        ("website", 2),
        ("onbekend", 1),
    ]


def test_stuck_applicants_by_reference_longest_first():
    stuck = stuck_applicants(APPLICANTS, LIMITS, AS_OF)

    # A4 applied 52 days ago (limit 14), A1 in interview for 21 days (limit 10); A5 has been in
    # meet_greet 11 of 21 days; A6 is placed, A2 and A3 have left: no limits there.
    assert stuck == [
        StuckApplicant("A4", Stage.APPLIED, 52),
        StuckApplicant("A1", Stage.INTERVIEW, 21),
    ]


def test_the_limit_day_itself_is_not_stuck():
    assert stuck_applicants(APPLICANTS[3:4], LIMITS, date(2027, 3, 24)) == []
    assert stuck_applicants(APPLICANTS[3:4], LIMITS, date(2027, 3, 25)) == [
        StuckApplicant("A4", Stage.APPLIED, 15)
    ]


def test_waiting_for_the_meet_and_greet_is_not_stuck_before_its_date():
    """A5 entered meet_greet on 20 April; the meet & greet is on 17 June. Counted from its
    entry it would be stuck from 12 May; it waits for the event, so only from 9 July."""
    waits = {Stage.MEET_GREET: date(2027, 6, 17)}
    a5 = APPLICANTS[4:5]
    assert stuck_applicants(a5, LIMITS, date(2027, 5, 20)) != []  # the old false alarm
    for day in (date(2027, 5, 20), date(2027, 6, 16), date(2027, 7, 8)):
        assert stuck_applicants(a5, LIMITS, day, waits) == []
    assert stuck_applicants(a5, LIMITS, date(2027, 7, 9), waits) == [
        StuckApplicant("A5", Stage.MEET_GREET, 22)
    ]


def test_stored_applicants_lose_their_names_on_the_way_in():
    applicant = Applicant(
        applicant_ref="R-7",
        first_name="Renée",
        last_name="Smeets",
        email="renee@example.org",
        phone="06 12345678",
        track_code="ro",
        stage="screened",
        stage_date=date(2027, 3, 11),
        source="LinkedIn",
    )
    applicant.stage_history = [
        StageChange(stage="applied", entered_on=date(2027, 3, 1)),
        StageChange(stage="screened", entered_on=date(2027, 3, 11)),
    ]

    [seen] = funnel_applicants([applicant])
    page = funnel_html([seen], cohort_name="lichting 2027", as_of=AS_OF, stuck_after_days=LIMITS)

    assert seen == FunnelApplicant(
        "R-7",
        "ro",
        "LinkedIn",
        Stage.SCREENED,
        date(2027, 3, 11),
        ((Stage.APPLIED, date(2027, 3, 1)), (Stage.SCREENED, date(2027, 3, 11))),
    )
    for personal in ("Renée", "Smeets", "renee@example.org", "12345678"):
        assert personal not in page
    assert "R-7" in page  # stuck: 51 days in screened


def test_funnel_page_is_standalone_dutch_html_with_a_chart():
    page = funnel_html(
        APPLICANTS,
        cohort_name="Ruimte voor Groei, lichting 2027",
        as_of=AS_OF,
        stuck_after_days=LIMITS,
        track_names=TRACKS,
    )

    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="nl">' in page
    assert '<title id="funnel-title">Aantal sollicitanten per fase' in page
    assert "Gesolliciteerd: 6; Door eerste selectie (brief en cv): 4;" in page
    assert "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "<h2>Per leerlijn</h2>" in page and "<h2>Per bron</h2>" in page
    assert '<td class="num">66,7</td>' in page
    assert '<td>A4</td><td>Gesolliciteerd</td><td class="num">52</td>' in page
    assert "Stand op 1 mei 2027." in page


def test_empty_cohort_renders_without_error():
    page = funnel_html([], cohort_name="lichting 2028", as_of=AS_OF, stuck_after_days=LIMITS)

    assert "0 sollicitanten" in page
    assert "Niemand staat langer dan de grens in een fase." in page
    assert funnel_table([], by="track").empty


def test_bar_chart_reads_without_the_picture():
    svg = bar_chart([("Gesolliciteerd", 315), ("Geplaatst", 27.5)], title="T", value_label="n")

    assert '<desc id="bar-chart-desc">Gesolliciteerd: 315; Geplaatst: 27,5</desc>' in svg
    assert svg.count("<rect") == 2
    with pytest.raises(ValueError, match="at least one bar"):
        bar_chart([], title="T", value_label="n")


def test_the_stuck_limits_come_from_config_recruitment_yaml(tmp_path):
    assert load_recruitment(REAL_CONFIG / "recruitment.yaml").stuck_after_days == LIMITS
    path = tmp_path / "recruitment.yaml"
    path.write_text("stuck_after_days:\n  applied: 0\n  placed: 5\n", encoding="utf-8")

    with pytest.raises(ConfigError) as raised:
        load_recruitment(path)

    assert raised.value.problems == [
        "field 'stuck_after_days.applied': Input should be greater than or equal to 1"
    ]
    path.write_text("stuck_after_days:\n  placed: 5\n  rejected: 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="nobody waits in placed, rejected; remove it"):
        load_recruitment(path)


def test_on_one_day_the_stages_keep_the_seeds_order_and_a_duration_is_the_stay():
    """The demo's case: preferences imported and the match approved on the same day, the
    history stored match first; the wait until the start is the match's, not the
    preferences'."""
    stored_out_of_order = _applicant(
        "B1",
        "ro",
        "website",
        ("applied", 1, 3),
        ("meet_greet", 17, 6),
        ("matched", 21, 6),
        ("preferences", 21, 6),
        ("placed", 6, 9),
    )
    figures = {f.stage: f for f in stage_figures([stored_out_of_order])}
    assert figures[Stage.PREFERENCES].median_days == 0.0
    assert figures[Stage.MATCHED].median_days == (date(2027, 9, 6) - date(2027, 6, 21)).days
    assert figures[Stage.MEET_GREET].median_days == 4.0


def test_funnel_csv_has_the_total_and_each_track_and_source():
    sheet = funnel_sheet(APPLICANTS, TRACKS)
    assert list(sheet.columns[:3]) == ["Indeling", "Groep", "Fase"]
    parts = sheet.groupby("Indeling", sort=False)["Groep"].unique().to_dict()
    assert list(parts) == ["Totaal", "Leerlijn", "Bron"]
    assert list(parts["Leerlijn"]) == ["Ruimtelijke Ordening", "Verkeer en Mobiliteit"]
    assert list(parts["Bron"]) == ["LinkedIn", "website", "onbekend"]
    applied = sheet[sheet["Fase"] == "Gesolliciteerd"].set_index(["Indeling", "Groep"])["Aantal"]
    assert applied[("Totaal", "Alle sollicitanten")] == 6
    assert applied.xs("Leerlijn").sum() == applied.xs("Bron").sum() == 6

"""The evaluation report: the CSV text exactly, and the HTML escaped and anonymous.

Round m03, participants, guid_buddy: Noord [1, 2, 2, 5] (n=4, suppressed) and West
[3, 3, 4, 4, 5, 5] (its only sibling, suppressed too); all: 10 answers, sum 34, mean 3.40,
median (3 + 4) / 2 = 3.50.
"""

import re
from datetime import date

from rvg.evaluation.aggregate import Invited, ResponseRecord, question_figures
from rvg.evaluation.definitions import load_surveys
from rvg.evaluation.report import evaluation_csv, evaluation_figures, evaluation_html
from rvg.evaluation.retention import PlacementOutcome
from tests.utils.config_files import REAL_CONFIG

DEFINITIONS = load_surveys(REAL_CONFIG / "surveys.yaml")
SCRIPT = "<script>alert(1)</script>"


def _responses():
    scores = {"Noord": [1, 2, 2, 5], "West": [3, 3, 4, 4, 5, 5]}
    return [
        ResponseRecord("2027", "m03", "participant", region, {"guid_buddy": s, "remark": SCRIPT})
        for region, values in scores.items()
        for s in values
    ]


def test_csv_text_exactly():
    figures = question_figures(DEFINITIONS, _responses(), 5)
    assert evaluation_csv(figures, min_group_size=5) == (
        "round,audience,group,question,n,mean,median\n"
        "m03,participant,all,guid_buddy,10,3.40,3.50\n"
        "m03,participant,Noord,guid_buddy,<5,,\n"
        "m03,participant,West,guid_buddy,<5,,\n"
    )


def _html(responses, outcomes=()):
    invited = [Invited("2027", "m03", "participant", "West")] * 12
    figures = evaluation_figures(DEFINITIONS, invited, responses, outcomes, cohort="2027")
    return evaluation_html(
        figures, DEFINITIONS, cohort_name="Lichting 2027", as_of=date(2027, 6, 1)
    )


def test_script_in_an_open_answer_is_escaped():
    html = _html(_responses())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower()


def test_html_shows_suppressed_cells_and_sections_in_dutch():
    outcomes = [PlacementOutcome("2027", date(2027, 1, 4), "active")] * 6
    html = _html(_responses(), outcomes)
    for heading in (
        "Respons per doelgroep",
        "Thema's",
        "NPS",
        "Tijdsbesteding buddy's",
        "Vragen per regio",
        "Open antwoorden",
        "Retentie",
    ):
        assert f"<h2>{heading}</h2>" in html
    assert "&lt; 5" in html
    assert "83%" in html  # 10 of 12 invited responded
    assert "Begeleiding" in html and "<svg" in html


def test_open_answers_of_a_small_group_are_not_shown():
    html = _html(_responses()[:4])
    assert "alert(1)" not in html
    assert "de antwoorden worden niet getoond" in html


def test_one_theme_chart_per_round_named_and_on_the_likert_scale():
    """Two rounds give two charts, each captioned with its round; the axis runs 1 to 5 in
    whole steps (a 0-based axis made 3 out of 5 look like 60% of the way)."""
    answers = {"guid_buddy": 4, "guid_manager": 3, "info_clear": 2}
    responses = [
        ResponseRecord("2027", code, "participant", "West", answers)
        for code in ("m03", "m06")
        for _ in range(6)
    ]
    html = _html(responses)
    titles = {r.code: r.title for r in DEFINITIONS.rounds}
    for code in ("m03", "m06"):
        assert f"<figcaption>{titles[code]}: gemiddelde score per thema" in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') >= 2
    chart = html[html.index('aria-labelledby="thema-0-title') :]
    chart = chart[: chart.index("</svg>")]
    ticks = re.findall(r'text-anchor="middle"[^>]*>(\d)</text>', chart)
    assert ticks == ["1", "2", "3", "4", "5"]

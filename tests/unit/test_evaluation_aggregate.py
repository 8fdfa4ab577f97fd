"""Survey statistics on hand-made responses; every figure below is counted by hand.

Round m03, participants, guid_buddy (1–5), cohort 2027:
  Noord [1, 2, 2, 5]         n=4  → suppressed (primary)
  Oost  [1, 2, 3, 4, 5]      n=5  → suppressed (complementary: smallest visible sibling)
  West  [3, 3, 4, 4, 5, 5]   n=6  mean 4, median 4
  all   15 answers, sum 49   mean 3.27, median 3, distribution 1:2 2:3 3:3 4:3 5:4
Round m06, participants: Noord 3 + West 1 = 4 → the total is suppressed too.
"""

from datetime import date

import pandas as pd
import pytest

from rvg.evaluation.aggregate import (
    Invited,
    ResponseRecord,
    buddy_hours,
    nps_figures,
    open_answers,
    question_figures,
    response_rates,
    suppression,
    trend,
)
from rvg.evaluation.definitions import load_surveys
from rvg.evaluation.retention import (
    PlacementOutcome,
    month_of_training_year,
    retention_figures,
)
from tests.utils.config_files import REAL_CONFIG

DEFINITIONS = load_surveys(REAL_CONFIG / "surveys.yaml")
SCORES = {"Noord": [1, 2, 2, 5], "Oost": [1, 2, 3, 4, 5], "West": [3, 3, 4, 4, 5, 5]}


def _participant(region: str, round_: str = "m03", cohort: str = "2027", **answers):
    return ResponseRecord(cohort, round_, "participant", region, answers)


RESPONSES = [_participant(region, guid_buddy=s) for region, ss in SCORES.items() for s in ss] + [
    _participant(region, "m06", guid_buddy=3) for region in ("Noord", "Noord", "Noord", "West")
]


def _cells(frame, **keys):
    for column, value in keys.items():
        frame = frame[frame[column] == value]
    return {row.group: row for row in frame.itertuples(index=False)}


def test_question_figures_count_mean_median_and_distribution():
    cells = _cells(question_figures(DEFINITIONS, RESPONSES, 5), round="m03", question="guid_buddy")
    total, west = cells["all"], cells["West"]
    assert (total.n, total.mean, total.median) == (15, pytest.approx(49 / 15), 3)
    assert total.distribution == {1: 2, 2: 3, 3: 3, 4: 3, 5: 4}
    assert (west.n, west.mean, west.median, west.suppressed) == (6, 4, 4, False)


def test_group_of_four_and_its_smallest_sibling_are_suppressed():
    cells = _cells(question_figures(DEFINITIONS, RESPONSES, 5), round="m03", question="guid_buddy")
    assert cells["Noord"].suppressed and cells["Oost"].suppressed
    for hidden in (cells["Noord"], cells["Oost"]):
        assert pd.isna(hidden.n)
        assert (hidden.mean, hidden.median, hidden.distribution) == (None, None, None)
    # What a reader can still derive: total minus the visible sibling is Noord and Oost
    # together (9 answers, sum 25), which does not tell Noord apart from Oost.
    visible = [c for g, c in cells.items() if g != "all" and not c.suppressed]
    assert cells["all"].n - sum(c.n for c in visible) == 4 + 5
    assert sum(c.suppressed for g, c in cells.items() if g != "all") == 2


def test_total_below_minimum_is_suppressed_with_every_region():
    cells = _cells(question_figures(DEFINITIONS, RESPONSES, 5), round="m06", question="guid_buddy")
    assert set(cells) == {"all", "Noord", "West"}
    assert all(cell.suppressed for cell in cells.values())


def test_no_complementary_suppression_when_nothing_is_hidden():
    cells = _cells(question_figures(DEFINITIONS, RESPONSES, 4), round="m03", question="guid_buddy")
    assert not any(cell.suppressed for cell in cells.values())


def test_the_example_that_leaked_hides_the_large_region_too():
    """Total 13, regions 10, 1 and 2: hiding only 1 and 2 left their 3-person figure
    derivable as the total minus the 10; the 10 is hidden as well."""
    cells = pd.DataFrame(
        {"block": 0, "group": ["all", "A", "B", "C"], "n": [13, 10, 1, 2]}, index=range(4)
    )
    assert suppression(cells, ["block"], 5).tolist() == [False, True, True, True]


def _compositions(total: int, parts: int):
    if parts == 1:
        yield (total,)
        return
    for first in range(1, total - parts + 2):
        for rest in _compositions(total - first, parts - 1):
            yield (first, *rest)


def test_no_group_under_the_minimum_is_derivable_for_any_small_block():
    """Every split of n <= 20 respondents over 2-4 regions: every region under 5 is hidden,
    and when the total is shown, the hidden regions (all a reader can derive by subtracting
    the visible ones from it) count 0 or at least 5 respondents together."""
    minimum = 5
    rows = []
    for total in range(2, 21):
        for parts in (2, 3, 4):
            for split in _compositions(total, parts):
                block = len(rows)
                rows.append((block, "all", total))
                rows += [(block, f"R{i}", n) for i, n in enumerate(split)]
    cells = pd.DataFrame(rows, columns=["block", "group", "n"])
    hidden = suppression(cells, ["block"], minimum).tolist()
    blocks: dict[int, list[tuple[str, int, bool]]] = {}
    for (block, group, n), is_hidden in zip(rows, hidden, strict=True):
        blocks.setdefault(block, []).append((group, n, is_hidden))
    assert len(blocks) > 5000
    for block in blocks.values():
        (_, total_n, total_hidden), regions = block[0], block[1:]
        assert all(h for _, n, h in regions if n < minimum), block
        assert total_hidden or total_n >= minimum
        if not total_hidden:
            derivable = sum(n for _, n, h in regions if h)
            assert derivable == 0 or derivable >= minimum, block
        # No more is hidden than needed: a shown total hides every region only when the
        # largest region could not stay visible with the rest counting at least 5.
        if not total_hidden and all(h for _, _, h in regions):
            largest = max(n for _, n, _ in regions)
            assert total_n - largest < minimum or largest < minimum


def test_response_rate_per_round_and_audience():
    invited = [Invited("2027", "m03", "participant", "West")] * 20 + [
        Invited("2027", "m03", "buddy", "West")
    ] * 4
    rates = response_rates(invited, RESPONSES[:15])
    rows = {(r.round, r.audience): r for r in rates.itertuples(index=False)}
    assert (rows["m03", "participant"].responded, rows["m03", "participant"].rate) == (15, 75.0)
    assert (rows["m03", "buddy"].invited, rows["m03", "buddy"].responded) == (4, 0)
    assert rows["m03", "buddy"].rate == 0.0


def test_nps_is_promoters_minus_detractors():
    scores = [10, 9, 10, 9, 8, 7, 8, 3, 6, 0]  # 4 promoters, 3 passives, 3 detractors
    figures = nps_figures([_participant("West", nps=s) for s in scores], 5)
    total = _cells(figures)["all"]
    assert (total.promoters, total.passives, total.detractors) == (4, 3, 3)
    assert total.nps == pytest.approx(10.0)


def test_buddy_hours_mean_median_and_90th_percentile():
    buddies = [
        ResponseRecord("2027", "m03", "buddy", "West", {"buddy_hours": h}) for h in range(1, 11)
    ]
    buddies += [
        ResponseRecord("2027", "m06", "buddy", "West", {"buddy_hours": 2}) for _ in range(3)
    ]
    rows = {r.round: r for r in buddy_hours(buddies, 5).itertuples(index=False)}
    assert (rows["m03"].n, rows["m03"].mean, rows["m03"].median) == (10, 5.5, 5.5)
    assert rows["m03"].p90 == pytest.approx(9.1)  # linear: 9 + 0.1 × (10 − 9)
    assert rows["m06"].suppressed and rows["m06"].mean is None


def test_trend_weighs_each_respondent_once_per_theme():
    earlier = [_participant("West", cohort="2026", guid_buddy=5, guid_manager=1)] * 5
    earlier += [_participant("West", "m06", cohort="2026", guid_buddy=5)] * 2
    rows = trend(DEFINITIONS, RESPONSES + earlier, 5)
    found = {(r.cohort, r.round, r.theme): r for r in rows.itertuples(index=False)}
    assert (found["2026", "m03", "guidance"].n, found["2026", "m03", "guidance"].mean) == (5, 3)
    assert found["2027", "m03", "guidance"].mean == pytest.approx(49 / 15)
    assert found["2026", "m06", "guidance"].suppressed
    assert list(rows["cohort"]) == ["2026", "2026", "2027", "2027"]


def test_open_answers_only_for_groups_of_at_least_five():
    texts = [_participant("West", remark=t) for t in ("b", "a", " ", "c", "d")]
    texts += [_participant("West", "m06", remark="geheim") for _ in range(4)]
    blocks = {(b.round, b.question): b for b in open_answers(DEFINITIONS, texts, 5)}
    assert blocks["m03", "remark"].texts == ("a", "b", "c", "d")
    assert not blocks["m06", "remark"].shown and blocks["m06", "remark"].texts == ()


START = date(2025, 1, 6)


def _placement(status="completed", cohort="2025", **values):
    return PlacementOutcome(cohort=cohort, starts_on=START, status=status, **values)


def test_retention_figures_per_cohort():
    outcomes = [
        _placement(
            permanent_appointment=True,
            working_in_public_sector_12m=True,
            working_in_public_sector_24m=True,
        ),
        _placement(
            permanent_appointment=False,
            working_in_public_sector_12m=True,
            working_in_public_sector_24m=False,
        ),
        _placement(permanent_appointment=True, working_in_public_sector_12m=True),
        _placement(working_in_public_sector_12m=False),
        _placement(
            "dropped_out",
            ended_on=date(2025, 3, 10),
            drop_out_reason="ander werk",
            working_in_public_sector_12m=False,
        ),
        _placement("dropped_out", ended_on=date(2025, 1, 20), drop_out_reason=" ander werk "),
        _placement("dropped_out", "2026", ended_on=date(2026, 2, 1), drop_out_reason="ziek"),
        _placement(cohort="2026"),
        _placement(cohort="2026"),
    ]
    first, second = retention_figures(outcomes, 5)
    assert first["cohort"] == "2025" and first["placements"] == 6
    assert first["public_sector_12m"] == {"yes": 3, "no": 2, "unknown": 1, "percent": 60.0}
    assert first["public_sector_24m"] == {"yes": 1, "no": 1, "unknown": 4, "percent": None}
    assert first["permanent_appointment"] == {"yes": 2, "no": 1, "unknown": 1, "percent": None}
    assert first["drop_outs"] == 2
    assert first["drop_out_reasons"] == [("ander werk", 2)]
    assert first["drop_out_months"] == [(1, 1), (3, 1)]
    assert second["drop_outs"] == 1 and second["details_withheld"]
    assert second["drop_out_reasons"] == [] and second["drop_out_months"] == []


def test_month_of_training_year():
    assert month_of_training_year(START, date(2025, 2, 5)) == 1
    assert month_of_training_year(START, date(2025, 2, 6)) == 2
    assert month_of_training_year(START, date(2026, 1, 6)) == 13


def test_rounds_open_months_after_the_training_start_and_close_after_their_days():
    from datetime import date
    from pathlib import Path

    from rvg.evaluation.definitions import load_surveys

    definitions = load_surveys(Path(__file__).resolve().parents[2] / "config" / "surveys.yaml")
    start = date(2027, 9, 6)
    dates = {r.code: (r.opens_on(start), r.closes_on(start)) for r in definitions.rounds}
    assert dates == {
        "m03": (date(2027, 12, 6), date(2027, 12, 20)),
        "m06": (date(2028, 3, 6), date(2028, 3, 20)),
        "m12": (date(2028, 9, 6), date(2028, 9, 27)),
    }


def test_a_nan_answer_is_no_answer_so_four_valid_ones_stay_suppressed():
    answers = [4.0, 5.0, 3.0, 4.0, float("nan")]  # five respondents, four valid answers
    responses = [_participant("West", "m09", buddy_hours=1, nps=value) for value in answers]
    frame = nps_figures(responses, 5)
    cell = _cells(frame, round="m09")["all"]
    assert cell.suppressed and pd.isna(cell.nps)
    hours = [ResponseRecord("2027", "m09", "buddy", "West", {"buddy_hours": v}) for v in answers]
    row = buddy_hours(hours, 5).iloc[0]
    assert row["suppressed"] and pd.isna(row["mean"])

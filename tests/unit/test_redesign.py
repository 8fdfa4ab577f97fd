"""Redesign rules: findings from hand-made actuals, and the next cohort's file a year on."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import yaml

from rvg.config.cohort import load_cohort
from rvg.programme import read_region
from rvg.redesign.proposal import expected_size, next_cohort, write_cohort_file
from rvg.redesign.rules import Actuals, findings, load_rules
from tests.utils.config_files import REAL_CONFIG

RULES = load_rules(REAL_CONFIG / "redesign.yaml")
GOOD = Actuals(
    cohort="2027",
    planned_participants=27,
    placements=27,
    cost_per_participant_planned=Decimal("18500"),
    cost_per_participant_actual=Decimal("18500"),
    signups=20,
    applicants=300,
    meet_greet=60,
    matched=27,
    drop_outs=1,
    response_rate=75.0,
    buddy_hours_mean=3.5,
    nps=40.0,
    first_choice_share=70.0,
)


def _codes(actuals: Actuals) -> list[str]:
    return [f.code for f in findings(actuals, RULES)]


def test_good_actuals_give_no_findings():
    assert findings(GOOD, RULES) == []


def test_each_rule_fires_with_a_dutch_finding_and_action():
    bad = replace(
        GOOD,
        signups=12,
        first_choice_share=40.0,
        drop_outs=6,
        buddy_hours_mean=5.5,
        response_rate=45.0,
        placements=20,
        cost_per_participant_actual=Decimal("24975"),
    )
    found = findings(bad, RULES)
    assert [f.code for f in found] == [
        "signups",
        "first_choice",
        "dropouts",
        "buddy_hours",
        "response_rate",
        "cost",
    ]
    buddy = next(f for f in found if f.code == "buddy_hours")
    assert "5,5" in buddy.finding.replace(".", ",") and "intervisie" in buddy.action
    assert "kortere enquête" in next(f for f in found if f.code == "response_rate").action
    assert "eerder" in next(f for f in found if f.code == "signups").action


def test_thresholds_are_limits_not_findings():
    at_limit = replace(GOOD, signups=15, buddy_hours_mean=4.0, response_rate=60.0)
    assert _codes(at_limit) == []


def test_unknown_or_suppressed_figures_never_give_a_finding():
    unknown = replace(
        GOOD,
        response_rate=None,
        buddy_hours_mean=None,
        nps=None,
        first_choice_share=None,
        cost_per_participant_planned=None,
        cost_per_participant_actual=None,
    )
    assert _codes(unknown) == []


def _current() -> dict:
    return yaml.safe_load((REAL_CONFIG / "cohorts" / "2027.yaml").read_text(encoding="utf-8"))


def test_next_cohort_is_a_year_on_on_the_same_weekday():
    proposal = next_cohort(_current(), GOOD)
    assert proposal["code"] == "2028"
    assert proposal["name"] == "Ruimte voor Groei, lichting 2028"
    assert proposal["organisations"] == "all"
    old = {k: date.fromisoformat(str(v)) for k, v in _current()["key_dates"].items()}
    for name, day in proposal["key_dates"].items():
        assert (day - old[name]).days == 364
        assert day.weekday() == old[name].weekday()
    assert proposal["key_dates"]["meet_and_greet"] == date(2028, 6, 15)


def test_expected_size_follows_signups_and_their_trend_and_respects_the_minimum():
    assert expected_size(GOOD, 12) == 27  # 20 sign-ups, 1.35 placements each
    assert expected_size(replace(GOOD, previous_signups=16), 12) == 32  # 24 expected sign-ups
    assert expected_size(replace(GOOD, signups=5, placements=6), 12) == 12
    assert expected_size(replace(GOOD, signups=0, placements=0), 12) == 27
    proposal = next_cohort(_current(), GOOD, minimum=12, margin=20)
    assert proposal["target_participants"] == {"min": 22, "max": 32}


def test_the_written_file_is_a_valid_cohort_file(tmp_path):
    proposal = next_cohort(_current(), replace(GOOD, signups=8, placements=9), minimum=12)
    path = write_cohort_file(proposal, tmp_path / "next-cohort-2028.yaml", header="Voorstel")
    region = read_region(REAL_CONFIG)
    loaded = load_cohort(path, region.programme, region.organisations)
    assert loaded.code == "2028"
    assert loaded.tracks == ["ro", "vm"]
    assert (loaded.target_participants.min, loaded.target_participants.max) == (12, 14)
    assert loaded.key_dates["training_start"] == date(2028, 9, 4)
    assert path.read_text(encoding="utf-8").startswith("# Voorstel\ncode: '2028'\n")

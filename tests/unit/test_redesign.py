"""Redesign rules: findings from hand-made actuals, and the next cohort's file with its key
dates planned forward from the day of the proposal."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import yaml

from rvg.config.cohort import load_cohort
from rvg.lead_times import Shortfall, forward_key_dates
from rvg.programme import read_region
from rvg.redesign.proposal import expected_size, key_dates_of, next_cohort, write_cohort_file
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
    nps=(("m03", 40.0), ("m06", 35.0), ("m12", -5.0)),
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
        nps=(),
        first_choice_share=None,
        cost_per_participant_planned=None,
        cost_per_participant_actual=None,
    )
    assert _codes(unknown) == []


def _current() -> dict:
    return yaml.safe_load((REAL_CONFIG / "cohorts" / "2027.yaml").read_text(encoding="utf-8"))


PROGRAMME = read_region(REAL_CONFIG).programme
OLD = key_dates_of(_current())


def _forward(as_of: date) -> tuple[int, dict[str, date], list[Shortfall]]:
    plan = forward_key_dates(OLD, as_of, PROGRAMME)
    return plan.years, plan.dates, plan.left


def test_a_proposal_made_in_time_is_a_year_on_on_the_same_weekday():
    years, dates, left = _forward(date(2027, 6, 1))
    assert (years, left) == (1, [])
    proposal = next_cohort(_current(), GOOD, dates, years)
    assert proposal["code"] == "2028"
    assert proposal["name"] == "Ruimte voor Groei, lichting 2028"
    assert proposal["organisations"] == "all"
    for name, day in proposal["key_dates"].items():
        assert (day - OLD[name]).days == 364
    assert proposal["key_dates"]["meet_and_greet"] == date(2028, 6, 15)


def test_a_proposal_made_late_starts_from_its_day_and_keeps_the_lead_times():
    """Made at the month-3 survey (early December 2027), the next cohort still starts in
    September 2028: the dates before the day move after it, on their weekday, and the
    sign-up window and the campaign keep their lead times."""
    made = date(2027, 12, 6)
    years, dates, left = _forward(made)
    assert (years, left) == (1, [])
    assert min(dates.values()) >= made
    assert dates["training_start"] == date(2028, 9, 4)
    assert dates["business_case_decision"] == date(2027, 12, 9)  # a Thursday, as in 2026
    assert all(day.weekday() == OLD[name].weekday() for name, day in dates.items())
    leads = PROGRAMME.lead_times
    assert (dates["signup_deadline"] - dates["signup_opens"]).days >= leads.signup_window_days
    campaign = (dates["meet_and_greet"] - dates["recruitment_opens"]).days
    assert campaign >= leads.recruitment_campaign_days
    assert list(dates) == sorted(dates, key=lambda name: dates[name])


def test_a_proposal_too_late_for_next_september_is_for_the_year_after():
    """Made after the month-12 survey (autumn 2028), cohort 2028 cannot start in September
    2028 any more: the proposal is cohort 2029, a year further, never in the past."""
    made = date(2028, 9, 25)
    years, dates, left = _forward(made)
    assert (years, left) == (2, [])
    assert min(dates.values()) >= made
    assert dates["training_start"] == date(2029, 9, 3)
    assert next_cohort(_current(), GOOD, dates, years)["code"] == "2029"
    # at the month-6 survey (March 2028) too: campaign and placement no longer fit before
    # September 2028 (84 and 56 days)
    assert _forward(date(2028, 3, 13))[0] == 2


def test_a_proposal_made_on_any_day_of_the_year_lies_ahead_and_keeps_every_lead_time():
    """Every decision day from 2027's business case to a month after its year: no key date
    before the day, the programme's lead times kept, the training in its usual September
    week, and the tenders as feasible as on the first day (a tender is published after the
    go/no-go, so a later decision never makes one late; recruitment anew after the go is too
    late on any day, which is why its contract is extended)."""
    from datetime import timedelta

    from rvg.business_case.costing import load_cost_model
    from rvg.lead_times import schedule_warnings, tender_warnings
    from rvg.tendering.config import load_procurement

    procurement = load_procurement(REAL_CONFIG / "contracts.yaml")
    amounts = load_cost_model(REAL_CONFIG / "costs.yaml").per_participant_amounts()
    day, last, checked = date(2026, 6, 25), date(2028, 10, 6), 0

    def late_tenders(dates: dict[str, date], on: date) -> list[str]:
        return [
            s.english.split(":")[0]
            for s in tender_warnings(dates, 34, on, procurement, amounts, [])
        ]

    assert late_tenders(_forward(day)[1], day) == ["lot recruitment_selection"]
    while day <= last:
        _, dates, left = _forward(day)
        assert left == [], day
        assert min(dates.values()) >= day, day
        assert schedule_warnings(dates, day, PROGRAMME) == [], day
        assert late_tenders(dates, day) == ["lot recruitment_selection"], day
        start = dates["training_start"]
        assert (start.month, start.weekday()) == (9, 0) and start.day <= 7, day
        assert list(dates) == sorted(dates, key=lambda name: dates[name]), day
        day, checked = day + timedelta(days=1), checked + 1
    assert checked == 835


def test_when_no_year_fits_the_first_is_proposed_with_what_does_not_fit():
    """A calendar whose own campaign is too short for the lead time never fits: the proposal
    is the first year tried, with the shortfall in Dutch for the report."""
    # the training starts a month after recruitment opens: no campaign and placement fit
    short = {**OLD, "meet_and_greet": date(2027, 3, 18), "training_start": date(2027, 4, 1)}
    plan = forward_key_dates(short, date(2027, 1, 4), PROGRAMME, tries=2)
    years, dates, left = plan.years, plan.dates, plan.left
    assert years == 1 and min(dates.values()) >= date(2027, 1, 4)
    assert [s.dutch for s in left] == [
        "De stappen voor de start van de opleiding passen niet tussen 4 januari 2027 en "
        "30 maart 2028."
    ]


def test_expected_size_follows_signups_and_their_trend_and_respects_the_minimum():
    assert expected_size(GOOD, 12) == 27  # 20 sign-ups, 1.35 placements each
    assert expected_size(replace(GOOD, previous_signups=16), 12) == 32  # 24 expected sign-ups
    assert expected_size(replace(GOOD, signups=5, placements=6), 12) == 12
    assert expected_size(replace(GOOD, signups=0, placements=0), 12) == 27
    proposal = next_cohort(_current(), GOOD, OLD, minimum=12, margin=20)
    assert proposal["target_participants"] == {"min": 22, "max": 32}


def test_the_written_file_is_a_valid_cohort_file(tmp_path):
    _, dates, _ = _forward(date(2027, 6, 1))
    proposal = next_cohort(_current(), replace(GOOD, signups=8, placements=9), dates, minimum=12)
    path = write_cohort_file(proposal, tmp_path / "next-cohort-2028.yaml", header="Voorstel")
    region = read_region(REAL_CONFIG)
    loaded = load_cohort(path, region.programme, region.organisations)
    assert loaded.code == "2028"
    assert loaded.tracks == ["ro", "vm"]
    assert (loaded.target_participants.min, loaded.target_participants.max) == (12, 14)
    assert loaded.key_dates["training_start"] == date(2028, 9, 4)
    assert path.read_text(encoding="utf-8").startswith("# Voorstel\ncode: '2028'\n")


def test_the_nps_is_shown_per_round_and_never_pooled():
    from rvg.redesign.report import actual_rows

    rows = {label: actual for label, _, actual in actual_rows(GOOD)}
    label = next(label for label in rows if label.startswith("NPS deelnemers"))
    assert "per ronde" in label and "dezelfde mensen" in label
    assert rows[label] == "m03 +40; m06 +35; m12 -5"
    assert {label: a for label, _, a in actual_rows(replace(GOOD, nps=()))}[label] == "onbekend"


def test_the_funding_gap_is_a_finding_only_when_something_is_left_uncovered():
    from rvg.business_case.actuals import Funding
    from rvg.redesign.report import funding_rows

    covered = replace(GOOD, funding=Funding(Decimal(500000), Decimal(400000), Decimal(100000)))
    assert "funding" not in _codes(covered)
    short = replace(GOOD, funding=Funding(Decimal(658500), Decimal(555000), Decimal(0)))
    assert "funding" in _codes(short)
    assert funding_rows(short)[-1] == ("Niet gedekt", "€ 103.500")
    surplus = replace(GOOD, funding=Funding(Decimal(500000), Decimal(450000), Decimal(60000)))
    assert funding_rows(surplus)[-1] == ("Meer ontvangen dan uitgegeven", "€ 10.000")
    assert "funding" not in _codes(surplus)


def test_without_a_sign_up_trend_the_cohorts_before_temper_the_size_and_say_so():
    from rvg.history import PastCohort
    from rvg.redesign.proposal import size_estimate

    history = (
        PastCohort("1", "Lichting 1", True, 249, None, 31),
        PastCohort("2", "Lichting 2", True, None, None, 23, frozenset({"participants"})),
        PastCohort("2024", "Lichting 2024", True, 315, 23, None),  # size unknown: left out
    )
    estimate = size_estimate(GOOD, 12, history)  # 27 of its own, 27 before: 27
    assert estimate.size == 27
    assert "Lichting 1 31 (historie), Lichting 2 23 (historie); gemiddeld 27" in estimate.source
    small = size_estimate(replace(GOOD, signups=10, placements=10), 12, history)
    assert small.size == round((10 + 27) / 2)
    # with the sign-up trend known, the trend decides and history stays out of it
    trend = size_estimate(replace(GOOD, previous_signups=16), 12, history)
    assert trend.size == 32 and "trend van de aanmeldingen" in trend.source
    assert "historie" not in trend.source
    tiny = size_estimate(replace(GOOD, signups=5, placements=6), 12)
    assert tiny.size == 12 and "minimum van 12" in tiny.source


def test_too_few_sign_ups_open_the_next_sign_up_earlier_but_never_in_the_past():
    from rvg.redesign.proposal import lesson_moves

    _, dates, _ = _forward(date(2027, 6, 1))
    moved = lesson_moves(dates, ["signups"], 4, date(2027, 6, 1))
    assert moved == {"signup_opens": dates["signup_opens"] - timedelta(weeks=4)}
    assert lesson_moves(dates, ["cost"], 4, date(2027, 6, 1)) == {}
    # a week after the business case at the earliest, and not before the day it is made
    late = lesson_moves(dates, ["signups"], 26, date(2027, 6, 1))
    assert late["signup_opens"] >= dates["business_case_decision"] + timedelta(days=7)
    assert lesson_moves(dates, ["signups"], 4, dates["signup_opens"]) == {}


def test_the_funnel_and_its_durations_are_shown_in_dutch_notation():
    from rvg.redesign.report import funnel_rows

    funnel = (("Gesolliciteerd", 300, None, 12.0), ("Meet & greet", 60, 20.0, None))
    assert funnel_rows(replace(GOOD, funnel=funnel)) == [
        ("Gesolliciteerd", "300", "", "12"),
        ("Meet & greet", "60", "20%", "onbekend"),
    ]
    assert funnel_rows(GOOD) == []


def test_a_running_cohort_is_not_warned_about_periods_already_over() -> None:
    """A redesign revising a running cohort checks its dates as of that day: a sign-up window,
    a campaign or the meet & greet's invitations that lie behind it are facts, not risks;
    the same dates checked while those periods lie ahead are warned about."""
    from rvg.lead_times import schedule_warnings

    dates = key_dates_of(_current())
    tight = {**dates, "signup_deadline": dates["signup_opens"] + timedelta(days=10)}
    tight["meet_and_greet"] = tight["recruitment_opens"] + timedelta(days=20)

    def warned(on: date) -> list[str]:
        return [s.english.split(":")[1].split()[0] for s in schedule_warnings(tight, on, PROGRAMME)]

    assert warned(dates["signup_opens"]) == ["organisations", "the"]
    assert warned(tight["meet_and_greet"] - timedelta(days=1)) == ["the", "its"]
    assert warned(tight["meet_and_greet"] + timedelta(days=1)) == []
    assert warned(dates["training_start"] + timedelta(days=100)) == []


def test_a_lot_awarded_already_is_not_a_shortfall() -> None:
    from rvg.business_case.costing import load_cost_model
    from rvg.lead_times import tender_warnings
    from rvg.tendering.config import load_procurement

    procurement = load_procurement(REAL_CONFIG / "contracts.yaml")
    amounts = load_cost_model(REAL_CONFIG / "costs.yaml").per_participant_amounts()
    dates, day = key_dates_of(_current()), date(2027, 1, 15)
    late = tender_warnings(dates, 34, day, procurement, amounts, [])
    assert [s.english.split(":")[0] for s in late] == ["lot recruitment_selection"]
    settled = tender_warnings(
        dates, 34, day, procurement, amounts, [], settled={"recruitment_selection"}
    )
    assert settled == []

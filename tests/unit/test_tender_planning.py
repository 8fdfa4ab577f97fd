"""Procurement planning: lead times in Dutch working days, thresholds, extension or new tender."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from rvg.errors import ConfigError
from rvg.models.tendering import Lot
from rvg.tendering.config import (
    ContractRow,
    KeyDateOffset,
    LotConfig,
    NewContractTerms,
    ProcurementRules,
    Regime,
    RegimeChoice,
    Threshold,
    load_procurement,
)
from rvg.tendering.planning import (
    TENDER_MILESTONES,
    ExtensionPlan,
    ExtensionRefusal,
    LotAssessment,
    LotPath,
    assess_lot,
    lot_value,
    plan_extension,
    plan_lot,
    plan_tender,
    threshold_on,
    timeline_rows,
)
from rvg.workdays import is_working_day, next_working_day
from tests.utils.config_files import REAL_CONFIG, copy_config, replace_in

# The key dates of cohort 2027, as in config/cohorts/2027.yaml.
KEY_DATES_2027 = {
    "signup_opens": date(2026, 9, 7),
    "signup_deadline": date(2026, 10, 30),
    "go_no_go": date(2026, 11, 12),
    "recruitment_opens": date(2027, 3, 1),
    "meet_and_greet": date(2027, 6, 17),
    "training_start": date(2027, 9, 6),
}
AS_OF = date(2026, 9, 1)
AFTER_GO_NO_GO = date(2026, 11, 13)
TEAM_MILESTONES = ("publication", "questions_deadline", "award_decision", "signature")


def rules(**overrides) -> ProcurementRules:
    values = {
        "min_tender_days": 45,
        "min_tender_days_electronic": 40,
        "electronic_submission": True,
        "social_services_tender_days": 30,
        "questions_days_before_deadline": 14,
        "answers_days_before_deadline": 6,
        "evaluation_working_days": 15,
        "standstill_days": 20,
        "signature_working_days_before_start": 5,
        "reminder_days_before": [14, 3],
        "extension_decision_working_days_before_notice": 10,
    }
    return ProcurementRules(**(values | overrides))


def thresholds() -> list[Threshold]:
    return [
        Threshold(
            valid_from=date(2024, 1, 1),
            until=date(2025, 12, 31),
            services=221000,
            social_services=750000,
            source="test",
        ),
        Threshold(
            valid_from=date(2026, 1, 1),
            until=date(2027, 12, 31),
            services=216000,
            social_services=750000,
            source="test",
        ),
    ]


# The cost model's per-participant amounts of config/costs.yaml.
AMOUNTS = {
    "recruitment_selection": 3500,
    "assessment": 900,
    "training_programme": 7100,
    "talent_coaching": 1500,
}


def recruitment_lot(extension_options: int = 2) -> LotConfig:
    return LotConfig(
        lot=Lot.RECRUITMENT_SELECTION,
        description="Werving & selectie",
        cpv_codes=["79600000-0"],
        regime=RegimeChoice(value=Regime.STANDARD, source="test"),
        cost_codes=["recruitment_selection", "assessment"],
        needed_from=KeyDateOffset(milestone="recruitment_opens", offset_days=-28, source="test"),
        needed_until=KeyDateOffset(milestone="meet_and_greet", offset_days=30, source="test"),
        new_contract=NewContractTerms(
            initial_cohorts=1,
            extension_options=extension_options,
            extension_months=12,
            notice_days=90,
            source="test",
        ),
    )


def recruitment_contract(**overrides) -> ContractRow:
    values = {
        "lot": Lot.RECRUITMENT_SELECTION,
        "supplier": "Werving & Selectie Zuid B.V.",
        "starts_on": date(2025, 1, 1),
        "ends_on": date(2026, 12, 31),
        "value_eur": Decimal(240000),
        "extension_options_total": 2,
        "extension_options_used": 0,
        "extension_months": 12,
        "notice_days": 90,
    }
    return ContractRow(**(values | overrides))


def plan_recruitment(*contracts: ContractRow, as_of: date = AS_OF, lot: LotConfig | None = None):
    lot = lot or recruitment_lot()
    assessment = assess_lot(lot, AMOUNTS, 34, AFTER_GO_NO_GO, thresholds())
    return plan_lot(lot, contracts, KEY_DATES_2027, as_of, AFTER_GO_NO_GO, rules(), assessment)


# --- the open procedure


def test_the_open_procedure_after_go_no_go_runs_over_christmas():
    plan = plan_tender(date(2027, 7, 12), AFTER_GO_NO_GO, rules())
    assert dict(plan.milestones) == {
        "publication": date(2026, 11, 13),
        "questions_deadline": date(2026, 12, 9),
        "answers_deadline": date(2026, 12, 17),
        "tender_deadline": date(2026, 12, 23),
        "award_decision": date(2027, 1, 15),  # 25, 26 December and 1 January skipped
        "standstill_end": date(2027, 2, 4),
        "signature": date(2027, 2, 5),
        "contract_start": date(2027, 7, 12),
    }
    assert [name for name, _ in plan.milestones] == list(TENDER_MILESTONES)
    assert plan.feasible


@pytest.mark.parametrize(
    ("electronic", "days", "deadline"),
    [(True, 40, date(2026, 12, 23)), (False, 45, date(2026, 12, 28))],
)
def test_tender_period_is_40_days_electronic_and_45_otherwise(electronic, days, deadline):
    plan = plan_tender(date(2027, 9, 1), AFTER_GO_NO_GO, rules(electronic_submission=electronic))
    assert plan.tender_deadline == deadline
    assert (plan.tender_deadline - plan.publication).days >= days


def test_a_tender_deadline_on_easter_monday_moves_to_tuesday():
    plan = plan_tender(date(2027, 12, 1), date(2027, 2, 17), rules())
    assert plan.publication + timedelta(days=40) == date(2027, 3, 29)
    assert plan.tender_deadline == date(2027, 3, 30)


def test_publication_on_kings_day_moves_to_the_next_working_day():
    plan = plan_tender(date(2028, 1, 1), date(2027, 4, 27), rules())
    assert plan.publication == date(2027, 4, 28)


@pytest.mark.parametrize("electronic", [True, False])
def test_every_publication_day_of_two_years_keeps_the_statutory_periods(electronic):
    lead = rules(electronic_submission=electronic)
    day = date(2026, 1, 1)
    while day < date(2028, 1, 1):
        plan = plan_tender(day + timedelta(days=200), day, lead)
        dates = [when for _, when in plan.milestones]
        assert dates == sorted(dates)
        assert (plan.tender_deadline - plan.publication).days >= lead.tender_days()
        assert is_working_day(plan.tender_deadline)
        assert (plan.tender_deadline - plan.questions_deadline).days >= 14
        assert (plan.tender_deadline - plan.answers_deadline).days >= 6
        assert plan.questions_deadline < plan.answers_deadline
        assert (plan.standstill_end - plan.award_decision).days >= 20
        assert is_working_day(plan.standstill_end)
        assert all(is_working_day(getattr(plan, name)) for name in TEAM_MILESTONES)
        day += timedelta(days=1)


def test_infeasible_timeline_names_the_latest_feasible_publication():
    """Recruitment for 2027 by a new tender after go/no-go cannot start on 1 February."""
    needed_from = date(2027, 2, 1)
    plan = plan_tender(needed_from, AFTER_GO_NO_GO, rules())
    assert not plan.feasible
    assert plan.slack_days == -11
    assert plan.latest_feasible_publication == date(2026, 10, 30)

    on_time = plan_tender(needed_from, date(2026, 10, 30), rules())
    one_day_later = plan_tender(needed_from, next_working_day(date(2026, 10, 31)), rules())
    assert on_time.feasible
    assert on_time.slack_days >= 0
    assert one_day_later.publication == date(2026, 11, 2)
    assert not one_day_later.feasible


def test_no_feasible_publication_when_the_start_is_too_close_to_search_for():
    plan = plan_tender(date(2027, 2, 1), AFTER_GO_NO_GO, rules(evaluation_working_days=400))
    assert plan.latest_feasible_publication is None


# --- thresholds and value


def _assessment(value: int, day: date, regime: Regime = Regime.STANDARD) -> LotAssessment:
    return LotAssessment(
        lot=Lot.TRAINING,
        description="test",
        cpv_codes=("80530000-8",),
        regime=regime,
        participants=1,
        cohorts_including_options=1,
        value=Decimal(value),
        threshold=threshold_on(day, thresholds(), regime),
    )


@pytest.mark.parametrize(
    ("value", "day", "regime", "above"),
    [
        (215999, date(2026, 6, 1), Regime.STANDARD, False),
        (216000, date(2026, 6, 1), Regime.STANDARD, True),
        (220999, date(2025, 6, 1), Regime.STANDARD, False),
        (221000, date(2025, 6, 1), Regime.STANDARD, True),
        (218000, date(2025, 12, 31), Regime.STANDARD, False),
        (218000, date(2026, 1, 1), Regime.STANDARD, True),
        (749999, date(2026, 6, 1), Regime.SOCIAL_SERVICES, False),
        (750000, date(2026, 6, 1), Regime.SOCIAL_SERVICES, True),
    ],
)
def test_threshold_just_below_and_just_above(value, day, regime, above):
    assert _assessment(value, day, regime).above_threshold is above


def test_threshold_periods_switch_at_new_year():
    assert threshold_on(date(2025, 12, 31), thresholds()).amount == 221000
    assert threshold_on(date(2026, 1, 1), thresholds()).amount == 216000
    assert threshold_on(date(2027, 12, 31), thresholds()).published


def test_after_the_last_published_period_the_plan_is_warned():
    """The thresholds of 2028-2029 are not yet known: the last known amount stands in, and
    every text that uses it says so."""
    check = threshold_on(date(2028, 1, 3), thresholds())
    assert (check.amount, check.published) == (216000, False)
    warning = check.warning()
    assert warning is not None
    assert "03-01-2028" in warning and "31-12-2027" in warning and "216.000" in warning
    assert threshold_on(date(2027, 12, 31), thresholds()).warning() is None
    assert (
        _assessment(500000, date(2030, 1, 1)).notes[1]
        == threshold_on(date(2030, 1, 1), thresholds()).warning()
    )


def test_no_threshold_before_the_first_period_names_the_date():
    with pytest.raises(ValueError, match="2023-12-31"):
        threshold_on(date(2023, 12, 31), thresholds())


def test_lot_value_counts_every_cohort_including_options():
    amounts: dict[str, Decimal | float] = {
        "recruitment_selection": Decimal(3500),
        "assessment": 900.0,
        "training_programme": 7100,
    }
    value = lot_value(amounts, ["recruitment_selection", "assessment"], 35, 3)
    assert value == Decimal(462000)
    assert isinstance(value, Decimal)


def test_the_training_lot_is_valued_at_the_largest_cohort_and_is_light_touch():
    """At the cohort's maximum of 34 (not the planned 27) the training lot is worth
    EUR 877,200 over three cohorts: above the EUR 750,000 of the social services regime."""
    config = load_procurement(REAL_CONFIG / "contracts.yaml")
    training = assess_lot(config.lot(Lot.TRAINING), AMOUNTS, 34, AFTER_GO_NO_GO, thresholds())
    assert (training.value, training.threshold.amount) == (Decimal(877200), 750000)
    assert training.regime is Regime.SOCIAL_SERVICES and training.above_threshold
    assert "redelijke termijn" in training.consequence
    at_27 = assess_lot(config.lot(Lot.TRAINING), AMOUNTS, 27, AFTER_GO_NO_GO, thresholds())
    assert at_27.value == Decimal(696600) and not at_27.above_threshold

    lot = config.lot(Lot.RECRUITMENT_SELECTION)
    recruitment = assess_lot(lot, AMOUNTS, 34, AFTER_GO_NO_GO, thresholds())
    assert (recruitment.value, recruitment.threshold.amount) == (Decimal(448800), 216000)
    assert "Europese openbare procedure" in recruitment.consequence
    assert "wettelijke minimumtermijn" in recruitment.notes[0]


def test_lot_value_names_a_missing_cost_code():
    with pytest.raises(ValueError, match="talent_coaching"):
        lot_value({"training_programme": 7100}, ["training_programme", "talent_coaching"], 20, 3)


# --- extension


NEED_2027 = (date(2027, 2, 1), date(2027, 7, 17))  # recruitment for cohort 2027


def test_extension_dates_follow_the_notice_period():
    plan = plan_extension(recruitment_contract(), *NEED_2027, AS_OF, rules())
    assert plan == ExtensionPlan(
        supplier="Werving & Selectie Zuid B.V.",
        options_used=1,
        options_left_after=1,
        first_option=1,
        options_total=2,
        decision_date=date(2026, 9, 18),
        notice_deadline=date(2026, 10, 2),
        contract_start=date(2027, 1, 1),
        new_end=date(2026, 12, 31) + timedelta(days=365),
    )


def test_one_option_covers_a_cohort_whose_need_outlasts_the_extension_months():
    """The training year needs 372 days: one option of 12 months still covers the cohort, up
    to the end of its need, instead of burning a second option for the last week."""
    contract = recruitment_contract(
        lot=Lot.TRAINING, starts_on=date(2023, 9, 1), ends_on=date(2027, 8, 31)
    )
    plan = plan_extension(contract, date(2027, 7, 12), date(2028, 9, 12), date(2027, 1, 4), rules())
    assert isinstance(plan, ExtensionPlan)
    assert (plan.options_used, plan.options_left_after) == (1, 1)
    assert plan.new_end == date(2028, 9, 12)


def test_two_options_serve_two_further_cohorts_and_the_third_is_tendered():
    """A model contract of one cohort and two options serves three cohorts of training."""
    lot = load_procurement(REAL_CONFIG / "contracts.yaml").lot(Lot.TRAINING)
    contract = recruitment_contract(
        lot=Lot.TRAINING, starts_on=date(2027, 7, 12), ends_on=date(2028, 9, 12)
    )
    paths, notes = [], []
    for year in (2028, 2029, 2030):
        training_start = date(year, 9, 4)
        key_dates = {**KEY_DATES_2027, "training_start": training_start}
        as_of = date(year - 1, 11, 1)
        day = date(year - 1, 11, 15)
        assessment = assess_lot(lot, AMOUNTS, 34, day, thresholds())
        plan = plan_lot(lot, [contract], key_dates, as_of, day, rules(), assessment)
        paths.append(plan.path)
        notes.append(plan.notes)
        if plan.extension is not None:
            contract = recruitment_contract(
                lot=Lot.TRAINING,
                starts_on=contract.starts_on,
                ends_on=plan.extension.new_end,
                extension_options_used=contract.extension_options_used + 1,
            )
    assert paths == [LotPath.EXTENSION, LotPath.EXTENSION, LotPath.SOCIAL_SERVICES]
    assert any("nog 1 verlengingsoptie: genoeg voor 1 volgende lichting." in n for n in notes[0])
    warning = next(n for n in notes[1] if n.startswith("Let op"))
    assert "geen verlengingsoptie meer" in warning
    assert "Aankondiging sociale en andere specifieke diensten" in warning
    assert "uiterlijk" in warning  # a year ahead: when the next cohort's tender must go out


def test_extension_is_refused_when_too_few_options_are_left():
    """The need starts after the first option would end: the cohort in between takes one."""
    contract = recruitment_contract(extension_options_used=1, extension_months=6)
    refusal = plan_extension(contract, date(2027, 8, 1), date(2027, 12, 1), AS_OF, rules())
    assert isinstance(refusal, ExtensionRefusal)
    assert "waarvoor 2 verlengingsopties" in refusal.reason
    assert "heeft er nog maar 1" in refusal.reason


def test_extension_is_refused_after_the_notice_deadline():
    refusal = plan_extension(recruitment_contract(), *NEED_2027, date(2026, 10, 5), rules())
    assert isinstance(refusal, ExtensionRefusal)
    assert "02-10-2026" in refusal.reason


# --- the lot: keep, extend or tender


def test_recruitment_2027_extends_the_current_contract():
    plan = plan_recruitment(recruitment_contract())
    assert plan.path is LotPath.EXTENSION
    assert plan.feasible
    assert (plan.needed_from, plan.needed_until) == (date(2027, 2, 1), date(2027, 7, 17))
    assert plan.milestones == (
        ("notice_deadline", date(2026, 10, 2)),
        ("contract_start", date(2027, 1, 1)),
    )
    assert plan.decision_date == date(2026, 9, 18)
    assert plan.supplier == "Werving & Selectie Zuid B.V."
    assert not any("Let op" in note for note in plan.notes)


def test_the_last_extension_option_comes_with_a_warning():
    plan = plan_recruitment(recruitment_contract(extension_options_used=1))
    assert plan.path is LotPath.EXTENSION
    assert any("heeft na deze lichting geen verlengingsoptie meer" in note for note in plan.notes)


def test_an_expired_notice_deadline_forces_an_open_procedure():
    plan = plan_recruitment(recruitment_contract(), as_of=date(2026, 10, 5))
    assert plan.path is LotPath.OPEN_PROCEDURE
    assert [name for name, _ in plan.milestones] == list(TENDER_MILESTONES)
    assert not plan.feasible
    assert "te laten weten dat het contract wordt verlengd" in plan.notes[0]
    assert "02-10-2026" in plan.notes[0]
    assert any("uiterste haalbare publicatiedatum was 30-10-2026" in n for n in plan.notes)


def test_no_option_left_forces_an_open_procedure():
    contract = recruitment_contract(extension_options_used=2)
    plan = plan_recruitment(contract)
    assert plan.path is LotPath.OPEN_PROCEDURE
    assert plan.tender is not None
    assert plan.notes[0].startswith("Geen verlenging: ")


def test_an_option_reserved_by_an_earlier_cohort_is_not_counted_again():
    """The contract ends a year before this cohort's need; cohort 2026 has planned (not yet
    recorded) its first option. This cohort takes the second, one option, not two."""
    from rvg.tendering.planning import Reservation

    lot = recruitment_lot()
    assessment = assess_lot(lot, AMOUNTS, 34, AFTER_GO_NO_GO, thresholds())
    contract = recruitment_contract(ends_on=date(2025, 12, 31), starts_on=date(2023, 1, 1))
    args = (lot, [contract], KEY_DATES_2027, date(2025, 6, 2), AFTER_GO_NO_GO, rules(), assessment)
    alone = plan_lot(*args).extension
    assert alone is not None and (alone.options_used, alone.first_option) == (2, 1)
    plan = plan_lot(*args, [Reservation("2026", 1, date(2026, 12, 31))])
    assert plan.extension is not None
    assert (plan.extension.options_used, plan.extension.first_option) == (1, 2)
    assert plan.extension.contract_start == date(2027, 1, 1)
    assert "met 1 optie (optie 2 van 2) tot en met 31-12-2027" in plan.notes[0]
    assert plan.notes[1].startswith(
        "Gereserveerd voor een eerdere lichting, gepland maar nog niet vastgelegd: optie 1 "
        "voor lichting 2026 (tot en met 31-12-2026)."
    )


def test_options_reserved_by_earlier_cohorts_leave_none_to_plan():
    from rvg.tendering.planning import Reservation

    held = [
        Reservation("2025", 1, date(2025, 12, 31)),
        Reservation("2026", 1, date(2026, 12, 31)),
    ]
    lot = recruitment_lot()
    assessment = assess_lot(lot, AMOUNTS, 34, AFTER_GO_NO_GO, thresholds())
    contract = recruitment_contract(ends_on=date(2024, 12, 31), starts_on=date(2023, 1, 1))
    plan = plan_lot(
        lot, [contract], KEY_DATES_2027, date(2024, 6, 3), AFTER_GO_NO_GO, rules(), assessment, held
    )
    assert plan.path is LotPath.OPEN_PROCEDURE
    assert plan.notes[0] == (
        "Geen verlenging: het contract met Werving & Selectie Zuid B.V. heeft geen "
        "verlengingsoptie meer."
    )
    assert plan.notes[1] == (
        "Gereserveerd voor een eerdere lichting, gepland maar nog niet vastgelegd: optie 1 "
        "voor lichting 2025 (tot en met 31-12-2025) en optie 2 voor lichting 2026 (tot en met "
        "31-12-2026). Zonder die verlenging loopt het contract met Werving & Selectie Zuid "
        "B.V. tot en met 31-12-2024; die gaat dus voor."
    )


def test_a_contract_covering_the_whole_need_needs_no_action():
    contract = recruitment_contract(ends_on=date(2027, 12, 31), extension_options_used=2)
    plan = plan_recruitment(contract)
    assert plan.path is LotPath.CURRENT_CONTRACT
    assert plan.feasible
    assert plan.milestones == ()
    assert any("er hoeft niets te worden aanbesteed" in note for note in plan.notes)
    assert any("geen verlengingsoptie meer" in note for note in plan.notes)
    assert timeline_rows([plan]) == []


def test_without_any_contract_the_lot_is_tendered():
    plan = plan_recruitment(lot=recruitment_lot(extension_options=0))
    assert plan.path is LotPath.OPEN_PROCEDURE
    assert any(
        "het nieuwe contract heeft na deze lichting geen verlengingsoptie" in note
        for note in plan.notes
    )


def test_contracts_of_the_other_lot_are_ignored():
    other = recruitment_contract(lot=Lot.TRAINING, ends_on=date(2030, 12, 31))
    assert plan_recruitment(other).path is LotPath.OPEN_PROCEDURE


def test_the_real_register_for_cohort_2027():
    config = load_procurement(REAL_CONFIG / "contracts.yaml")
    plans = [
        plan_lot(
            lot,
            config.contracts,
            KEY_DATES_2027,
            AS_OF,
            AFTER_GO_NO_GO,
            config.rules,
            assess_lot(lot, AMOUNTS, 34, AFTER_GO_NO_GO, config.eu_thresholds),
        )
        for lot in config.lots
    ]
    assert [(p.lot, p.path, p.feasible) for p in plans] == [
        (Lot.RECRUITMENT_SELECTION, LotPath.EXTENSION, True),
        (Lot.TRAINING, LotPath.SOCIAL_SERVICES, True),
    ]
    training = plans[1]
    assert (training.needed_from, training.needed_until) == (date(2027, 7, 12), date(2028, 9, 12))
    assert "heeft geen verlengingsoptie meer" in training.notes[0]
    assert "877.200" in training.notes[1] and "redelijke termijn" in training.notes[1]
    assert training.tender is not None
    assert (training.tender.tender_deadline - training.tender.publication).days >= 30
    assert training.tender.tender_deadline < date(2026, 12, 23)  # sooner than 40 days

    rows = timeline_rows(plans)
    assert rows[:2] == [
        {
            "lot": "recruitment_selection",
            "path": "extension",
            "milestone": "notice_deadline",
            "date": "2026-10-02",
        },
        {
            "lot": "recruitment_selection",
            "path": "extension",
            "milestone": "contract_start",
            "date": "2027-01-01",
        },
    ]
    assert [row["milestone"] for row in rows[2:]] == list(TENDER_MILESTONES)
    assert rows[2]["date"] == "2026-11-13"


# --- the configuration file


def test_the_real_contracts_file_loads():
    config = load_procurement(REAL_CONFIG / "contracts.yaml")
    assert config.rules.tender_days() == 40
    assert config.rules.tender_days(Regime.SOCIAL_SERVICES) == 30
    assert config.rules.answers_days_before_deadline == 6
    assert config.rules.reminder_days_before == [14, 3]
    assert set(config.rules.sources) == set(ProcurementRules.model_fields) - {"sources"}
    assert [t.services for t in config.eu_thresholds] == [221000, 216000]
    assert [t.social_services for t in config.eu_thresholds] == [750000, 750000]
    assert config.eu_thresholds[-1].until == date(2027, 12, 31)
    assert "legal minimum" in config.rules.sources["min_tender_days"].casefold()
    assert "margin" not in config.rules.sources["min_tender_days"]
    regimes = {lot.lot: (lot.cpv_codes[0], lot.regime.value) for lot in config.lots}
    assert regimes == {
        Lot.RECRUITMENT_SELECTION: ("79600000-0", Regime.STANDARD),
        Lot.TRAINING: ("80530000-8", Regime.SOCIAL_SERVICES),
    }
    assert config.lot(Lot.TRAINING).cost_codes == ["training_programme", "talent_coaching"]
    assert config.lot(Lot.TRAINING).new_contract.cohorts_including_options == 3
    assert [c.supplier for c in config.contracts] == [
        "Werving & Selectie Zuid B.V.",
        "Opleidingsinstituut Ruimtelijk Vakmanschap B.V.",
    ]


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("    value: 20\n", "    value: twintig\n", "rules.standstill_days", "valid integer"),
        ("until: 2025-12-31", "until: 2026-01-31", "eu_thresholds", "without overlap"),
        ("until: 2027-12-31", "until: null", "eu_thresholds.1.until", "valid date"),
        ("    value: 6\n", "    value: 5\n", "rules", "at least 6"),
        ("[80530000-8,", "[8053000-8,", "lots.1.cpv_codes.0", "pattern"),
        ("value: social_services", "value: light", "lots.1.regime.value", "standard"),
        ("  - lot: training\n", "  - lot: recruitment_selection\n", "lots", "listed twice"),
        (
            "milestone: training_start",
            "milestone: opleiding",
            "lots.1.needed_from.milestone",
            "unknown key date",
        ),
        ("extension_options_used: 2", "extension_options_used: 3", "contracts.1", "more than"),
        ("ends_on: 2026-12-31", "ends_on: 2024-12-31", "contracts.0", "before ends_on"),
        (
            "    source: Tenders are received through TenderNed.\n",
            "",
            "rules",
            "electronic_submission as {value: ..., source: ...}",
        ),
    ],
)
def test_a_bad_contracts_file_names_the_file_and_field(tmp_path, old, new, field, message):
    config = copy_config(tmp_path)
    path = config / "contracts.yaml"
    replace_in(path, old, new)
    with pytest.raises(ConfigError) as exc_info:
        load_procurement(path)
    assert exc_info.value.file == str(path)
    assert str(path) in str(exc_info.value)
    problems = "\n".join(exc_info.value.problems)
    assert f"field '{field}'" in problems
    assert message in problems


def test_a_missing_lot_is_named(tmp_path):
    config = copy_config(tmp_path)
    path = config / "contracts.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("  - lot: training\n"), text.index("# The contract register")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(ConfigError) as exc_info:
        load_procurement(path)
    assert "field 'lots': lot(s) missing: training" in exc_info.value.problems


def test_a_milestone_reminder_on_a_weekend_goes_the_working_day_before():
    from rvg.tendering.reminders import milestone_reminders

    # the award decision on Monday 11 January 2027: 7 days before is Monday 4 January, 2 days
    # before is Saturday 9 January, so that reminder goes on Friday 8 January, 3 days before
    reminders = milestone_reminders(
        "2027", "training", [("award_decision", date(2027, 1, 11))], [7, 2], date(2027, 1, 1)
    )
    assert [(r.due_on, r.days_before, r.key) for r in reminders] == [
        (date(2027, 1, 4), 7, "tender:2027:training:award_decision:7d"),
        (date(2027, 1, 8), 3, "tender:2027:training:award_decision:2d"),
    ]

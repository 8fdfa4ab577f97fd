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
    Threshold,
    load_procurement,
)
from rvg.tendering.planning import (
    OPEN_PROCEDURE_MILESTONES,
    ExtensionPlan,
    ExtensionRefusal,
    LotPath,
    lot_value,
    plan_extension,
    plan_lot,
    plan_open_procedure,
    requires_european_procedure,
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
        "questions_days_before_deadline": 14,
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
            valid_from=date(2024, 1, 1), until=date(2025, 12, 31), amount=221000, source="test"
        ),
        Threshold(valid_from=date(2026, 1, 1), until=None, amount=216000, source="test"),
    ]


def recruitment_lot(extension_options: int = 2) -> LotConfig:
    return LotConfig(
        lot=Lot.RECRUITMENT_SELECTION,
        description="Werving & selectie",
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
    return plan_lot(
        lot or recruitment_lot(), contracts, KEY_DATES_2027, as_of, AFTER_GO_NO_GO, rules()
    )


# --- the open procedure


def test_the_open_procedure_after_go_no_go_runs_over_christmas():
    plan = plan_open_procedure(date(2027, 7, 12), AFTER_GO_NO_GO, rules())
    assert dict(plan.milestones) == {
        "publication": date(2026, 11, 13),
        "questions_deadline": date(2026, 12, 9),
        "tender_deadline": date(2026, 12, 23),
        "award_decision": date(2027, 1, 15),  # 25, 26 December and 1 January skipped
        "standstill_end": date(2027, 2, 4),
        "signature": date(2027, 2, 5),
        "contract_start": date(2027, 7, 12),
    }
    assert [name for name, _ in plan.milestones] == list(OPEN_PROCEDURE_MILESTONES)
    assert plan.feasible


@pytest.mark.parametrize(
    ("electronic", "days", "deadline"),
    [(True, 40, date(2026, 12, 23)), (False, 45, date(2026, 12, 28))],
)
def test_tender_period_is_40_days_electronic_and_45_otherwise(electronic, days, deadline):
    plan = plan_open_procedure(
        date(2027, 9, 1), AFTER_GO_NO_GO, rules(electronic_submission=electronic)
    )
    assert plan.tender_deadline == deadline
    assert (plan.tender_deadline - plan.publication).days >= days


def test_a_tender_deadline_on_easter_monday_moves_to_tuesday():
    plan = plan_open_procedure(date(2027, 12, 1), date(2027, 2, 17), rules())
    assert plan.publication + timedelta(days=40) == date(2027, 3, 29)
    assert plan.tender_deadline == date(2027, 3, 30)


def test_publication_on_kings_day_moves_to_the_next_working_day():
    plan = plan_open_procedure(date(2028, 1, 1), date(2027, 4, 27), rules())
    assert plan.publication == date(2027, 4, 28)


@pytest.mark.parametrize("electronic", [True, False])
def test_every_publication_day_of_two_years_keeps_the_statutory_periods(electronic):
    lead = rules(electronic_submission=electronic)
    day = date(2026, 1, 1)
    while day < date(2028, 1, 1):
        plan = plan_open_procedure(day + timedelta(days=200), day, lead)
        dates = [when for _, when in plan.milestones]
        assert dates == sorted(dates)
        assert (plan.tender_deadline - plan.publication).days >= lead.tender_days
        assert is_working_day(plan.tender_deadline)
        assert (plan.tender_deadline - plan.questions_deadline).days >= 14
        assert (plan.standstill_end - plan.award_decision).days >= 20
        assert is_working_day(plan.standstill_end)
        assert all(is_working_day(getattr(plan, name)) for name in TEAM_MILESTONES)
        day += timedelta(days=1)


def test_infeasible_timeline_names_the_latest_feasible_publication():
    """Recruitment for 2027 by a new tender after go/no-go cannot start on 1 February."""
    needed_from = date(2027, 2, 1)
    plan = plan_open_procedure(needed_from, AFTER_GO_NO_GO, rules())
    assert not plan.feasible
    assert plan.slack_days == -11
    assert plan.latest_feasible_publication == date(2026, 10, 30)

    on_time = plan_open_procedure(needed_from, date(2026, 10, 30), rules())
    one_day_later = plan_open_procedure(needed_from, next_working_day(date(2026, 10, 31)), rules())
    assert on_time.feasible
    assert on_time.slack_days >= 0
    assert one_day_later.publication == date(2026, 11, 2)
    assert not one_day_later.feasible


def test_no_feasible_publication_when_the_start_is_too_close_to_search_for():
    plan = plan_open_procedure(date(2027, 2, 1), AFTER_GO_NO_GO, rules(evaluation_working_days=400))
    assert plan.latest_feasible_publication is None


# --- thresholds and value


@pytest.mark.parametrize(
    ("value", "day", "european"),
    [
        (215999, date(2026, 6, 1), False),
        (216000, date(2026, 6, 1), True),
        (220999, date(2025, 6, 1), False),
        (221000, date(2025, 6, 1), True),
        (218000, date(2025, 12, 31), False),
        (218000, date(2026, 1, 1), True),
    ],
)
def test_threshold_just_below_and_just_above(value, day, european):
    assert requires_european_procedure(Decimal(value), day, thresholds()) is european


def test_threshold_periods_switch_at_new_year():
    assert threshold_on(date(2025, 12, 31), thresholds()).amount == 221000
    assert threshold_on(date(2026, 1, 1), thresholds()).amount == 216000
    assert threshold_on(date(2030, 1, 1), thresholds()).amount == 216000


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
    assert requires_european_procedure(value, date(2026, 11, 13), thresholds())


def test_lot_value_names_a_missing_cost_code():
    with pytest.raises(ValueError, match="talent_coaching"):
        lot_value({"training_programme": 7100}, ["training_programme", "talent_coaching"], 20, 3)


# --- extension


def test_extension_dates_follow_the_notice_period():
    plan = plan_extension(recruitment_contract(), date(2027, 7, 17), AS_OF, rules())
    assert plan == ExtensionPlan(
        supplier="Werving & Selectie Zuid B.V.",
        options_used=1,
        options_left_after=1,
        decision_date=date(2026, 9, 18),
        notice_deadline=date(2026, 10, 2),
        contract_start=date(2027, 1, 1),
        new_end=date(2027, 12, 31),
    )


def test_extension_uses_as_few_options_as_reach_the_need():
    contract = recruitment_contract(extension_options_total=3, extension_months=6)
    plan = plan_extension(contract, date(2027, 7, 17), AS_OF, rules())
    assert isinstance(plan, ExtensionPlan)
    assert plan.options_used == 2
    assert plan.new_end == date(2027, 12, 31)


def test_extension_is_refused_when_too_few_options_are_left():
    contract = recruitment_contract(extension_options_used=1, extension_months=6)
    refusal = plan_extension(contract, date(2027, 7, 17), AS_OF, rules())
    assert isinstance(refusal, ExtensionRefusal)
    assert "zijn 2 verlengingsoptie(s)" in refusal.reason
    assert "heeft er nog maar 1" in refusal.reason


def test_extension_is_refused_after_the_notice_deadline():
    refusal = plan_extension(recruitment_contract(), date(2027, 7, 17), date(2026, 10, 5), rules())
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
    assert [name for name, _ in plan.milestones] == list(OPEN_PROCEDURE_MILESTONES)
    assert not plan.feasible
    assert "te laten weten dat het contract wordt verlengd" in plan.notes[0]
    assert "02-10-2026" in plan.notes[0]
    assert any("uiterste haalbare publicatiedatum was 30-10-2026" in n for n in plan.notes)


def test_too_few_options_left_force_an_open_procedure():
    contract = recruitment_contract(extension_options_used=1, extension_months=3)
    plan = plan_recruitment(contract)
    assert plan.path is LotPath.OPEN_PROCEDURE
    assert plan.open_procedure is not None
    assert plan.notes[0].startswith("Geen verlenging: ")


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
        plan_lot(lot, config.contracts, KEY_DATES_2027, AS_OF, AFTER_GO_NO_GO, config.rules)
        for lot in config.lots
    ]
    assert [(p.lot, p.path, p.feasible) for p in plans] == [
        (Lot.RECRUITMENT_SELECTION, LotPath.EXTENSION, True),
        (Lot.TRAINING, LotPath.OPEN_PROCEDURE, True),
    ]
    training = plans[1]
    assert (training.needed_from, training.needed_until) == (date(2027, 7, 12), date(2028, 9, 12))
    assert "heeft geen verlengingsoptie meer" in training.notes[0]

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
    assert [row["milestone"] for row in rows[2:]] == list(OPEN_PROCEDURE_MILESTONES)
    assert rows[2]["date"] == "2026-11-13"


# --- the configuration file


def test_the_real_contracts_file_loads():
    config = load_procurement(REAL_CONFIG / "contracts.yaml")
    assert config.rules.tender_days == 40
    assert config.rules.reminder_days_before == [14, 3]
    assert set(config.rules.sources) == set(ProcurementRules.model_fields) - {"sources"}
    assert [t.amount for t in config.eu_thresholds] == [221000, 216000]
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

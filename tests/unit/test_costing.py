"""The cost model: calibration on the published average, economies of scale, traceability."""

from decimal import Decimal
from itertools import pairwise

import pytest

from rvg.business_case.costing import (
    SCENARIO_COLUMNS,
    RampStep,
    RampUp,
    cohort_cost,
    load_cost_model,
    payback_months,
    scenarios,
)
from rvg.errors import ConfigError
from tests.utils.config_files import REAL_CONFIG, copy_config, replace_in

MODEL = load_cost_model(REAL_CONFIG / "costs.yaml")


def test_27_participants_cost_about_18500_each():
    cost = cohort_cost(MODEL, 27)
    assert abs(cost.per_participant - Decimal(18_500)) <= Decimal(18_500) * Decimal("0.02")


def test_cost_per_participant_falls_as_the_cohort_grows():
    per_participant = list(scenarios(MODEL)["cost_per_participant"])
    assert all(later < earlier for earlier, later in pairwise(per_participant))


def test_total_is_fixed_plus_variable_plus_project_management():
    cost = cohort_cost(MODEL, 20)
    per_head = sum(item.amount for item in MODEL.per_participant)
    assert cost.variable == per_head * 20
    assert cost.total == cost.fixed + cost.variable + cost.project_management
    assert cost.fixed == sum(item.amount for item in MODEL.fixed_per_cohort)


def test_interim_comparison_is_traceable_to_config():
    cost = cohort_cost(MODEL, 27)
    interim = MODEL.interim.hourly_rate * MODEL.interim.hours_per_year
    assert MODEL.ramp_up.first_year_share == Decimal("0.7")  # 3 months each of 40/60/80/100%
    assert cost.interim_per_placement == interim * Decimal("0.7")
    assert cost.programme_per_placement == MODEL.salary.annual_employer_cost + cost.per_participant
    assert cost.saving_per_placement == cost.interim_per_placement - cost.programme_per_placement


def test_every_participant_earns_scale_9_step_6():
    salary = MODEL.salary
    assert (salary.scale, salary.step) == (9, 6)
    assert salary.label.startswith("schaal 9.6, cao Gemeenten")
    assert "zonder terugbetalingsregeling" in salary.source
    # the hosting organisation pays it, as the seed says; the programme pays only its costs
    assert salary.source.startswith("De werkgever, de organisatie waar de deelnemer werkt")
    assert "Het programma betaalt" not in salary.source


def test_the_payback_counts_the_ramp_up_month_by_month():
    """By hand: interim EUR 15,333.33 a month, salary EUR 5,925. Months 1-3 at 40% replace
    EUR 208.33 net each (625), months 4-6 at 60% EUR 3,275 each (10,450), month 7 at 80%
    EUR 6,341.67 (16,791.67); the rest of EUR 18,500 takes 0.27 of month 8."""
    cost = cohort_cost(MODEL, 27)
    assert cost.per_participant == Decimal(18500)
    assert cost.payback_months == Decimal("7.3")
    full = RampUp(steps=[RampStep(from_month=1, productive_share=Decimal(1))], source="a test")
    flat = MODEL.model_copy(update={"ramp_up": full})  # the old figure: full interim at once
    assert payback_months(flat, Decimal(18500)).quantize(Decimal("0.1")) == Decimal("2.0")


def test_no_payback_when_the_salary_outweighs_the_replaced_work():
    dear = MODEL.model_copy(
        update={"salary": MODEL.salary.model_copy(update={"annual_employer_cost": Decimal(200000)})}
    )
    assert cohort_cost(dear, 27).payback_months == Decimal("Infinity")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    - from_month: 1\n", "    - from_month: 2\n", "start at from_month 1"),
        ("      productive_share: 0.8", "      productive_share: 0.5", "may not fall"),
        ("      productive_share: 1.0", "      productive_share: 1.5", "less than or equal to 1"),
        ("  step: 6\n", "  step: zes\n", "valid integer"),
    ],
)
def test_a_bad_salary_or_ramp_up_names_the_problem(tmp_path, old, new, message):
    config = copy_config(tmp_path)
    replace_in(config / "costs.yaml", old, new)
    with pytest.raises(ConfigError) as exc_info:
        load_cost_model(config / "costs.yaml")
    assert message in "\n".join(exc_info.value.problems)


def test_cofunding_lowers_the_contribution_of_organisations(tmp_path):
    config = copy_config(tmp_path)
    replace_in(
        config / "costs.yaml",
        "cofunding_per_cohort:\n  amount: 0",
        "cofunding_per_cohort:\n  amount: 54000",
    )
    cost = cohort_cost(load_cost_model(config / "costs.yaml"), 27)
    assert cost.contribution_per_participant == cost.per_participant - 2000


def test_scenario_table_runs_from_12_to_60_with_the_published_columns():
    frame = scenarios(MODEL)
    assert list(frame.columns) == SCENARIO_COLUMNS
    assert list(frame["participants"]) == list(range(12, 61))


def test_a_bad_cost_file_names_the_field(tmp_path):
    config = copy_config(tmp_path)
    replace_in(config / "costs.yaml", "    amount: 900\n", "    amount: negen honderd\n")
    with pytest.raises(ConfigError) as exc_info:
        load_cost_model(config / "costs.yaml")
    assert "field 'per_participant.1.amount'" in "\n".join(exc_info.value.problems)

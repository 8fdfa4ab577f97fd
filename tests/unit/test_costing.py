"""The cost model: calibration on the published average, economies of scale, traceability."""

from decimal import Decimal
from itertools import pairwise

import pytest

from rvg.business_case.costing import SCENARIO_COLUMNS, cohort_cost, load_cost_model, scenarios
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
    assert cost.interim_per_placement == interim
    assert cost.programme_per_placement == MODEL.salary.annual_employer_cost + cost.per_participant
    assert cost.saving_per_placement == interim - cost.programme_per_placement
    monthly = (interim - MODEL.salary.annual_employer_cost) / 12
    assert cost.payback_months == (cost.per_participant / monthly).quantize(Decimal("0.1"))


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

"""Every deployment loads, and prefect.yaml says the same as the definitions `rvg serve` uses."""

import pytest
import yaml

from deployments.definitions import PHASES, TIMEZONE, specs
from rvg.settings import PROJECT_ROOT

pytestmark = pytest.mark.prefect  # imports Prefect (no server needed)


def _yaml() -> dict:
    return yaml.safe_load(
        (PROJECT_ROOT / "deployments" / "prefect.yaml").read_text(encoding="utf-8")
    )


def test_every_deployment_loads_with_its_schedule_parameters_and_trigger():
    from deployments.serve import runner_deployments

    deployments = {(d.flow_name, d.name): d for d in runner_deployments()}
    assert set(deployments) == {
        ("business-case", "business-case"),
        ("commitments", "commitments"),
        ("tendering", "tendering"),
        ("recruitment", "recruitment"),
        ("matching", "matching"),
        ("training-year", "training-year"),
        ("evaluation", "evaluation"),
        ("redesign", "redesign"),
        ("dispatch-notifications", "every-5-minutes"),
        ("retention", "daily"),
        ("daily-tick", "daily"),
        ("drop-out", "drop-out"),
    }
    dispatcher = deployments["dispatch-notifications", "every-5-minutes"]
    (schedule,) = dispatcher.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("*/5 * * * *", TIMEZONE)
    (trigger,) = deployments["tendering", "tendering"].triggers
    assert trigger.expect == {"rvg.phase.business_case.completed"}
    assert trigger.parameters == {"cohort": "{{ event.payload.cohort }}"}
    expected_after = {
        "commitments": "business_case",
        "recruitment": "commitments",  # after the go; tendering runs alongside
        "matching": "recruitment",
        "training-year": "matching",
        "evaluation": "matching",
        "redesign": "evaluation",
    }
    for name, after in expected_after.items():
        (trigger,) = deployments[name, name].triggers
        assert trigger.expect == {f"rvg.phase.{after}.completed"}, name
    assert not deployments["business-case", "business-case"].triggers


def test_no_schedule_runs_between_two_and_three_at_night():
    for spec in specs():
        if spec.cron:
            hour = spec.cron.split()[1]
            assert hour != "2", spec


def test_prefect_yaml_matches_the_definitions():
    in_yaml = {(d["entrypoint"], d["name"]): d for d in _yaml()["deployments"]}
    assert set(in_yaml) == {(s.entrypoint, s.name) for s in specs()}
    for spec in specs():
        item = in_yaml[spec.entrypoint, spec.name]
        assert item["work_pool"]["name"] == "rvg-process"
        schedules = item.get("schedules", [])
        assert [(s["cron"], s["timezone"]) for s in schedules] == (
            [(spec.cron, TIMEZONE)] if spec.cron else []
        )
        expects = [t["expect"] for t in item.get("triggers", [])]
        assert expects == ([[spec.after.event_name]] if spec.after else [])
    assert [e for _, e in PHASES] == [
        d["entrypoint"] for d in _yaml()["deployments"][: len(PHASES)]
    ]

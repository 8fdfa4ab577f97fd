"""Every deployment loads, and prefect.yaml says the same as the definitions `rvg serve` uses."""

import pytest
import yaml

from deployments.definitions import PREFECT_YAML, TIMEZONE, prefect_yaml, specs
from rvg.phases import PHASES, Phase
from rvg.settings import PROJECT_ROOT

pytestmark = pytest.mark.prefect  # imports Prefect (no server needed)


def _yaml() -> dict:
    return yaml.safe_load(
        (PROJECT_ROOT / "deployments" / "prefect.yaml").read_text(encoding="utf-8")
    )


def test_every_deployment_loads_with_its_schedule_parameters_and_trigger():
    from deployments.serve import runner_deployments

    deployments = {(d.flow_name, d.name): d for d in runner_deployments()}
    # the phases numbered, so the UI lists them in the cycle's order; no two names alike
    assert set(deployments) == {
        ("business-case", "1-business-case"),
        ("commitments", "2-commitments"),
        ("tendering", "3-tendering"),
        ("recruitment", "4-recruitment"),
        ("matching", "5-matching"),
        ("training-year", "6-training-year"),
        ("evaluation", "7-evaluation"),
        ("redesign", "8-redesign"),
        ("dispatch-notifications", "every-5-minutes"),
        ("retention", "nightly-retention"),
        ("daily-tick", "daily-tick"),
        ("drop-out", "drop-out"),
    }
    assert len({name for _, name in deployments}) == len(deployments)
    assert deployments["matching", "5-matching"].tags == ["phase:5-matching"]
    assert deployments["drop-out", "drop-out"].tags == ["phase:6-training-year"]
    assert deployments["dispatch-notifications", "every-5-minutes"].tags == ["housekeeping"]
    dispatcher = deployments["dispatch-notifications", "every-5-minutes"]
    (schedule,) = dispatcher.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("*/5 * * * *", TIMEZONE)
    (trigger,) = deployments["tendering", "3-tendering"].triggers
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
        (trigger,) = deployments[name, Phase.parse(name).deployment].triggers
        assert trigger.expect == {f"rvg.phase.{after}.completed"}, name
    assert not deployments["business-case", "1-business-case"].triggers


def test_no_schedule_runs_between_two_and_three_at_night():
    for spec in specs():
        if spec.cron:
            hour = spec.cron.split()[1]
            assert hour != "2", spec


def test_prefect_yaml_is_what_the_definitions_generate():
    """`make deployments-yaml` writes the file; an edit by hand, or a definition changed
    without regenerating, fails here."""
    text = PREFECT_YAML.read_text(encoding="utf-8")
    version = _yaml()["prefect-version"]
    assert text == prefect_yaml(version)
    in_yaml = [(d["entrypoint"], d["name"]) for d in _yaml()["deployments"]]
    assert in_yaml[: len(PHASES)] == [(spec.flow, p.deployment) for p, spec in PHASES.items()]


def test_the_generated_yaml_follows_a_changed_definition():
    """The generator reads the registry: a phase needing another phase changes its trigger."""
    from dataclasses import replace

    import deployments.definitions as definitions

    changed = dict(PHASES) | {
        Phase.REDESIGN: replace(PHASES[Phase.REDESIGN], needs=(Phase.TRAINING_YEAR,))
    }
    original = definitions.REGISTRY
    try:
        definitions.REGISTRY = changed
        text = prefect_yaml("3")
    finally:
        definitions.REGISTRY = original
    redesign = text.split("  - name: 8-redesign")[1].split("  - name:")[0]
    assert "expect: [rvg.phase.training_year.completed]" in redesign

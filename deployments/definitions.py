"""Every deployment of the cohort cycle, in one place: `rvg serve` serves these, and
`deployments/prefect.yaml` (for `prefect deploy` on a process work pool) is generated from
them (`make deployments-yaml`; a test fails when the file differs). The phases, their flows
and what each needs come from the phase registry, ``rvg.phases.PHASES``.

Schedules are in the programme's time zone (``rvg.clock``) and avoid 02:00–03:00 (the hour
that is skipped or repeated when the clocks change). Phases chain on events: when a phase of
a cohort completes it emits ``rvg.phase.<phase>.completed`` with the cohort, which starts the
next phase's deployment for that cohort.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rvg.clock import DEFAULT_TIMEZONE_NAME
from rvg.phases import HOUSEKEEPING_TAG, Phase
from rvg.phases import PHASES as REGISTRY
from rvg.settings import PROJECT_ROOT

TIMEZONE = DEFAULT_TIMEZONE_NAME  # the programme's time zone, named in one place
WORK_POOL = "rvg-process"


@dataclass(frozen=True)
class DeploymentSpec:
    name: str
    entrypoint: str  # path:function, relative to the project root
    description: str
    cron: str | None = None
    parameters: dict[str, object] = field(default_factory=dict)
    after: Phase | None = None  # started by this phase's completed event (rvg.phases.PHASES)
    tags: tuple[str, ...] = ()  # on every run of the deployment


def specs() -> list[DeploymentSpec]:
    phase_specs = [
        DeploymentSpec(
            name=phase.deployment,
            entrypoint=spec.flow,
            description=f"Phase {phase.number}: {phase.cli_name} of a cohort (parameter cohort).",
            after=spec.needs[-1] if spec.needs else None,
            tags=(phase.tag,),
        )
        for phase, spec in REGISTRY.items()
    ]
    return [
        *phase_specs,
        DeploymentSpec(
            name="every-5-minutes",
            entrypoint="flows/dispatch.py:dispatch_notifications",
            description="Send the e-mails that are due from the outbox.",
            cron="*/5 * * * *",
            tags=(HOUSEKEEPING_TAG,),
        ),
        DeploymentSpec(
            name="nightly-retention",
            entrypoint="flows/retention.py:retention",
            description="Anonymise rejected applicants whose retention period ended.",
            cron="30 3 * * *",
        ),
        DeploymentSpec(
            name="daily-tick",
            entrypoint="flows/daily.py:daily_tick",
            description="Run the time-driven phase of every active cohort.",
            cron="0 7 * * *",
        ),
        DeploymentSpec(
            name="drop-out",
            entrypoint="flows/training_year.py:placement_drop_out",
            description="Record a drop-out: its parameters are the form.",
            tags=(Phase.TRAINING_YEAR.tag,),
        ),
    ]


PREFECT_YAML = PROJECT_ROOT / "deployments" / "prefect.yaml"
_HEADER = """\
# Generated from deployments/definitions.py by `make deployments-yaml`; do not edit by hand
# (a test fails when this file differs from what the definitions generate).
# `prefect deploy --all` from the project root (with this file as --prefect-file) registers
# the same deployments as `rvg serve`, on a process work pool run by workers on as many
# machines as needed.
name: ruimte-voor-groei
prefect-version: {version}

pull:
  - prefect.deployments.steps.set_working_directory:
      directory: "{{{{ $RVG_PROJECT_DIR }}}}"

definitions:
  work_pool: &work_pool
    name: {pool}
  cohort_event: &cohort_parameters
    cohort: "{{{{ event.payload.cohort }}}}"

deployments:
"""


def prefect_yaml(prefect_version: str) -> str:
    """deployments/prefect.yaml as the definitions say it, for ``prefect_version``."""
    lines = [_HEADER.format(version=prefect_version, pool=WORK_POOL).rstrip("\n")]
    for spec in specs():
        lines += [
            f"  - name: {spec.name}",
            f"    entrypoint: {spec.entrypoint}",
            f'    description: "{spec.description}"',
            "    work_pool: *work_pool",
        ]
        if spec.tags:
            lines.append(f"    tags: [{', '.join(spec.tags)}]")
        if spec.cron:
            lines += [
                "    schedules:",
                f'      - cron: "{spec.cron}"',
                f"        timezone: {TIMEZONE}",
            ]
        if spec.after:
            lines += [
                "    triggers:",
                "      - type: event",
                "        enabled: true",
                f"        expect: [{spec.after.event_name}]",
                "        parameters: *cohort_parameters",
            ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # make deployments-yaml
    from importlib.metadata import version

    PREFECT_YAML.write_text(prefect_yaml(version("prefect")), encoding="utf-8")
    print(f"wrote {PREFECT_YAML}")

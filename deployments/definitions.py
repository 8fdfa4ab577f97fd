"""Every deployment of the cohort cycle, in one place: `rvg serve` serves these, and
`deployments/prefect.yaml` (for `prefect deploy` on a process work pool) must say the same
(a test compares them).

Schedules are in Europe/Amsterdam and avoid 02:00–03:00 (the hour that is skipped or
repeated when the clocks change). Phases chain on events: when a phase of a cohort
completes it emits ``rvg.phase.<phase>.completed`` with the cohort, which starts the next
phase's deployment for that cohort.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rvg.cycle import NEEDS
from rvg.phases import Phase

TIMEZONE = "Europe/Amsterdam"
WORK_POOL = "rvg-process"


@dataclass(frozen=True)
class DeploymentSpec:
    name: str
    entrypoint: str  # path:function, relative to the project root
    description: str
    cron: str | None = None
    parameters: dict[str, object] = field(default_factory=dict)
    after: Phase | None = None  # started by this phase's completed event (rvg.cycle.NEEDS)


# The eight phases, in order.
PHASES: list[tuple[Phase, str]] = [
    (Phase.BUSINESS_CASE, "flows/business_case.py:business_case"),
    (Phase.COMMITMENTS, "flows/commitments.py:commitments"),
    (Phase.TENDERING, "flows/tendering.py:tendering"),
    (Phase.RECRUITMENT, "flows/recruitment.py:recruitment"),
    (Phase.MATCHING, "flows/matching.py:matching"),
    (Phase.TRAINING_YEAR, "flows/training_year.py:training_year"),
    (Phase.EVALUATION, "flows/evaluation.py:evaluation"),
    (Phase.REDESIGN, "flows/redesign.py:redesign"),
]


def specs() -> list[DeploymentSpec]:
    phase_specs = [
        DeploymentSpec(
            name=phase.value.replace("_", "-"),
            entrypoint=entrypoint,
            description=f"Phase {index}: {phase.cli_name} of a cohort (parameter cohort).",
            after=NEEDS[phase][-1] if NEEDS[phase] else None,
        )
        for index, (phase, entrypoint) in enumerate(PHASES, start=1)
    ]
    return [
        *phase_specs,
        DeploymentSpec(
            name="every-5-minutes",
            entrypoint="flows/dispatch.py:dispatch_notifications",
            description="Send the e-mails that are due from the outbox.",
            cron="*/5 * * * *",
        ),
        DeploymentSpec(
            name="daily",
            entrypoint="flows/retention.py:retention",
            description="Anonymise rejected applicants whose retention period ended.",
            cron="30 3 * * *",
        ),
        DeploymentSpec(
            name="daily",
            entrypoint="flows/daily.py:daily_tick",
            description="Run the time-driven phase of every active cohort.",
            cron="0 7 * * *",
        ),
        DeploymentSpec(
            name="drop-out",
            entrypoint="flows/training_year.py:placement_drop_out",
            description="Record a drop-out: its parameters are the form.",
        ),
    ]

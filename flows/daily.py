"""The daily tick: each cohort's phases that have work today run as their own deployment runs."""

from __future__ import annotations

from datetime import date, timedelta

from prefect import flow, get_run_logger
from prefect.deployments import run_deployment
from prefect.exceptions import ObjectNotFound

from rvg import clock
from rvg.phases import Phase
from tasks.cohorts import cohort_codes
from tasks.cycle import cycle_plan


@flow(name="daily-tick", flow_run_name="daily-{as_of}")
def daily_tick(as_of: date | None = None) -> list[str]:
    """Start today's run of every phase of every cohort that has something due today."""
    day = as_of or clock.today()
    yesterday = dict.fromkeys(Phase, day - timedelta(days=1))
    started = []
    for cohort in cohort_codes():
        for phase in cycle_plan(cohort).phases_due(day, yesterday):
            name = f"{phase.cli_name}/{phase.cli_name}"
            try:
                run_deployment(
                    name,
                    parameters={"cohort": cohort, "as_of": day.isoformat()},
                    timeout=0,
                    as_subflow=False,
                    idempotency_key=f"daily-{cohort}-{phase.value}-{day.isoformat()}",
                )
                started.append(f"{cohort}:{phase.cli_name}")
            except ObjectNotFound:
                get_run_logger().warning("No deployment %s: serve or deploy the flows first", name)
    get_run_logger().info("Daily tick %s started: %s", day, ", ".join(started) or "nothing")
    return started

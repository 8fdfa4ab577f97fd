"""The daily tick: each active cohort's time-driven phase runs as its own deployment run."""

from __future__ import annotations

from datetime import date

from prefect import flow, get_run_logger
from prefect.deployments import run_deployment
from prefect.exceptions import ObjectNotFound

from rvg import clock
from rvg.phases import Phase
from tasks.cohorts import active_cohorts

TIME_DRIVEN = {
    Phase.COMMITMENTS,
    Phase.TENDERING,
    Phase.RECRUITMENT,
    Phase.TRAINING_YEAR,
    Phase.EVALUATION,
}


@flow(name="daily-tick", flow_run_name="daily-{as_of}")
def daily_tick(as_of: date | None = None) -> list[str]:
    """Start today's run of the current phase of every cohort that is in a time-driven phase."""
    day = as_of or clock.today()
    started = []
    for cohort, phase in active_cohorts():
        if Phase(phase) not in TIME_DRIVEN:
            continue
        name = f"{phase.replace('_', '-')}/{phase.replace('_', '-')}"
        try:
            run_deployment(
                name,
                parameters={"cohort": cohort, "as_of": day.isoformat()},
                timeout=0,
                as_subflow=False,
                idempotency_key=f"daily-{cohort}-{phase}-{day.isoformat()}",
            )
            started.append(f"{cohort}:{phase}")
        except ObjectNotFound:
            get_run_logger().warning("No deployment %s: serve or deploy the flows first", name)
    get_run_logger().info("Daily tick %s started: %s", day, ", ".join(started) or "nothing")
    return started

"""The daily tick: each cohort's phases that have work run as their own deployment runs."""

from __future__ import annotations

from datetime import date

from prefect import flow, get_run_logger
from prefect.deployments import run_deployment
from prefect.exceptions import ObjectNotFound

from flows._overview import refresh_overview, refresh_programme
from rvg import clock
from rvg.cycle import tick_last_runs
from rvg.phases import Phase, cohort_tag
from tasks.cohorts import cohort_codes, last_ticks, ticked
from tasks.cycle import calendar_plan


@flow(name="daily-tick", flow_run_name="daily-{as_of}")
def daily_tick(as_of: date | None = None) -> list[str]:
    """Start the run of every phase of every live cohort that has a due day since the tick
    last started it: today's, and those of days on which no tick ran (caught up once)."""
    logger = get_run_logger()
    day = as_of or clock.today()
    cohorts = cohort_codes()
    plan = calendar_plan(cohorts) if cohorts else None
    if plan is None:
        logger.info("Daily tick %s: no live cohort whose cycle is not over", day)
        return []
    last_run = tick_last_runs(plan, last_ticks(cohorts))
    started: list[tuple[str, Phase]] = []
    for cohort, phase in plan.due(day, last_run):
        missed = plan.of(cohort).missed(phase, day, last_run.get(cohort, {}))
        if missed:
            logger.warning(
                "%s %s: catching up %d due day(s) on which no tick ran, from %s",
                cohort,
                phase.cli_name,
                len(missed),
                missed[0],
            )
        name = phase.deployment_path
        try:
            run_deployment(
                name,
                parameters={"cohort": cohort, "as_of": day.isoformat()},
                tags=[cohort_tag(cohort)],
                timeout=0,
                as_subflow=False,
                idempotency_key=f"daily-{cohort}-{phase.value}-{day.isoformat()}",
            )
        except ObjectNotFound:
            logger.warning("No deployment %s: serve or deploy the flows first", name)
            continue
        started.append((cohort, phase))
    ticked(started, day)
    for cohort in cohorts:
        refresh_overview(cohort, day)
    refresh_programme(day)
    names = [f"{cohort}:{phase.cli_name}" for cohort, phase in started]
    logger.info("Daily tick %s started: %s", day, ", ".join(names) or "nothing")
    return names

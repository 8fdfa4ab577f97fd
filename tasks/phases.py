"""Marking a phase done for a cohort and announcing it, once."""

from __future__ import annotations

from datetime import date

from prefect import get_run_logger, task
from prefect.events import emit_event

from rvg import clock
from rvg.errors import UserError
from rvg.notifications.safety import UnsafeDryRun, refuse_past_as_of
from rvg.phases import Phase
from rvg.repositories.cohorts import mark_phase_completed
from rvg.settings import load_settings
from rvg.unit import unit
from tasks.retrying import ON_DATABASE_TROUBLE


def refuse_unsafe_as_of(phase: Phase, as_of: date | None) -> None:
    """Fail the run, with one clear log line, when a past ``as_of`` would e-mail real people."""
    settings = load_settings()
    try:
        refuse_past_as_of(phase, as_of, clock.today(tz=settings.zone), settings.smtp_host)
    except UnsafeDryRun as exc:
        get_run_logger().error("Not running: %s", exc)
        raise UserError(f"not running: {exc}") from None


@task(name="complete-phase", **ON_DATABASE_TROUBLE)
def complete_phase(cohort: str, phase: Phase, as_of: date | None) -> bool:
    """Record the phase as completed and emit rvg.phase.<phase>.completed the first time."""
    with unit(cohort) as u:
        newly = mark_phase_completed(
            u.cohort, phase, session=u.session, at=clock.utcnow(as_of, u.settings.zone)
        )
    if newly:
        emit_event(
            phase.event_name,
            resource={"prefect.resource.id": f"rvg.cohort.{cohort}", "rvg.cohort": cohort},
            payload={"cohort": cohort, "phase": phase.value},
        )
        get_run_logger().info(
            "Phase %s of cohort %s completed; emitted %s", phase, cohort, phase.event_name
        )
    return newly

"""Tasks of phase 6: the year's schedule, reminders to participants, buddies and managers,
progress for the team, and drop-outs."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from prefect import get_run_logger, task
from prefect.artifacts import create_progress_artifact, create_table_artifact

from rvg import clock
from rvg.dutch import short_date
from rvg.placements.changes import record_drop_out as _record_drop_out
from rvg.repositories.placements import start_placements as _start_placements
from rvg.training.reminder_outbox import keep_reminders
from rvg.training.service import plan_and_store, stored_sessions, write_calendars, year_progress
from rvg.unit import unit
from tasks.recruitment import publish_funnel
from tasks.retrying import ON_DATABASE_TROUBLE

COMING_DAYS = 14


def start_placements(cohort: str, day: date) -> int:
    """Matched candidates whose placement has started by ``day`` become ``placed``."""
    with unit(cohort) as u:
        started = _start_placements(u.cohort, day, session=u.session)
    if started:
        get_run_logger().info("Cohort %s: %d placement(s) started by %s", cohort, started, day)
    return started


@dataclass(frozen=True)
class YearKept:
    sessions: int
    moved: int
    calendars: int
    enqueued: int
    reminders_moved: int
    cancelled: int
    progress: float = 0.0
    over: bool = False


@task(name="keep-training-year", **ON_DATABASE_TROUBLE)
def keep_training_year(cohort: str, day: date, horizon_days: int) -> YearKept:
    """A run's whole step, in one task run (a run every four weeks, each step small): start
    the placements due, keep the year (:func:`keep_year`) and publish its progress."""
    if start_placements(cohort, day):
        publish_funnel(cohort, day)  # the funnel reaches its end: placed
    # every run: a moved session, a start or a drop-out since the last run shows in the files
    kept = keep_year(cohort, day, horizon_days)
    progress, over = publish_training_progress(cohort, day)
    return replace(kept, progress=progress, over=over)


def keep_year(cohort: str, day: date, horizon_days: int) -> YearKept:
    """Plan the year from the cohort's training rules (a moved session keeps its UID,
    SEQUENCE + 1; one held before ``day`` stays as it was), write its calendars to
    ``out/<cohort>/agenda/`` (programme.ics, one per participant by reference, one for
    buddies and managers), and enqueue the reminders due in the coming days, moving or
    cancelling the ones that changed."""
    logger = get_run_logger()
    with unit(cohort) as u:
        stored = plan_and_store(
            u.cohort, u.config.training, session=u.session, zone=u.settings.zone, as_of=day
        )
        folder = u.settings.output_dir / cohort / "agenda"
        paths = write_calendars(
            u.cohort,
            stored_sessions(u.cohort, session=u.session),
            folder,
            session=u.session,
            organizer=u.config.programme.contact.organizer,
            stamp=clock.utcnow(day, u.settings.zone),
        )
        run = keep_reminders(
            u.cohort, day, horizon_days, u.config.reminders, u.settings.zone, session=u.session
        )
    if stored.created or stored.moved or stored.cancelled:
        logger.info(
            "Schedule %s: %d new, %d moved, %d cancelled, %d unchanged, %d held (kept as held)",
            cohort,
            stored.created,
            stored.moved,
            stored.cancelled,
            stored.unchanged,
            stored.held,
        )
    logger.info("Calendars of cohort %s: %d file(s) in %s", cohort, len(paths), folder)
    logger.info(
        "Reminders %s from %s: %d enqueued, %d moved, %d cancelled",
        cohort,
        day,
        run.enqueued,
        run.moved,
        run.cancelled,
    )
    if run.without_guide:
        logger.warning(
            "%d reminder(s) skipped: placements without a buddy or manager (rvg placement assign)",
            run.without_guide,
        )
    return YearKept(
        stored.created + stored.moved + stored.unchanged + stored.held,
        stored.moved,
        len(paths),
        run.enqueued,
        run.moved,
        run.cancelled,
    )


def publish_training_progress(cohort: str, day: date) -> tuple[float, bool]:
    """How far the year is, and the sessions of the coming two weeks."""
    with unit(cohort) as u:
        year = year_progress(u, day, coming_days=COMING_DAYS)
    progress = year.percent
    create_progress_artifact(
        progress,
        key=f"training-progress-{cohort}",
        description=f"Opleidingsjaar lichting {cohort}: {progress:.0f}%",
    )
    create_table_artifact(
        year.coming or [{"datum": "", "onderdeel": "geen sessies in de komende twee weken"}],
        key=f"training-coming-{cohort}",
        description=f"Programma van {short_date(day)} tot en met twee weken later",
    )
    return progress, year.over


@task(name="record-drop-out", **ON_DATABASE_TROUBLE)
def record_drop_out(
    cohort: str, participant: str, on: date, reason: str, ask_replacement: bool
) -> int:
    """Close the placement, cancel its reminders, tell the team, maybe ask for a replacement."""
    result = _record_drop_out(cohort, participant, on, reason, ask_replacement=ask_replacement)
    get_run_logger().info(
        "Participant %s of cohort %s dropped out on %s; %d reminders cancelled",
        participant,
        cohort,
        on,
        result.cancelled,
    )
    return result.cancelled

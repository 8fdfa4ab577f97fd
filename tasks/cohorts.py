"""Tasks about cohorts as a whole."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from prefect import task

from rvg.cycle import LastRuns
from rvg.phases import Phase
from rvg.repositories.cohorts import live_cohort, phase_ticks, record_ticks, unfinished_cohorts
from rvg.unit import unit
from tasks.retrying import ON_DATABASE_TROUBLE


@task(name="cohorts", **ON_DATABASE_TROUBLE)
def cohort_codes() -> list[str]:
    """The code of every live cohort whose cycle is not over, oldest first (a past cohort
    recorded as history and a cohort whose redesign was accepted have no phases to run)."""
    with unit() as u:
        return [c.code for c in unfinished_cohorts(session=u.session)]


@task(name="last-ticks", **ON_DATABASE_TROUBLE)
def last_ticks(cohorts: Sequence[str]) -> LastRuns:
    """The last day the daily tick started each phase of ``cohorts``."""
    with unit() as u:
        return phase_ticks([live_cohort(c, session=u.session) for c in cohorts], session=u.session)


@task(name="record-ticks", **ON_DATABASE_TROUBLE)
def ticked(started: Iterable[tuple[str, Phase]], day: date) -> None:
    """Remember that the tick of ``day`` started these phases, so the next one knows."""
    with unit() as u:
        pairs = [(live_cohort(c, session=u.session), phase) for c, phase in started]
        record_ticks(pairs, day, session=u.session)

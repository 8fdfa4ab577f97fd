"""Tasks about cohorts as a whole."""

from __future__ import annotations

from prefect import task

from rvg.repositories.cohorts import unfinished_cohorts
from rvg.unit import unit
from tasks.retrying import ON_DATABASE_TROUBLE


@task(name="cohorts", **ON_DATABASE_TROUBLE)
def cohort_codes() -> list[str]:
    """The code of every live cohort whose cycle is not over, oldest first (a past cohort
    recorded as history and a cohort whose redesign was accepted have no phases to run)."""
    with unit() as u:
        return [c.code for c in unfinished_cohorts(session=u.session)]

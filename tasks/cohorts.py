"""Tasks about cohorts as a whole."""

from __future__ import annotations

from prefect import task

from rvg.db import session_scope
from rvg.migrate import migrated_sessionmaker
from rvg.repositories.cohorts import list_cohorts


@task(name="cohorts")
def cohort_codes() -> list[str]:
    """The code of every cohort, oldest first."""
    with session_scope(migrated_sessionmaker()) as session:
        return [c.code for c in list_cohorts(session=session)]

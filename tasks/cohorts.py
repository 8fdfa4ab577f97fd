"""Tasks about cohorts as a whole."""

from __future__ import annotations

from prefect import task

from rvg.db import session_scope
from rvg.migrate import migrated_sessionmaker
from rvg.repositories.cohorts import list_cohorts


@task(name="active-cohorts")
def active_cohorts() -> list[tuple[str, str]]:
    """(cohort code, current phase) of every cohort."""
    with session_scope(migrated_sessionmaker()) as session:
        return [(c.code, c.current_phase) for c in list_cohorts(session=session)]

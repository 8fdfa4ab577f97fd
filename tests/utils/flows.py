"""Running flows in tests: a cohort in a fresh database, and answering a paused run's form."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from rvg.db import make_sessionmaker, session_scope
from rvg.models import Cohort, Decision
from rvg.phases import Phase
from rvg.programme import create_cohort
from rvg.repositories.cohorts import PHASE_COMPLETED, mark_phase_completed
from tests.utils.config_files import BEFORE_2027, REAL_CONFIG


def cohort_in(engine: Engine, code: str = "2027", path: Path | None = None) -> None:
    with session_scope(make_sessionmaker(engine)) as session:
        create_cohort(
            code,
            path or REAL_CONFIG / "cohorts" / f"{code}.yaml",
            REAL_CONFIG,
            session=session,
            as_of=BEFORE_2027,
        )


def complete_phases(session: Session, code: str, phases: Iterable[Phase], on: date) -> None:
    """Record the cohort's ``phases`` as completed at the start of ``on`` (Amsterdam time)."""
    cohort = session.scalar(select(Cohort).where(Cohort.code == code))
    at = datetime.combine(on, datetime.min.time(), tzinfo=ZoneInfo("Europe/Amsterdam"))
    for phase in phases:
        mark_phase_completed(cohort, phase, session=session, at=at)


def next_cohort_file(folder: Path) -> Path:
    """Cohort 2028's file: 2027's with its code and every key date 52 weeks later (the same
    weekdays, none a holiday), so its business case falls in 2027's matching."""
    text = (REAL_CONFIG / "cohorts" / "2027.yaml").read_text(encoding="utf-8")
    text = text.replace('code: "2027"', 'code: "2028"').replace("lichting 2027", "lichting 2028")
    text = re.sub(
        r"(?m)^(  \w+: )(\d{4}-\d{2}-\d{2})$",
        lambda m: m[1] + (date.fromisoformat(m[2]) + timedelta(weeks=52)).isoformat(),
        text,
    )
    path = folder / "2028.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def wait_for_paused_run(flow_name: str, timeout: float = 120) -> UUID:
    """The id of the first paused run of ``flow_name``, as the UI would show it."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowFilter,
        FlowFilterName,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    deadline = time.monotonic() + timeout
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            runs = client.read_flow_runs(
                flow_filter=FlowFilter(name=FlowFilterName(any_=[flow_name])),
                flow_run_filter=FlowRunFilter(
                    state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.PAUSED]))
                ),
            )
            if runs:
                return runs[0].id
            time.sleep(0.5)
    raise TimeoutError(f"no paused run of {flow_name} within {timeout} s")


def completed(session: Session) -> set[str]:
    """The phases the cohort has completed (``phase_completed`` decisions), by value."""
    return set(session.scalars(select(Decision.phase).where(Decision.kind == PHASE_COMPLETED)))

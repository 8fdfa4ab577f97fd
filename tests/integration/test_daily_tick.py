"""The daily tick on a real Prefect server, with the phase deployments registered (no worker
runs them): it starts each cohort's phases that have work, once per day, and a day on which
no tick ran is caught up by the next tick."""

from __future__ import annotations

import time
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from rvg.db import make_sessionmaker, session_scope
from rvg.models import Cohort
from rvg.phases import Phase
from rvg.repositories.cohorts import phase_ticks
from tests.utils.flows import cohort_in, complete_phases, next_cohort_file
from tests.utils.prefect_server import PrefectApi

pytestmark = [pytest.mark.prefect, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

ZONE = ZoneInfo("Europe/Amsterdam")
MATCHED = date(2027, 6, 24)  # 2027 placed; 2028's business case day


@pytest.fixture
def deployments(prefect_api_url):  # type: ignore[no-untyped-def]
    """The phase deployments under their real names, with nothing to run them; removed
    afterwards, as other tests on this server serve deployments under the same names."""
    from prefect import get_client

    with get_client(sync_client=True) as client:
        ids = [
            client.create_deployment(
                client.create_flow_from_name(p.cli_name), p.deployment, tags=[p.tag]
            )
            for p in Phase
        ]
    yield
    with get_client(sync_client=True) as client:
        for deployment in ids:
            client.delete_deployment(deployment)


def _logs(prefect_api_url: str, state, wanted: str) -> str:  # type: ignore[no-untyped-def]
    """The run's log as the Prefect UI shows it, once ``wanted`` has reached the server
    (logs arrive in batches, possibly after the run's final state)."""
    api = PrefectApi(prefect_api_url)
    deadline = time.monotonic() + 30
    logs = api.flow_run_logs(str(state.state_details.flow_run_id))
    while wanted not in logs and time.monotonic() < deadline:
        time.sleep(0.5)
        logs = api.flow_run_logs(str(state.state_details.flow_run_id))
    return logs


def _started_runs(cohort: str) -> list[tuple[str, str, list[str]]]:
    """(deployment, as_of, tags) of every run the ticks started for ``cohort``."""
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterIdempotencyKey

    with get_client(sync_client=True) as client:
        names = {d.id: d.name for d in client.read_deployments()}
        runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(
                idempotency_key=FlowRunFilterIdempotencyKey(
                    any_=[
                        f"daily-{cohort}-{p.value}-{d}"
                        for p in Phase
                        for d in ("2027-06-24", "2027-06-25", "2027-09-01", "2027-09-02")
                    ]
                )
            )
        )
    return sorted((names[r.deployment_id], r.parameters["as_of"], sorted(r.tags)) for r in runs)


def test_the_tick_starts_each_cohorts_work_and_catches_up_missed_days(
    engine, tmp_path, prefect_api_url, monkeypatch, deployments
):
    from flows.daily import daily_tick

    cohort_in(engine)
    cohort_in(engine, "2028", next_cohort_file(tmp_path))
    with session_scope(make_sessionmaker(engine)) as session:
        complete_phases(session, "2027", list(Phase)[:5], MATCHED)
    monkeypatch.setenv("RVG_DATABASE_URL", engine.url.render_as_string(hide_password=False))

    # 2028's business case is due that day; 2027's year has nothing until 30 August
    assert daily_tick(as_of=MATCHED) == ["2028:business-case"]
    assert daily_tick(as_of=date(2027, 6, 25)) == []  # started once, not again
    # no tick ran from 26 June to 31 August: the first of September catches up 30 August
    state = daily_tick(as_of=date(2027, 9, 1), return_state=True)
    assert state.result() == ["2027:training-year"]
    caught_up = "2027 training-year: catching up 1 due day(s) on which no tick ran, from 2027-08-30"
    assert caught_up in _logs(prefect_api_url, state, caught_up)
    assert daily_tick(as_of=date(2027, 9, 2)) == []

    # each run under its numbered deployment, tagged with its cohort and phase for the UI
    assert _started_runs("2027") == [
        ("6-training-year", "2027-09-01", ["cohort:2027", "phase:6-training-year"])
    ]
    assert _started_runs("2028") == [
        ("1-business-case", "2027-06-24", ["cohort:2028", "phase:1-business-case"])
    ]
    with session_scope(make_sessionmaker(engine)) as session:
        cohorts = list(session.scalars(select(Cohort).order_by(Cohort.code)))
        assert phase_ticks(cohorts, session=session) == {
            "2027": {Phase.TRAINING_YEAR: date(2027, 9, 1)},
            "2028": {Phase.BUSINESS_CASE: MATCHED},
        }

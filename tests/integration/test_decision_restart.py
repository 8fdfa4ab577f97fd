"""A decision that waits days outlives its serving process.

The business-case deployment is served by a separate process, as `rvg serve` does it. Its run
asks the steering group; while the form is open the serving process is stopped and a new one
started (a restart, an upgrade, a reboot). Answering the form then finishes the run in the
new process, and the decision lands in the database.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from rvg.models import BusinessCase, Decision
from rvg.settings import PROJECT_ROOT
from tests.utils.flows import cohort_in, completed
from tests.utils.prefect_server import BackgroundProcess, PrefectApi, prefect_environment

pytestmark = [pytest.mark.prefect, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

DEPLOYMENT = "business-case/1-business-case"
APPROVAL = {
    "approved": True,
    "min_participants": 20,
    "max_participants": 34,
    "comment": "Akkoord na de herstart.",
    "decided_by": "Stuurgroep RvG (voorzitter)",
}
# The serving process of `rvg serve`, limited to the one deployment this test needs.
SERVE_BUSINESS_CASE = (
    "from prefect import serve\n"
    "from deployments.definitions import specs\n"
    "from deployments.serve import runner_deployment\n"
    "serve(*[runner_deployment(s) for s in specs() if s.entrypoint.endswith(':business_case')])\n"
)


class Serving:
    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs, self.generation = env, logs, 0
        self.process: BackgroundProcess | None = None

    def start(self) -> BackgroundProcess:
        self.generation += 1
        self.process = BackgroundProcess.start(
            f"serve-{self.generation}",
            [sys.executable, "-c", SERVE_BUSINESS_CASE],
            self.env,
            PROJECT_ROOT,
            self.logs,
        )
        return self.process

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None


@pytest.fixture
def serving(engine: Engine, prefect_api_url: str, tmp_path: Path) -> Iterator[Serving]:
    cohort_in(engine)
    logs = tmp_path / "logs"
    logs.mkdir()
    env = prefect_environment(
        tmp_path / "prefect-home",
        prefect_api_url,
        PREFECT_RUNNER_POLL_FREQUENCY="1",
        RVG_PROJECT_DIR=str(PROJECT_ROOT),
        RVG_DATABASE_URL=engine.url.render_as_string(hide_password=False),
        RVG_OUTPUT_DIR=str(tmp_path / "out"),
    )
    serving = Serving(env, logs)
    try:
        yield serving
    finally:
        serving.stop()


def wait_for(api: PrefectApi, run_id: str, predicate, what: str, serving: Serving) -> dict:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        run = api.flow_run(run_id)
        if predicate(run):
            return run
        time.sleep(0.5)
    tail = serving.process.log_tail() if serving.process else ""
    raise AssertionError(
        f"flow run not {what} within 180 s: {run['state_type']} {run['state_name']}\n"
        f"--- flow run logs ---\n{api.flow_run_logs(run_id)[-3000:]}\n--- serve ---\n{tail}"
    )


def wait_until_childless(pid: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tasks = Path(f"/proc/{pid}/task").glob("*/children")
        if not any(path.read_text().split() for path in tasks):
            return
        time.sleep(0.2)
    raise AssertionError(f"the flow run's process under {pid} did not end within {timeout} s")


def deployment_id(api: PrefectApi, serving: Serving) -> str:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        response = api.client.get(f"deployments/name/{DEPLOYMENT}")
        if response.status_code == 200:
            return str(response.json()["id"])
        time.sleep(0.5)
    tail = serving.process.log_tail() if serving.process else ""
    raise AssertionError(f"{DEPLOYMENT} not served within 120 s\n{tail}")


@pytest.mark.timeout(600)
def test_a_pending_business_case_decision_survives_a_restart_of_the_serving_process(
    engine: Engine, prefect_api_url: str, serving: Serving
) -> None:
    from prefect.flow_runs import resume_flow_run

    api = PrefectApi(prefect_api_url)
    try:
        first = serving.start()
        created = api.post(
            f"deployments/{deployment_id(api, serving)}/create_flow_run",
            {"parameters": {"cohort": "2027", "as_of": "2026-06-25"}},
        )
        run_id = str(created.json()["id"])

        # The run leaves its process while the form is open: suspended, not a waiting process.
        waiting = wait_for(api, run_id, lambda r: r["state_type"] == "PAUSED", "paused", serving)
        assert waiting["state_name"] == "Suspended"
        assert first.process.poll() is None  # the serving process itself is still up
        # The run's own process ends once it has suspended (stopping the serving process
        # before that would cancel it, like any run still executing).
        wait_until_childless(first.process.pid)

        serving.stop()  # the restart: the old process is gone for good
        after = api.flow_run(run_id)
        assert (after["state_type"], after["state_name"]) == ("PAUSED", "Suspended"), (
            after["state"],
            first.log_path.read_text()[-3000:],
        )
        serving.start()

        resume_flow_run(run_id, run_input=APPROVAL)
        done = api.wait_for_flow_run(run_id, timeout=180)
        assert done["state_type"] == "COMPLETED", api.flow_run_logs(run_id)[-3000:]
        # Logs reach the server in batches, possibly after the final state.
        deadline = time.monotonic() + 30
        while "Decision received: BusinessCaseDecisionForm" not in api.flow_run_logs(run_id):
            assert time.monotonic() < deadline, api.flow_run_logs(run_id)[-3000:]
            time.sleep(0.5)
    finally:
        api.close()

    with Session(engine) as session:
        decision = session.scalar(select(Decision).where(Decision.kind == "business_case"))
        assert decision is not None
        assert (decision.outcome, decision.reason) == ("approved", "Akkoord na de herstart.")
        assert decision.decided_by == "Stuurgroep RvG (voorzitter)"
        # Running the flow again from the top did not draw up a second version.
        assert [case.version for case in session.scalars(select(BusinessCase))] == [1]
        assert "business_case" in completed(session)

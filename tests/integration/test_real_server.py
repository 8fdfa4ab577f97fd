"""The deployed setup end to end, as in production: `prefect server start` on PostgreSQL, the
`rvg-process` work pool with a worker, `prefect deploy --all`, and runs started with
`prefect deployment run`. Everything the test starts is stopped again, even on failure."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from rvg.settings import PROJECT_ROOT
from tests.utils.cli import run_rvg
from tests.utils.databases import PostgresServer, sqlite_url
from tests.utils.prefect_server import (
    BackgroundProcess,
    PrefectApi,
    PrefectDatabase,
    free_port,
    parse_flow_run_id,
    prefect_environment,
    run_prefect,
    start_server,
)
from tests.utils.smtp import SmtpTestServer

pytestmark = [pytest.mark.prefect, pytest.mark.postgres]

POOL = "rvg-process"
RUN_TIMEOUT = 240
DECISION = {
    "approved": True,
    "min_participants": 20,
    "max_participants": 34,
    "comment": "ok",
    "decided_by": "CI",
}


@dataclass
class Deployed:
    api: PrefectApi
    env: dict[str, str]
    database_url: str
    smtp: SmtpTestServer
    prefect_db: PrefectDatabase
    worker: BackgroundProcess
    server: BackgroundProcess

    def run(self, deployment: str, *params: str) -> str:
        args = ["deployment", "run", deployment]
        for param in params:
            args += ["--param", param]
        result = run_prefect(*args, env=self.env, cwd=PROJECT_ROOT, timeout=120)
        return parse_flow_run_id(result.stdout)

    def wait_completed(self, flow_run_id: str) -> None:
        run = self.api.wait_for_flow_run(flow_run_id, timeout=RUN_TIMEOUT)
        assert run["state_type"] == "COMPLETED", (
            f"flow run {run['name']} is {run['state_type']}: {run['state'] and run['state']}\n"
            f"--- flow run logs ---\n{self.api.flow_run_logs(flow_run_id)[-4000:]}\n"
            f"--- worker ---\n{self.worker.log_tail()}"
        )

    def rvg(self, *args: str) -> None:
        result = run_rvg(*args, database_url=self.database_url)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def deployed(postgres: PostgresServer, tmp_path: Path) -> Iterator[Deployed]:
    """A Prefect server on a fresh PostgreSQL database, all deployments, one worker."""
    logs = tmp_path / "logs"
    logs.mkdir()
    database_url = sqlite_url(tmp_path / "rvg.sqlite")
    migrated = run_rvg("db", "upgrade", database_url=database_url)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr

    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    prefect_db = PrefectDatabase(postgres)
    smtp = SmtpTestServer()
    started: list[BackgroundProcess] = []
    api = PrefectApi(api_url)
    prefect_db.create()
    try:
        smtp.start()
        env = prefect_environment(
            tmp_path / "prefect-home",
            api_url,
            PREFECT_API_DATABASE_CONNECTION_URL=prefect_db.asyncpg_url,
            PREFECT_WORKER_QUERY_SECONDS="1",
            RVG_PROJECT_DIR=str(PROJECT_ROOT),
            RVG_DATABASE_URL=database_url,
            RVG_SMTP_HOST="127.0.0.1",
            RVG_SMTP_PORT=str(smtp.port),
            RVG_OUTPUT_DIR=str(tmp_path / "out"),
        )
        server = start_server(env, PROJECT_ROOT, logs, port)
        started.append(server)
        run_prefect("work-pool", "create", POOL, "--type", "process", env=env, cwd=PROJECT_ROOT)
        run_prefect(
            "--no-prompt",
            "deploy",
            "--all",
            "--prefect-file",
            "deployments/prefect.yaml",
            env=env,
            cwd=PROJECT_ROOT,
        )
        worker = BackgroundProcess.start(
            "worker",
            [str(Path(sys.executable).with_name("prefect")), "worker", "start", "--pool", POOL],
            env,
            PROJECT_ROOT,
            logs,
        )
        started.append(worker)
        yield Deployed(api, env, database_url, smtp, prefect_db, worker, server)
    finally:
        api.close()
        for process in reversed(started):
            process.stop()
        smtp.stop()
        prefect_db.drop()


@pytest.mark.timeout(600)
def test_deployed_dispatcher_and_business_case_run_on_a_real_server(deployed: Deployed) -> None:
    deployed.rvg("notify", "test", "--to", "beheer@example.org")
    dispatch = deployed.run("dispatch-notifications/every-5-minutes")
    deployed.wait_completed(dispatch)
    recipients = [str(message["To"]) for message in deployed.smtp.handler.messages]
    assert any("beheer@example.org" in to for to in recipients), recipients
    assert deployed.api.artifacts("outbox-dispatch"), "no outbox-dispatch artifact"

    deployed.rvg(
        "cohort", "create", "2027", "--config", "config/cohorts/2027.yaml", "--as-of", "2026-06-01"
    )
    business_case = deployed.run(
        "business-case/1-business-case", 'cohort="2027"', f"decision={json.dumps(DECISION)}"
    )
    deployed.wait_completed(business_case)
    assert deployed.api.artifacts("business-case-2027"), "no business-case-2027 artifact"
    # The server kept its state in the PostgreSQL database made for it.
    assert deployed.prefect_db.count_rows("flow_run") >= 2

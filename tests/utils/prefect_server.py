"""A real Prefect server as separate processes: `prefect server start`, workers and the CLI.

Everything here talks to the server over HTTP or through subprocesses, never through the
Prefect settings of the test process (a `prefect_test_harness` may be active there).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx
import psycopg
from sqlalchemy.engine import make_url

from tests.utils.databases import PostgresServer
from tests.utils.smtp import free_port

PREFECT = str(Path(sys.executable).with_name("prefect"))
TERMINAL_STATES = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


@dataclass
class PrefectDatabase:
    """A fresh PostgreSQL database for the Prefect server, dropped at the end."""

    server: PostgresServer
    name: str = field(default_factory=lambda: f"rvg_prefect_{secrets.token_hex(4)}")

    def create(self) -> PrefectDatabase:
        with self.server._connect() as connection:
            connection.execute(f'CREATE DATABASE "{self.name}"')  # type: ignore[arg-type]
        return self

    def drop(self) -> None:
        with self.server._connect() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')  # type: ignore[arg-type]

    def count_rows(self, table: str) -> int:
        url = make_url(self.server.url)
        with psycopg.connect(
            host=url.host,
            port=url.port or 5432,
            user=url.username,
            password=url.password,
            dbname=self.name,
            connect_timeout=5,
        ) as connection:
            row = connection.execute(f"SELECT count(*) FROM {table}").fetchone()  # type: ignore[arg-type]
        return int(row[0]) if row else 0

    @property
    def asyncpg_url(self) -> str:
        url = make_url(self.server.url).set(drivername="postgresql+asyncpg", database=self.name)
        return url.render_as_string(hide_password=False)


def prefect_environment(home: Path, api_url: str, **extra: str) -> dict[str, str]:
    """os.environ without any PREFECT_* setting of the test process, plus our own."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    environment.update(
        PREFECT_HOME=str(home),
        PREFECT_API_URL=api_url,
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_UI_ENABLED="false",
        PREFECT_CLI_WRAP_LINES="false",
    )
    environment.update(extra)
    return environment


@dataclass
class BackgroundProcess:
    """A long-running process in a session of its own, its output in a log file."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    _log: IO[bytes]

    @classmethod
    def start(
        cls, name: str, args: list[str], env: Mapping[str, str], cwd: Path, log_dir: Path
    ) -> BackgroundProcess:
        log_path = log_dir / f"{name}.log"
        log = log_path.open("wb")
        process = subprocess.Popen(
            args,
            env=dict(env),
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        return cls(name, process, log_path, log)

    def log_tail(self, chars: int = 4000) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-chars:]

    def stop(self, grace_seconds: float = 10.0) -> None:
        """Terminate the process and its children (its own process group); kill if needed."""
        pgid = self.process.pid  # the leader of the session started above
        if self.process.poll() is None:
            _signal_group(pgid, signal.SIGTERM)
            try:
                self.process.wait(timeout=grace_seconds)
            except subprocess.TimeoutExpired:
                _signal_group(pgid, signal.SIGKILL)
                self.process.wait(timeout=grace_seconds)
        # Children (flow-run processes, uvicorn) may outlive the leader.
        _signal_group(pgid, signal.SIGKILL)
        self._log.close()


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def start_server(
    env: Mapping[str, str], cwd: Path, log_dir: Path, port: int, timeout: float = 120.0
) -> BackgroundProcess:
    server = BackgroundProcess.start(
        "prefect-server",
        [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port), "--no-ui"],
        env,
        cwd,
        log_dir,
    )
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{port}/api/health"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"Prefect server exited early:\n{server.log_tail()}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    server.stop()
    raise RuntimeError(f"Prefect server not healthy after {timeout} s:\n{server.log_tail()}")


def run_prefect(
    *args: str, env: Mapping[str, str], cwd: Path, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [PREFECT, *args],
        env=dict(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(
            f"prefect {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


class PrefectApi:
    """The few REST calls a test needs, with plain httpx."""

    def __init__(self, api_url: str) -> None:
        self.client = httpx.Client(base_url=api_url.rstrip("/") + "/", timeout=30)

    def close(self) -> None:
        self.client.close()

    def deployment_id(self, name: str) -> str:
        response = self.client.get(f"deployments/name/{name}")
        response.raise_for_status()
        return str(response.json()["id"])

    def post(self, path: str, body: dict[str, Any], timeout: float = 30) -> httpx.Response:
        """POST, tried again while the server answers 503 (its database busy, as Prefect's
        own client does), then checked."""
        deadline = time.monotonic() + timeout
        response = self.client.post(path, json=body)
        while response.status_code == 503 and time.monotonic() < deadline:
            time.sleep(0.5)
            response = self.client.post(path, json=body)
        response.raise_for_status()
        return response

    def flow_run(self, flow_run_id: str) -> dict[str, Any]:
        response = self.client.get(f"flow_runs/{flow_run_id}")
        response.raise_for_status()
        return dict(response.json())

    def wait_for_flow_run(self, flow_run_id: str, timeout: float = 300) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            run = self.flow_run(flow_run_id)
            if run["state_type"] in TERMINAL_STATES or time.monotonic() > deadline:
                return run
            time.sleep(1)

    def flow_run_logs(self, flow_run_id: str) -> str:
        body = {"logs": {"flow_run_id": {"any_": [flow_run_id]}}, "sort": "TIMESTAMP_ASC"}
        response = self.client.post("logs/filter", json=body)
        response.raise_for_status()
        return "\n".join(str(entry["message"]) for entry in response.json())

    def artifacts(self, key: str) -> list[dict[str, Any]]:
        body = {"artifacts": {"key": {"any_": [key]}}}
        response = self.client.post("artifacts/filter", json=body)
        response.raise_for_status()
        return list(response.json())


def parse_flow_run_id(output: str) -> str:
    found = re.search(r"UUID:\s*([0-9a-f-]{36})", output)
    if found:
        return found.group(1)
    raise AssertionError(f"no flow run UUID in output of `prefect deployment run`:\n{output}")


__all__ = [
    "BackgroundProcess",
    "PrefectApi",
    "PrefectDatabase",
    "free_port",
    "parse_flow_run_id",
    "prefect_environment",
    "run_prefect",
    "start_server",
]

"""The Prefect UI and API the team uses can be closed with basic auth, and `rvg` commands reach
it with the matching client setting; the public web forms need no Prefect at all."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest

from rvg.loopback import free_port
from tests.utils.cli import run_rvg

pytestmark = [pytest.mark.prefect, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]
AUTH = "projectteam:een-lang-geheim-wachtwoord"


@pytest.fixture
def protected_server(tmp_path):
    port = free_port("127.0.0.1")
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_API")} | {
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_SERVER_API_AUTH_STRING": AUTH,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "prefect",
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-services",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail("the protected Prefect server did not start")
        time.sleep(0.5)
    yield url
    process.terminate()
    process.wait(timeout=30)


def test_the_api_refuses_without_the_password_and_rvg_runs_with_it(protected_server, database_url):
    assert httpx.post(f"{protected_server}/flows/filter", json={}).status_code == 401
    wrong = httpx.post(f"{protected_server}/flows/filter", json={}, auth=("projectteam", "x"))
    assert wrong.status_code == 401
    assert run_rvg("db", "upgrade", database_url=database_url).returncode == 0

    with_password = run_rvg(
        "run",
        "retention",
        database_url=database_url,
        PREFECT_API_URL=protected_server,
        PREFECT_API_AUTH_STRING=AUTH,
    )
    without = run_rvg(
        "run", "retention", database_url=database_url, PREFECT_API_URL=protected_server
    )

    assert with_password.returncode == 0, with_password.stderr[-2000:]
    assert '"anonymised":0' in with_password.stdout
    assert without.returncode == 2, without.stderr[-2000:]
    assert without.stderr.strip().splitlines()[-1] == (
        "error: the Prefect API refused the request (401 Unauthorized): set "
        "PREFECT_API_AUTH_STRING to the server's user:password"
    )
    assert "Traceback" not in without.stderr

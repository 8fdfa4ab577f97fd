"""A command's temporary Prefect server never outlives it: not when the command is killed with
SIGKILL, and a server left by an earlier command whose owner is gone is ended at the next
start. Runs the real ``rvg dispatch`` without a configured Prefect API."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows._api import SERVER_MARK, _alive, end_orphans
from rvg.settings import PROJECT_ROOT
from tests.utils.cli import run_rvg

pytestmark = [pytest.mark.prefect, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]


def _environment(tmp_path: Path, database_url: str) -> dict[str, str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("PREFECT_API")
    }
    return environment | {
        "RVG_DATABASE_URL": database_url,
        "RVG_DATA_DIR": str(tmp_path / "data"),
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
    }


def _wait_for(condition, seconds: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds:.0f} s for {what}")
        time.sleep(0.1)


def _dead_pid() -> int:
    probe = subprocess.Popen(["true"])
    probe.wait()
    return probe.pid


def _servers_of(tmp_path: Path) -> list[int]:
    """The Prefect servers running with this test's PREFECT_HOME."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if SERVER_MARK.encode() not in (proc / "cmdline").read_bytes():
                continue
            if str(tmp_path).encode() in (proc / "environ").read_bytes() and _alive(int(proc.name)):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def test_a_killed_dispatch_takes_its_server_along_and_orphans_are_ended(database_url, tmp_path):
    assert run_rvg("db", "upgrade", database_url=database_url).returncode == 0
    folder = tmp_path / "data" / "prefect-servers"
    folder.mkdir(parents=True)
    # A server an earlier command left behind (its owner is gone): a stand-in process that
    # carries the server's mark in its command line.
    orphan = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", SERVER_MARK])
    (folder / f"{_dead_pid()}.json").write_text(json.dumps({"pid": orphan.pid, "port": 1}))

    command = subprocess.Popen(
        [sys.executable, "-m", "rvg", "dispatch"],
        cwd=PROJECT_ROOT,
        env=_environment(tmp_path, database_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        record = folder / f"{command.pid}.json"
        _wait_for(record.exists, 120, "the command's server to be recorded")
        _wait_for(lambda: orphan.poll() is not None, 15, "the orphan to be ended")
        server = json.loads(record.read_text())["pid"]
        assert _alive(server)

        command.send_signal(signal.SIGKILL)
        command.wait(timeout=10)
        _wait_for(lambda: not _alive(server), 15, "the server to die with its command")
        assert _servers_of(tmp_path) == []
    finally:
        for process in (command, orphan):
            if process.poll() is None:
                process.kill()
    # The record of the killed command stays until the next start ends what it names.
    assert record.exists()
    assert end_orphans(folder) == [] and list(folder.iterdir()) == []


def test_a_dispatch_that_ends_normally_leaves_no_server_and_no_record(database_url, tmp_path):
    assert run_rvg("db", "upgrade", database_url=database_url).returncode == 0
    environment = _environment(tmp_path, database_url)
    finished = subprocess.run(
        [sys.executable, "-m", "rvg", "dispatch"],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert finished.stdout.strip().splitlines()[-1] == "sent=0 retried=0 failed=0 pending=0"
    assert list((tmp_path / "data" / "prefect-servers").iterdir()) == []
    assert _servers_of(tmp_path) == []

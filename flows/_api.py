"""The Prefect API a command's flow runs on when no server is configured: a temporary server
of this process's own that never outlives it.

Prefect starts such a server by itself when ``PREFECT_API_URL`` is not set, but as a plain
child process: a command killed with SIGKILL (an operator, the OOM killer, a CI timeout)
leaves it running for good. The server started here

- dies with the process that started it, even on SIGKILL: on Linux the kernel sends it
  SIGTERM when its parent dies (``PR_SET_PDEATHSIG``);
- is recorded in ``RVG_DATA_DIR/prefect-servers/<owner pid>.json``; every start first ends the
  servers whose owner is gone (elsewhere than Linux, or when the signal was missed), and a
  normal end, an exception or Ctrl-C stops the server and removes its record.

A configured server (``PREFECT_API_URL``, a profile, the test harness) is used as it is.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import prefect
from prefect.server.api.server import SubprocessASGIServer
from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

from rvg.settings import load_settings

SERVER_MARK = "prefect.server.api.server:create_app"  # in the command line of every such server
STARTUP_SECONDS = 120  # 13-20 s on a 2-core machine, longer when it is busy
_PR_SET_PDEATHSIG = 1


def servers_folder() -> Path:
    return load_settings().data_dir / "prefect-servers"


def _die_with_parent() -> None:  # pragma: no cover (runs in the child, before exec)
    """In the child: ask the kernel for SIGTERM when the parent dies (Linux only)."""
    name = ctypes.util.find_library("c")
    if sys.platform.startswith("linux") and name:
        ctypes.CDLL(name, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class _TiedServer(SubprocessASGIServer):
    """Prefect's temporary server (the same command and settings), started so that it dies
    with this process and recorded in ``record`` as soon as it is spawned."""

    # its own instances, not shared with Prefect's own temporary server
    _instances: dict[int | None, Any] = {}  # noqa: RUF012 (Prefect declares it so)
    record: Path | None = None

    def _run_uvicorn_command(self) -> subprocess.Popen[Any]:
        process = subprocess.Popen(  # noqa: S603 (our interpreter, fixed arguments)
            args=[
                sys.executable,
                "-m",
                "uvicorn",
                "--app-dir",
                str(prefect.__module_path__.parent),
                "--factory",
                SERVER_MARK,
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "error",
                "--lifespan",
                "on",
            ],
            env={
                **os.environ,
                "PREFECT_UI_ENABLED": "0",
                "PREFECT__SERVER_EPHEMERAL": "1",
                "PREFECT__SERVER_FINAL": "1",
                **get_current_settings().to_environment_variables(exclude_unset=True),
            },
            preexec_fn=_die_with_parent,  # only prctl runs in the child before exec
        )
        if self.record is not None:
            self.record.write_text(json.dumps({"pid": process.pid, "port": self.port}))
        return process


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    status = Path(f"/proc/{pid}/stat")
    with contextlib.suppress(OSError):  # a zombie has exited; only its parent has not reaped it
        return status.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


def _is_server(pid: int) -> bool:
    """Whether ``pid`` is a Prefect server: its command line says so where /proc tells;
    elsewhere the record, written by us, is trusted."""
    if not Path("/proc").is_dir():
        return True
    try:
        return SERVER_MARK.encode() in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def end_orphans(folder: Path) -> list[int]:
    """End the servers recorded in ``folder`` whose owner process is gone; their pids."""
    ended = []
    for record in sorted(folder.glob("*.json")):
        try:
            owner = int(record.stem)
            server = int(json.loads(record.read_text())["pid"])
        except (ValueError, KeyError, OSError, TypeError):
            record.unlink(missing_ok=True)  # not a record of ours to act on
            continue
        if _alive(owner):
            continue  # another command is still using its server
        if _alive(server) and _is_server(server):
            os.kill(server, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while _alive(server) and time.monotonic() < deadline:
                time.sleep(0.1)
            if _alive(server):
                os.kill(server, signal.SIGKILL)
            ended.append(server)
        record.unlink(missing_ok=True)
    return ended


@contextlib.contextmanager
def local_api() -> Iterator[None]:
    """The configured Prefect API, or a temporary server of this process for the block."""
    if get_current_settings().api.url:
        yield
        return
    folder = servers_folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    end_orphans(folder)
    server = _TiedServer()
    record = server.record = folder / f"{os.getpid()}.json"
    try:
        server.start(timeout=STARTUP_SECONDS)
        with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
            yield
    finally:
        server.stop()
        record.unlink(missing_ok=True)

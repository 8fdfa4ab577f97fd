"""Dispatchers as real processes (`rvg dispatch` against a real Prefect server): a crash in
the middle of a batch, and two dispatchers at once on PostgreSQL."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from rvg.models import Notification
from rvg.settings import PROJECT_ROOT
from tests.utils.outbox import expected_message_ids, fill_outbox
from tests.utils.smtp import ScriptedHandler, SmtpTestServer

pytestmark = pytest.mark.prefect

T0 = datetime(2027, 9, 1, 8, 0, tzinfo=UTC)
LEASE = 300
CONCURRENCY = 4


def _start_dispatcher(
    engine: Engine, api_url: str, port: int, as_of: datetime
) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PREFECT_API_URL": api_url,
        "RVG_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "RVG_SMTP_PORT": str(port),
        "RVG_DISPATCH_LEASE_SECONDS": str(LEASE),
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rvg",
            "dispatch",
            "--as-of",
            as_of.isoformat(),
            "--concurrency",
            str(CONCURRENCY),
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _summary(process: subprocess.Popen[str]) -> dict[str, int]:
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr[-3000:]
    last = stdout.strip().splitlines()[-1]
    return {name: int(value) for name, value in (part.split("=") for part in last.split())}


def test_sigkill_mid_batch_then_a_later_run_delivers_the_rest(engine, prefect_api_url):
    keys = fill_outbox(engine, 1000, due_at=T0 - timedelta(hours=1))
    handler = ScriptedHandler(delay=0.002)
    with SmtpTestServer(handler) as server:
        process = _start_dispatcher(engine, prefect_api_url, server.port, T0)
        deadline = time.monotonic() + 180
        while len(handler.messages) < 250:
            assert process.poll() is None, process.communicate()[1][-3000:]
            assert time.monotonic() < deadline, "dispatcher sent too little in time"
            time.sleep(0.002)
        process.send_signal(signal.SIGKILL)
        process.wait()
        delivered_before_crash = len(handler.messages)
        assert delivered_before_crash < 1000  # the kill really fell in the middle of the batch

        with Session(engine) as session:
            in_flight = session.scalars(
                select(Notification).where(Notification.status == "sending")
            ).all()
        assert in_flight, "the crash left claimed rows behind"

        after_lease = _start_dispatcher(
            engine, prefect_api_url, server.port, T0 + timedelta(seconds=LEASE + 1)
        )
        summary = _summary(after_lease)

    received = Counter(handler.message_ids)
    duplicates = sum(received.values()) - len(received)
    assert set(received) == expected_message_ids(keys)  # every message arrived
    assert duplicates <= CONCURRENCY  # at most the in-flight window was sent twice
    assert summary["pending"] == 0 and summary["sent"] == 1000 - delivered_before_crash + duplicates


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_two_dispatchers_at_once_never_send_a_message_twice(engine, prefect_api_url):
    keys = fill_outbox(engine, 2000, due_at=T0 - timedelta(hours=1))
    handler = ScriptedHandler(delay=0.02)
    with SmtpTestServer(handler) as server:
        first = _start_dispatcher(engine, prefect_api_url, server.port, T0)
        second = _start_dispatcher(engine, prefect_api_url, server.port, T0)
        summaries = [_summary(first), _summary(second)]

    received = Counter(handler.message_ids)
    assert sum(received.values()) == 2000 and set(received) == expected_message_ids(keys)
    assert max(received.values()) == 1  # zero duplicates
    assert sum(s["sent"] for s in summaries) == 2000
    with Session(engine) as session:
        workers = set(session.scalars(select(Notification.claimed_by)))
    assert len(workers) == 2, "both dispatchers should have claimed a share"

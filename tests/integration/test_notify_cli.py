"""The admin's path: start the sink, enqueue test e-mails, dispatch, open the .eml files."""

import email
import os
import signal
import subprocess
import sys
import time

import pytest

from rvg.settings import PROJECT_ROOT
from tests.utils.cli import run_rvg
from tests.utils.smtp import free_port


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_notify_test_refuses_a_bad_address(database_url):
    run_rvg("db", "upgrade", database_url=database_url)
    result = run_rvg("notify", "test", "--to", "beheer.example.org", database_url=database_url)
    assert result.returncode == 2
    assert "field 'to': not a valid e-mail address" in result.stderr


@pytest.mark.prefect
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_sink_receives_what_notify_test_enqueues_and_dispatch_sends(
    database_url, prefect_api_url, tmp_path
):
    port = free_port()
    maildir = tmp_path / "mail"
    sink = subprocess.Popen(
        [sys.executable, "-m", "rvg", "smtp-sink", "--port", str(port), "--maildir", str(maildir)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    try:
        env = {"RVG_SMTP_PORT": str(port), "PREFECT_API_URL": prefect_api_url}
        assert run_rvg("db", "upgrade", database_url=database_url).returncode == 0
        enqueued = run_rvg(
            "notify",
            "test",
            "--to",
            "beheer@example.org",
            "--count",
            "3",
            database_url=database_url,
            **env,
        )
        assert enqueued.returncode == 0, enqueued.stderr
        assert enqueued.stdout.strip().splitlines()[-1].startswith("enqueued=3 ")
        time.sleep(0.5)  # let the sink bind
        dispatched = run_rvg("dispatch", database_url=database_url, **env)
        assert dispatched.returncode == 0, dispatched.stderr[-2000:]
        assert dispatched.stdout.strip().splitlines()[-1] == "sent=3 retried=0 failed=0 pending=0"
    finally:
        sink.send_signal(signal.SIGINT)
        out, _ = sink.communicate(timeout=30)
    files = sorted(maildir.glob("*.eml"))
    assert len(files) == 3
    subjects = sorted(email.message_from_bytes(f.read_bytes())["Subject"] for f in files)
    assert subjects == [f"Testbericht {n} van 3 van Ruimte voor Groei" for n in (1, 2, 3)]
    assert out.strip().splitlines()[-1] == "received=3"


@pytest.mark.prefect
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_dispatch_exits_4_when_e_mails_failed_for_good(database_url, prefect_api_url):
    from tests.utils.smtp import ScriptedHandler, SmtpTestServer

    handler = ScriptedHandler(data_replies=["550 5.1.1 No such user"])
    with SmtpTestServer(handler) as server:
        env = {"RVG_SMTP_PORT": str(server.port), "PREFECT_API_URL": prefect_api_url}
        assert run_rvg("db", "upgrade", database_url=database_url).returncode == 0
        args = ("notify", "test", "--to", "beheer@example.org", "--count", "2")
        assert run_rvg(*args, database_url=database_url, **env).returncode == 0
        dispatched = run_rvg("dispatch", database_url=database_url, **env)
    assert dispatched.returncode == 4, dispatched.stderr[-2000:]
    assert dispatched.stdout.strip().splitlines()[-1] == "sent=0 retried=0 failed=2 pending=0"

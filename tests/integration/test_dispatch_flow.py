"""The dispatcher flow on a real Prefect server: it returns its summary and publishes artifacts."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.utils.outbox import fill_outbox
from tests.utils.smtp import ScriptedHandler, SmtpTestServer

pytestmark = pytest.mark.prefect

T0 = datetime(2027, 9, 1, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_flow_reports_sent_and_permanent_failures_as_artifacts(
    engine, prefect_api_url, monkeypatch
):
    from prefect.artifacts import Artifact

    from flows.dispatch import dispatch_notifications

    fill_outbox(engine, 4, due_at=T0 - timedelta(minutes=5))
    handler = ScriptedHandler(
        refused={"r2@example.org"}, refuse_reply="550 5.1.1 <r2@example.org>: Recipient unknown"
    )
    with SmtpTestServer(handler) as server:
        monkeypatch.setenv("RVG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
        monkeypatch.setenv("RVG_SMTP_PORT", str(server.port))
        summary = dispatch_notifications(as_of=T0, concurrency=2)

    assert summary.line() == "sent=3 retried=0 failed=1 pending=0"
    table = Artifact.get("outbox-dispatch")
    rows = json.loads(table.data)
    assert {"template": "test", "sent": 3, "retried": 0, "failed": 1} in rows
    failures = Artifact.get("outbox-failures")
    assert "m:000002" in failures.data and "550" in failures.data
    assert "r2@example.org" not in failures.data  # no personal data in artifacts

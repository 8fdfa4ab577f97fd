"""The outbox dispatcher flow, scheduled every few minutes."""

from __future__ import annotations

from datetime import datetime

from prefect import flow
from prefect.runtime import flow_run

from rvg.notifications.dispatcher import DispatchSummary
from tasks.notifications import publish_dispatch_report, send_due_notifications


def _run_name() -> str:
    as_of = flow_run.parameters.get("as_of")
    return f"dispatch-{as_of:%Y%m%d-%H%M}" if isinstance(as_of, datetime) else "dispatch-now"


@flow(name="dispatch-notifications", flow_run_name=_run_name, log_prints=False)
def dispatch_notifications(
    as_of: datetime | None = None, limit: int | None = None, concurrency: int | None = None
) -> DispatchSummary:
    """Send the e-mails that are due from the outbox and report sent, retried and failed."""
    report = send_due_notifications(as_of, limit, concurrency)
    publish_dispatch_report(report)
    return report.summary()

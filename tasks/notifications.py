"""Tasks around the outbox: send what is due, and show the team what happened."""

from __future__ import annotations

import asyncio
from datetime import datetime

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from rvg.migrate import migrated_sessionmaker
from rvg.notifications.dispatcher import DispatchReport, dispatch
from rvg.settings import load_settings


# No task retries: a failed run leaves its claims to expire, and the next scheduled run
# (every few minutes) picks them up again.
@task(name="send-due-notifications")
def send_due_notifications(
    as_of: datetime | None, limit: int | None, concurrency: int | None
) -> DispatchReport:
    """Claim the e-mails due, send them over SMTP and record each outcome."""
    return deliver_due(as_of, limit, concurrency)


def deliver_due(
    as_of: datetime | None, limit: int | None = None, concurrency: int | None = None
) -> DispatchReport:
    """The dispatch itself, logged to the current run: the task above, and the dry-run
    cycle's delivery at each due moment (a task run per moment would cost more than the
    sending)."""
    settings = load_settings()
    report = asyncio.run(
        dispatch(
            migrated_sessionmaker(settings),
            settings,
            as_of=as_of,
            limit=limit,
            concurrency=concurrency,
        )
    )
    get_run_logger().info("Outbox dispatch: %s", report.summary().line())
    return report


@task(name="publish-dispatch-report")
def publish_dispatch_report(report: DispatchReport) -> None:
    """Publish sent/retried/failed per template, and every permanent failure with its reason."""
    rows = [
        {
            "template": template,
            "sent": counts.get("sent", 0),
            "retried": counts.get("retry", 0),
            "failed": counts.get("failed", 0),
        }
        for template, counts in sorted(report.by_template.items())
    ]
    rows.append(
        {
            "template": "totaal",
            "sent": report.sent,
            "retried": report.retried,
            "failed": report.failed,
        }
    )
    create_table_artifact(
        rows,
        key="outbox-dispatch",
        description=f"Verzonden e-mail deze run; nog in de wachtrij: {report.pending}",
    )
    if report.failures:
        lines = ["| sleutel | sjabloon | code | reden |", "|---|---|---|---|"]
        lines += [
            f"| `{f.key}` | {f.template} | {f.code or ''} | {f.reason.replace('|', '/')} |"
            for f in report.failures
        ]
        create_markdown_artifact(
            "## Definitief mislukte e-mails\n\n" + "\n".join(lines),
            key="outbox-failures",
            description="E-mails die niet meer opnieuw worden geprobeerd",
        )
        get_run_logger().warning("%d e-mail(s) failed permanently", len(report.failures))

"""What ``rvg demo`` does: the cohort cycle so far, on fictitious data, with a local SMTP sink.

The demo always sends to a local sink and serves the web forms on loopback; it never uses a
configured mail server. It uses RVG_DATABASE_URL when set, else a fresh SQLite file.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer

from rvg import clock
from rvg.cli import demo_evaluation, demo_selection, demo_steps, demo_training
from rvg.cli._prefect import load_flow
from rvg.db import cached_engine, make_sessionmaker, session_scope
from rvg.migrate import migrated_sessionmaker, safe_url, upgrade
from rvg.notifications import enqueue
from rvg.notifications.sink import start_sink
from rvg.ports import free_port
from rvg.settings import Settings, load_settings
from rvg.web.app import create_app
from rvg.web.server import BackgroundServer

DEMO_FOLDER = Path("var") / "demo"


def _fresh_sqlite_url() -> str:
    path = (DEMO_FOLDER / "rvg-demo.sqlite").resolve()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def _environment(web_port: int) -> None:
    """The flows read their settings from the environment, so the demo's choices go there."""
    os.environ.setdefault("RVG_DATABASE_URL", _fresh_sqlite_url())
    os.environ["RVG_SMTP_HOST"] = "127.0.0.1"
    os.environ["RVG_SMTP_PORT"] = str(free_port(preferred=8025))
    os.environ["RVG_SMTP_TLS"] = "none"
    os.environ["RVG_WEB_BASE_URL"] = f"http://127.0.0.1:{web_port}"
    for secret in ("RVG_SMTP_USERNAME", "RVG_SMTP_PASSWORD"):
        os.environ.pop(secret, None)


def run_demo(cohort: str, seed: int) -> None:
    """Run the phases built so far for a cohort on fictitious data and print what happened."""
    web_port = free_port()
    _environment(web_port)
    settings = load_settings()
    DEMO_FOLDER.mkdir(parents=True, exist_ok=True)
    engine = cached_engine(settings.database_url)
    upgrade(engine)
    typer.echo(f"Database: {safe_url(settings.database_url)} (migrated)")
    organisations = demo_steps.load_cohort(cohort, settings)
    demo_steps.load_contacts(settings, seed, DEMO_FOLDER)

    maildir = (DEMO_FOLDER / "mail").resolve()
    for old in maildir.glob("*.eml"):
        old.unlink()
    sink, received = start_sink(settings.smtp_host, settings.smtp_port, maildir)
    web_clock = demo_steps.DemoClock(clock.now(tz=settings.zone))
    app = create_app(settings, migrated_sessionmaker(settings), now=web_clock)
    try:
        with BackgroundServer(app, port=web_port):
            demo_steps.business_case(cohort, settings)
            demo_steps.tender_plan(cohort, settings)
            demo_steps.commitments(cohort, settings, seed, maildir, web_clock)
            demo_selection.recruitment_and_matching(cohort, settings, seed, DEMO_FOLDER)
            demo_training.training_year(cohort, settings, seed, DEMO_FOLDER)
            demo_evaluation.evaluation(cohort, settings, seed, maildir, web_clock)
            demo_evaluation.redesign(cohort, settings)
            sent = _test_mail(settings)
    finally:
        sink.stop()
    typer.echo(f"\nE-mails received by the local SMTP sink: {received.received} in {maildir}")
    typer.echo(
        f"organisations={organisations} cohort={cohort} test_mail_sent={sent}"
        f" emails_received={received.received}"
    )


def _test_mail(settings: Settings) -> int:
    """The admin's check of the mail settings: one test e-mail through the outbox."""
    with session_scope(make_sessionmaker(cached_engine(settings.database_url))) as session:
        moment = clock.now(tz=settings.zone)
        enqueue(
            session,
            key=f"demo-test:{moment:%Y%m%dT%H%M%S%f}",
            to="projectteam@example.org",
            template="test",
            context={"number": 1, "total": 1, "requested_at": f"{moment:%d-%m-%Y %H:%M}"},
            due_at=moment,
        )
    summary = load_flow("dispatch", "dispatch_notifications")()
    typer.echo(f"\nDispatcher run now, with a test e-mail to the team: {summary.line()}")
    return summary.sent

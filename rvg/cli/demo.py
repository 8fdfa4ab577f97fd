"""``rvg demo``: set up a database and show what the software does with the Brabant data.

The demo always sends to a local SMTP sink, never to a configured mail server.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine

from rvg import clock
from rvg.business_case.decision import BusinessCaseDecision
from rvg.cli._prefect import load_flow
from rvg.cli.tender import echo_tender_summary
from rvg.db import cached_engine, make_engine, make_sessionmaker, session_scope
from rvg.migrate import safe_url, upgrade
from rvg.notifications import enqueue
from rvg.notifications.sink import start_sink
from rvg.programme import create_cohort
from rvg.reports.rendering import euro
from rvg.repositories.cohorts import get_cohort
from rvg.repositories.organisations import count_by_region_and_kind
from rvg.settings import Settings, load_settings

DEMO_FOLDER = Path("var") / "demo"


def _fresh_sqlite_url() -> str:
    path = (DEMO_FOLDER / "rvg-demo.sqlite").resolve()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def _free_port(preferred: int) -> int:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", preferred))
        except OSError:
            probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def demo(
    cohort: Annotated[
        str, typer.Option("--cohort", help="Cohort code; its file is config/cohorts/CODE.yaml.")
    ] = "2027",
) -> None:
    """Migrate a database, load the region and a cohort, send a test e-mail to a local sink."""
    # The flows read their settings from the environment, so the demo's choices go there.
    os.environ.setdefault("RVG_DATABASE_URL", _fresh_sqlite_url())
    os.environ["RVG_SMTP_HOST"] = "127.0.0.1"
    os.environ["RVG_SMTP_PORT"] = str(_free_port(8025))
    os.environ["RVG_SMTP_TLS"] = "none"
    for secret in ("RVG_SMTP_USERNAME", "RVG_SMTP_PASSWORD"):
        os.environ.pop(secret, None)
    settings = load_settings()

    engine = make_engine(settings.database_url)
    upgrade(engine)
    typer.echo(f"Database: {safe_url(settings.database_url)} (migrated)")
    organisations = _load_cohort(engine, cohort, settings.config_dir)

    business_case_and_tenders(cohort, settings)

    maildir = (DEMO_FOLDER / "mail").resolve()
    for old in maildir.glob("*.eml"):
        old.unlink()
    controller, handler = start_sink(settings.smtp_host, settings.smtp_port, maildir)
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            moment = clock.now(tz=settings.zone)
            enqueue(
                session,
                key=f"demo-test:{moment:%Y%m%dT%H%M%S%f}",
                to="projectteam@example.org",
                template="test",
                context={"number": 1, "total": 1, "requested_at": f"{moment:%d-%m-%Y %H:%M}"},
                due_at=moment,
            )
        typer.echo(
            "\nSending a test e-mail through the outbox to the local SMTP sink"
            f" on port {settings.smtp_port}"
        )
        summary = load_flow("dispatch", "dispatch_notifications")()
    finally:
        controller.stop()
    newest = max(maildir.glob("*.eml"), key=lambda p: p.stat().st_mtime, default=None)
    typer.echo(f"  dispatcher: {summary.line()}")
    typer.echo(f"  message file: {newest or 'none received'}")
    engine.dispose()
    typer.echo(
        f"\norganisations={organisations} cohort={cohort} emails_sent={summary.sent}"
        f" emails_received={handler.received}"
    )


def _load_cohort(engine: Engine, code: str, config_dir: Path) -> int:
    """Load the region and the cohort, print them, and return how many organisations there are."""
    with session_scope(make_sessionmaker(engine)) as session:
        loaded, outcome = create_cohort(
            code, config_dir / "cohorts" / f"{code}.yaml", config_dir, session=session
        )
        counts = count_by_region_and_kind(session=session)
        typer.echo(f"\nOrganisations in {loaded.region} (municipalities / other):")
        for region in sorted({region for region, _ in counts}):
            municipalities = counts.get((region, "municipality"), 0)
            other = sum(
                n for (r, kind), n in counts.items() if r == region and kind != "municipality"
            )
            typer.echo(f"  {region:<20} {municipalities:>3} / {other}")
        typer.echo(f"\nCohort {loaded.code}: {loaded.name} ({outcome})")
        typer.echo(f"  tracks: {', '.join(t.track_code for t in loaded.tracks)}")
        typer.echo(
            f"  target: {loaded.target_participants_min}-{loaded.target_participants_max}"
            f" participants, at least {loaded.min_organisations} organisations"
        )
        for milestone in sorted(loaded.milestones, key=lambda m: m.on):
            typer.echo(f"  {milestone.on.isoformat()}  {milestone.name}")
    return sum(counts.values())


def business_case_and_tenders(cohort: str, settings: Settings) -> None:
    """Phase 1 with the steering group's approval given up front, and the tender plan (phase 3)."""
    with session_scope(make_sessionmaker(cached_engine(settings.database_url))) as session:
        loaded = get_cohort(cohort, session=session)
        decided_on = loaded.milestone("business_case_decision")
        low, high = loaded.target_participants_min, loaded.target_participants_max
        signup_opens = loaded.milestone("signup_opens")
    approval = BusinessCaseDecision(
        approved=True,
        min_participants=low,
        max_participants=high,
        comment="Demo: akkoord van de stuurgroep.",
        decided_by="Stuurgroep (demo)",
    )
    typer.echo("\nBusiness case (phase 1)")
    summary = load_flow("business_case", "business_case")(
        cohort=cohort, as_of=decided_on, decision=approval
    )
    typer.echo(
        f"  {summary.planned_participants} participants, total {euro(summary.total_cost)},"
        f" {euro(summary.cost_per_participant)} per participant; status {summary.status}"
    )
    typer.echo(f"  European procedure required for: {', '.join(summary.european_lots) or 'none'}")
    typer.echo(f"  report: {Path(summary.report).resolve()}")
    typer.echo(f"\nTender plan (phase 3) as of {signup_opens}")
    tenders = load_flow("tendering", "tendering")(cohort=cohort, as_of=signup_opens)
    echo_tender_summary(tenders, indent="  ")

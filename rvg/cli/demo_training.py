"""Demo step of phase 6: buddies and managers, the year's calendar, the first weeks of reminders."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import datetime, time, timedelta
from pathlib import Path

import typer
from faker import Faker
from sqlalchemy import select

from rvg import clock
from rvg.cli._prefect import load_flow
from rvg.db import cached_engine, make_sessionmaker, session_scope
from rvg.imports.contacts import import_contacts
from rvg.models import Applicant, Notification, NotificationStatus, Organisation, Placement
from rvg.placements.changes import assign_guides
from rvg.repositories.cohorts import get_cohort
from rvg.settings import Settings
from rvg.training.service import stored_sessions, write_calendars

FIRST_WEEKS = 4


def _guides(settings: Settings, cohort: str, seed: int, folder: Path) -> list[tuple[str, str, str]]:
    """A fictitious buddy per participant and a manager per organisation, via the import."""
    fake = Faker("nl_NL")
    fake.seed_instance(seed + 6)
    with session_scope(make_sessionmaker(cached_engine(settings.database_url))) as session:
        loaded = get_cohort(cohort, session=session)
        placed = session.execute(
            select(Applicant.applicant_ref, Organisation.code)
            .join(Placement, Placement.applicant_id == Applicant.id)
            .join(Organisation, Placement.organisation_id == Organisation.id)
            .where(Placement.cohort_id == loaded.id)
            .order_by(Applicant.applicant_ref)
        ).all()
    rows, assignments, managers = [], [], {}
    for number, (ref, code) in enumerate(placed, 1):
        if code not in managers:
            managers[code] = f"leidinggevende.{code.lower()}@{code.lower()}.example"
            rows.append([code, "manager", fake.name(), managers[code]])
        buddy = f"buddy.{number}@{code.lower()}.example"
        rows.append([code, "buddy", fake.name(), buddy])
        assignments.append((ref, buddy, managers[code]))
    path = folder / "buddies-managers.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["organisation", "role", "name", "email"], *rows])
    with session_scope(make_sessionmaker(cached_engine(settings.database_url))) as session:
        tally = import_contacts(path, session=session).tally
    typer.echo(f"  buddies and managers (fictitious): {tally.line()}")
    return assignments


def training_year(cohort: str, settings: Settings, seed: int, folder: Path) -> None:
    """Assign guides, plan the year, write the calendars, run the first weeks of reminders."""
    typer.echo("\nTraining year (phase 6)")
    assignments = _guides(settings, cohort, seed, folder)
    with session_scope(make_sessionmaker(cached_engine(settings.database_url))) as session:
        loaded = get_cohort(cohort, session=session)
        for ref, buddy, manager in assignments:
            assign_guides(loaded, ref, buddy=buddy, manager=manager, session=session)
        start = loaded.milestone("training_start")
        assert start is not None
    flow = load_flow("training_year", "training_year")
    dispatch = load_flow("dispatch", "dispatch_notifications")
    for week in range(-1, FIRST_WEEKS - 1):
        day = start + timedelta(days=7 * week)
        summary = flow(cohort=cohort, as_of=day)
        sent = dispatch(
            as_of=datetime.combine(day + timedelta(days=7), time(8, 0), tzinfo=settings.zone)
        )
        with session_scope(make_sessionmaker(cached_engine(settings.database_url))) as session:
            roles = Counter(
                key.split(":")[3]
                for key in session.scalars(
                    select(Notification.key).where(
                        Notification.key.startswith(f"training:{cohort}:"),
                        Notification.status == NotificationStatus.SENT.value,
                        Notification.due_at >= clock.start_of_day(day, settings.zone),
                        Notification.due_at
                        < clock.start_of_day(day + timedelta(days=7), settings.zone),
                    )
                )
            )
        typer.echo(
            f"  week of {day}: {summary.progress_percent:.0f}% of the year; "
            f"reminders sent: {dict(sorted(roles.items()))} ({sent.sent} e-mails in all)"
        )
    with session_scope(make_sessionmaker(cached_engine(settings.database_url))) as session:
        loaded = get_cohort(cohort, session=session)
        paths = write_calendars(
            loaded,
            stored_sessions(loaded, session=session),
            settings.output_dir / cohort / "agenda",
            session=session,
        )
    typer.echo(f"  calendars: {len(paths)} .ics files in {paths[0].parent.resolve()}")

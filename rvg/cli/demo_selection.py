"""Demo steps of phases 4 and 5: the agency's exports, the funnel, the meet & greet, matching."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path

import typer
from sqlalchemy import select

from rvg.cli._prefect import load_flow
from rvg.db import cached_engine, make_sessionmaker, session_scope
from rvg.demo.data import DemoApplicant, demo_applicants, demo_preferences
from rvg.imports.applicants import import_applicants
from rvg.imports.preferences import import_preferences
from rvg.models import Applicant, Commitment, CommitmentStatus, CommitmentVacancy, Organisation
from rvg.placements.approval import MatchApproval
from rvg.repositories.cohorts import get_cohort
from rvg.settings import Settings

APPLICANTS = 300  # the published figure for 2024 was 315
EXPORT_EVERY = timedelta(days=14)
COLUMNS = [
    "applicant_ref",
    "first_name",
    "last_name",
    "email",
    "track",
    "stage",
    "stage_date",
    "source",
    "education_level",
    "years_experience",
    "consent_until",
]


def _write_export(
    path: Path, applicants: list[DemoApplicant], day: date, overrides: dict[str, str]
) -> int:
    """The agency's export on ``day``: everybody who applied so far, in their current stage."""
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")  # as Dutch offices save CSV
        writer.writerow(COLUMNS)
        for a in applicants:
            state = a.state_on(day)
            if state is None:
                continue
            stage = overrides.get(a.ref, state[0])
            on = day if a.ref in overrides else state[1]
            writer.writerow(
                [
                    a.ref,
                    a.first_name,
                    a.last_name,
                    a.email,
                    a.track,
                    stage,
                    f"{on:%d-%m-%Y}",
                    a.source,
                    a.education,
                    a.years_experience,
                    "",
                ]
            )
            rows += 1
    return rows


def _import(path: Path, cohort: str, day: date, settings: Settings) -> str:
    moment = datetime.combine(day, time(18, 0), tzinfo=settings.zone)
    with session_scope(make_sessionmaker(cached_engine(settings.database_url))) as session:
        return import_applicants(path, cohort, session=session, at=moment).tally.line()


def recruitment_and_matching(cohort: str, settings: Settings, seed: int, folder: Path) -> None:
    """Exports every two weeks, the funnel, invitations, preferences and the matching."""
    with session_scope(make_sessionmaker(cached_engine(settings.database_url))) as session:
        loaded = get_cohort(cohort, session=session)
        opens, meet = loaded.milestone("recruitment_opens"), loaded.milestone("meet_and_greet")
        assert opens is not None and meet is not None
        tracks = [t.track_code for t in loaded.tracks]
    applicants = demo_applicants(APPLICANTS, tracks, opens, meet, seed)
    recruitment = load_flow("recruitment", "recruitment")
    dispatch = load_flow("dispatch", "dispatch_notifications")
    typer.echo(f"\nRecruitment (phase 4), from {opens}: {APPLICANTS} fictitious applicants")
    invite_day = meet - timedelta(days=21)
    export_days = [
        opens + EXPORT_EVERY * n for n in range(1, 12) if opens + EXPORT_EVERY * n < invite_day
    ]
    for day in [*export_days, invite_day]:
        path = folder / f"applicants-{day:%Y%m%d}.csv"
        _write_export(path, applicants, day, {})
        typer.echo(f"  {day}: agency export imported: {_import(path, cohort, day, settings)}")
        funnel = recruitment(cohort=cohort, as_of=day)
    sent = dispatch(as_of=datetime.combine(invite_day, time(10, 0), tzinfo=settings.zone))
    typer.echo(f"  {invite_day}: meet & greet invitations with .ics sent ({sent.sent} e-mails)")
    _funnel_summary(settings, cohort)
    typer.echo(f"  funnel report: {Path(funnel.report).resolve()}")
    _matching(cohort, settings, seed, folder, applicants, meet)


def _funnel_summary(settings: Settings, cohort: str) -> None:
    with session_scope(make_sessionmaker(cached_engine(settings.database_url))) as session:
        loaded = get_cohort(cohort, session=session)
        stages = Counter(
            session.scalars(select(Applicant.stage).where(Applicant.cohort_id == loaded.id))
        )
    order = [
        "applied",
        "screened",
        "assessment",
        "interview",
        "meet_greet",
        "preferences",
        "matched",
        "rejected",
        "withdrawn",
    ]
    typer.echo("  now per stage: " + ", ".join(f"{s} {stages[s]}" for s in order if stages[s]))


def _matching(
    cohort: str,
    settings: Settings,
    seed: int,
    folder: Path,
    applicants: list[DemoApplicant],
    meet: date,
) -> None:
    after = meet + timedelta(days=3)
    selected = {
        a.ref: a.track for a in applicants if (a.state_on(after) or ("",))[0] == "meet_greet"
    }
    path = folder / f"applicants-{after:%Y%m%d}.csv"
    _write_export(path, applicants, after, dict.fromkeys(selected, "preferences"))
    typer.echo(f"\nMatching (phase 5), after the meet & greet on {meet}")
    imported = _import(path, cohort, after, settings)
    typer.echo(f"  {after}: {len(selected)} candidates stated preferences: {imported}")
    with session_scope(make_sessionmaker(cached_engine(settings.database_url))) as session:
        loaded = get_cohort(cohort, session=session)
        vacancies: dict[str, dict[str, int]] = {}
        for code, track, count in session.execute(
            select(Organisation.code, CommitmentVacancy.track_code, CommitmentVacancy.vacancies)
            .join(Commitment, Commitment.organisation_id == Organisation.id)
            .join(CommitmentVacancy)
            .where(
                Commitment.cohort_id == loaded.id,
                Commitment.status == CommitmentStatus.COMMITTED.value,
            )
        ):
            vacancies.setdefault(code, {})[track] = count
    candidate_rows, organisation_rows = demo_preferences(selected, vacancies, seed)
    files = []
    for name, header, rows in (
        ("candidates", ["candidate_id", "organisation_id", "rank"], candidate_rows),
        ("organisations", ["organisation_id", "candidate_id", "rank"], organisation_rows),
    ):
        file = folder / f"preferences-{name}.csv"
        with file.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([header, *rows])
        files.append(file)
    with session_scope(make_sessionmaker(cached_engine(settings.database_url))) as session:
        for_candidates, for_organisations = import_preferences(
            files[0], files[1], cohort, session=session
        )
    typer.echo(
        f"  preferences imported: candidates {for_candidates.tally.line()}; "
        f"organisations {for_organisations.tally.line()}"
    )
    approval = MatchApproval(approved=True, decided_by="Projectteam (demo)", comment="Demo")
    result = load_flow("matching", "matching")(cohort=cohort, as_of=after, decision=approval)
    for track in result.tracks:
        ranks = ", ".join(f"choice {rank}: {n}" for rank, n in sorted(track.ranks.items()))
        matched = sum(1 for org in track.pairs.values() if org)
        places = sum(track.open_places.values())
        typer.echo(
            f"  track {track.track}: matched {matched} ({ranks}); "
            f"unmatched {len(track.unmatched)}; open places {places}"
        )
    sent = load_flow("dispatch", "dispatch_notifications")(
        as_of=datetime.combine(after, time(10, 0), tzinfo=settings.zone)
    )
    typer.echo(
        f"  {result.line()} blocking_pairs=0; placements made: {result.placed}; "
        f"{sent.sent} e-mails to candidates and organisations"
    )

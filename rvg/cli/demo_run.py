"""What ``rvg demo`` does: the whole cohort cycle on fictitious data, with a local SMTP sink.

The demo always sends to a local sink and serves the web forms on loopback; it never uses a
configured mail server. It uses RVG_DATABASE_URL when set, else a fresh SQLite file. The cycle
runs as one flow (``flows/cycle.py``) on the Prefect server PREFECT_API_URL points at, or on an
ephemeral one.
"""

from __future__ import annotations

import csv
import os
import shutil
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import typer

from rvg.business_case.decision import BusinessCaseDecision
from rvg.cli._prefect import load_flow
from rvg.commitments.rules import GoNoGoDecision
from rvg.cycle import CycleDecisions
from rvg.db import cached_engine
from rvg.demo.data import demo_contacts
from rvg.demo.simulation import MAX_COHORTS, SCALES, WEB_CLOCK, Scale, Simulation
from rvg.demo.summary import emails_by_phase, phase_figures
from rvg.errors import UserError
from rvg.imports.contacts import import_contacts
from rvg.loopback import free_port
from rvg.migrate import migrated_sessionmaker, safe_url, upgrade
from rvg.notifications.sink import SinkProcess
from rvg.phases import Phase
from rvg.placements.approval import MatchApproval
from rvg.programme import create_cohort, read_cohort, read_region
from rvg.recruitment.retention import holding_personal_data
from rvg.redesign.decision import RedesignDecision
from rvg.redesign.proposal import next_code
from rvg.repositories.organisations import count_by_region_and_kind, list_organisations
from rvg.settings import PROJECT_ROOT, Settings, load_settings
from rvg.tendering.award import TenderAward, TenderDecisions
from rvg.unit import unit
from rvg.web.app import create_app
from rvg.web.server import BackgroundServer

DEMO_FOLDER = Path("var") / "demo"
REPORTS = ("business_case", "funnel", "matching", "evaluation", "redesign")
PROGRAMME_FILES = ("kalender.png", "kalender.svg")


def _fresh_sqlite_url() -> str:
    path = (DEMO_FOLDER / "rvg-demo.sqlite").resolve()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def _config_for(scale: Scale) -> Path:
    """config/ itself, or a copy with the national region laid over it."""
    source = PROJECT_ROOT / "config"
    if scale == "brabant":
        return source
    target = (DEMO_FOLDER / "config-national").resolve()
    shutil.rmtree(target, ignore_errors=True)
    # the history is Brabant's: a national programme has none of its own yet
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("scales", "history"))
    shutil.copytree(source / "scales" / scale, target, dirs_exist_ok=True)
    return target


# The demo's web forms always live at this one address (the links in its e-mails point here).
DEMO_WEB_HOST, DEMO_WEB_PORT = "127.0.0.1", 8765
DEMO_WEB_URL = f"http://{DEMO_WEB_HOST}:{DEMO_WEB_PORT}"


def _environment(scale: Scale) -> None:
    """The flows read their settings from the environment, so the demo's choices go there."""
    os.environ.setdefault("RVG_DATABASE_URL", _fresh_sqlite_url())
    os.environ["RVG_CONFIG_DIR"] = str(_config_for(scale))
    # Flow logs still reach the Prefect server (and its UI); the terminal shows the progress bar.
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
    os.environ["RVG_SMTP_HOST"] = "127.0.0.1"
    os.environ["RVG_SMTP_PORT"] = str(free_port(preferred=8025))
    os.environ["RVG_SMTP_TLS"] = "none"
    os.environ["RVG_WEB_BASE_URL"] = DEMO_WEB_URL
    for secret in ("RVG_SMTP_USERNAME", "RVG_SMTP_PASSWORD"):
        os.environ.pop(secret, None)


def run_demo(cohort: str, scale: Scale, seed: int, cohorts: int = 2) -> None:
    """Run the cycle of ``cohort`` on fictitious data, and of the ``cohorts`` - 1 after it that
    its redesigns create, overlapping on one calendar; print what happened to each."""
    if not 1 <= cohorts <= MAX_COHORTS:
        raise UserError(f"--cohorts must be 1 to {MAX_COHORTS}, not {cohorts}")
    started = time.monotonic()
    DEMO_FOLDER.mkdir(parents=True, exist_ok=True)
    if free_port(DEMO_WEB_HOST, preferred=DEMO_WEB_PORT) != DEMO_WEB_PORT:
        raise UserError(
            f"the demo serves its web forms at {DEMO_WEB_URL}, but port {DEMO_WEB_PORT} is in "
            "use (another demo running?); stop what listens there and start again"
        )
    _environment(scale)
    settings = load_settings()
    upgrade(cached_engine(settings.database_url))
    typer.echo(f"Database: {safe_url(settings.database_url)} (migrated)")
    typer.echo(f"Web forms: {DEMO_WEB_URL} (the demo's fixed address; every link in its e-mails)")
    organisations = _load_cohort(cohort, settings)
    _load_contacts(settings, seed)
    maildir = (DEMO_FOLDER / "mail").resolve()
    maildir.mkdir(parents=True, exist_ok=True)
    for old in maildir.glob("*.eml"):
        old.unlink()
    for old in settings.output_dir.glob("*/*.html"):
        old.unlink()
    sink = SinkProcess(settings.smtp_host, settings.smtp_port, maildir)
    # Every simulated respondent is one client on loopback, and some still click a link
    # after its round has closed: the limit on wrong links per client is for people, not for
    # the whole simulated world.
    web_settings = settings.model_copy(update={"web_token_misses_per_minute": 10_000})
    app = create_app(web_settings, migrated_sessionmaker(settings), now=WEB_CLOCK)
    figures = SCALES[scale]
    following = f" and the {cohorts - 1} after it" if cohorts > 1 else ""
    typer.echo(
        f"\nThe cycle of cohort {cohort}{following}, day by day ({scale}: {organisations} "
        f"organisations, {figures.applicants} fictitious applicants a cohort; e-mail to a local "
        f"sink in {maildir})"
    )
    try:
        with BackgroundServer(app, host=DEMO_WEB_HOST, port=DEMO_WEB_PORT):
            summary = load_flow("cycle", "cohort_cycle")(
                cohorts=[cohort],
                decisions=_decisions(cohort, settings, cohorts),
                simulation=Simulation(scale=scale, seed=seed, maildir=maildir, show_progress=True),
                follow=cohorts - 1,
            )
    finally:
        sink.stop()
    for walked in summary.cohorts:
        _print_summary(walked.cohort, settings, walked.completed, walked.phase_runs)
    _print_programme(settings)
    with unit(settings=settings) as u:
        placed, others = holding_personal_data(session=u.session)
    typer.echo(
        f"\nRetention ran on {summary.retention_runs} days; applicants still holding a name or "
        f"e-mail: {placed} placed, {others} others"
    )
    typer.echo(
        f"\nE-mails received by the local SMTP sink: {sink.received} in {maildir}"
        f"\nPrefect: {summary.flow_runs} flow runs, {summary.task_runs} task runs; "
        f"{time.monotonic() - started:.0f} s in all"
    )
    completed = ",".join(f"{c.cohort}:{len(c.completed)}" for c in summary.cohorts)
    typer.echo(
        f"scale={scale} organisations={organisations} cohorts={len(summary.cohorts)} "
        f"phases_completed={completed} emails_received={sink.received} "
        f"flow_runs={summary.flow_runs} task_runs={summary.task_runs} "
        f"retention_runs={summary.retention_runs} unplaced_with_personal_data={others}"
    )


def _load_cohort(code: str, settings: Settings) -> int:
    """Load the region and the cohort and print them; returns how many organisations there are."""
    config_dir = settings.config_dir
    path = config_dir / "cohorts" / f"{code}.yaml"
    # The simulation starts on the cohort's first key date: the file is loaded that day.
    first_day = min(read_cohort(code, path, read_region(config_dir)).key_dates.values())
    with unit(settings=settings) as u:
        created = create_cohort(code, path, config_dir, session=u.session, as_of=first_day)
        loaded, outcome = created.cohort, created.outcome
        for warning in created.warnings:
            typer.echo(f"warning: {warning}")
        counts = count_by_region_and_kind(session=u.session)
        typer.echo(f"\nOrganisations in {loaded.region} (municipalities / other):")
        for region in sorted({region for region, _ in counts}):
            municipalities = counts.get((region, "municipality"), 0)
            other = sum(
                n for (r, kind), n in counts.items() if r == region and kind != "municipality"
            )
            typer.echo(f"  {region:<20} {municipalities:>3} / {other}")
        history = sorted((config_dir / "history").glob("*.yaml"))
        for past in history:
            create_cohort(
                past.stem, past, config_dir, session=u.session, as_of=first_day, history=True
            )
        if history:
            codes = ", ".join(past.stem for past in history)
            typer.echo(f"\nPast cohorts with their published outcomes (history): {codes}")
        typer.echo(f"\nCohort {loaded.code}: {loaded.name} ({outcome})")
        for milestone in sorted(loaded.milestones, key=lambda m: m.on):
            typer.echo(f"  {milestone.on.isoformat()}  {milestone.name}")
    return sum(counts.values())


def _load_contacts(settings: Settings, seed: int) -> None:
    """Fictitious secretaries and a procurement contact, through the real contacts import."""
    with unit(settings=settings) as u:
        contacts = demo_contacts(list_organisations(session=u.session), seed)
    path = DEMO_FOLDER / "contacts.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["organisation", "role", "name", "email"])
        writer.writerows([c.organisation, c.role, c.name, c.email] for c in contacts)
    with unit(settings=settings) as u:
        result = import_contacts(path, session=u.session)
    typer.echo(f"\nContacts (fictitious, {path}): {result.tally.line()}")


def _decisions(cohort: str, settings: Settings, cohorts: int) -> CycleDecisions:
    """The steering group's and the team's decisions, given up front as a dry run allows; the
    awards per cohort, each a year after the one before (their contracts' dates differ)."""
    with unit(cohort, settings=settings) as u:
        loaded = u.cohort
        low, high = loaded.target_participants_min, loaded.target_participants_max
        start = loaded.milestone("training_start")
        assert start is not None
    board = "Stuurgroep (demo)"
    team = "Projectteam (demo)"

    def award(
        supplier: str, value: int, starts_on: date, ends_on: date, **why: str | bool
    ) -> TenderAward:
        return TenderAward.model_validate(
            {
                "supplier": supplier,
                "value_eur": Decimal(value),
                "starts_on": starts_on,
                "ends_on": ends_on,
                "extension_options": 2,
                "decided_by": board,
                "comment": "Demo: besluit van de stuurgroep.",
                **why,
            }
        )

    def awards(offset: int) -> TenderDecisions:
        year = start.year + offset
        if offset == 0:
            # a new contract from eight weeks before the start to after the closing event,
            # with two options of a year: the market price of the tender, well above budget
            training = award(
                "Opleidingsinstituut Ruimtelijk Vakmanschap B.V.",
                390_000,
                start - timedelta(weeks=8),
                date(year + 1, 9, 30),
                over_budget_reason="Demo: de inschrijvingen lagen alle boven de raming.",
            )
        else:  # the next cohort's training: the next option of that contract, a year on
            training = award(
                "Opleidingsinstituut Ruimtelijk Vakmanschap B.V.",
                390_000,
                date(year, 10, 1),
                date(year + 1, 9, 30),
                over_budget_reason="Demo: verlenging tegen de prijs van het contract.",
                risk_before_go_accepted=True,
            )
        return TenderDecisions(
            awards={
                # an extension of the current contract by one option: its notice deadline
                # falls before the go, so the steering group takes that risk explicitly
                "recruitment_selection": award(
                    "Werving & Selectie Zuid B.V.",
                    120_000,
                    date(year, 1, 1),
                    date(year, 12, 31),
                    risk_before_go_accepted=True,
                ),
                "training": training,
            }
        )

    return CycleDecisions(
        business_case=BusinessCaseDecision(
            approved=True,
            min_participants=low,
            max_participants=high,
            comment="Demo: akkoord van de stuurgroep.",
            decided_by=board,
        ),
        go_no_go=GoNoGoDecision(go=True, comment="Demo: go.", decided_by=board),
        tender_awards_by_cohort={next_code(cohort, i): awards(i) for i in range(cohorts)},
        match_approval=MatchApproval(approved=True, decided_by=team, comment="Demo"),
        interim_redesign=RedesignDecision(
            accepted=True,
            lessons="Demo: de aanmelding van organisaties eerder openen.",
            decided_by=board,
        ),
        redesign=RedesignDecision(
            accepted=True,
            lessons="Demo: buddy's vaker samenbrengen; eerder beginnen met werven.",
            decided_by=team,
        ),
    )


def _print_summary(
    cohort: str, settings: Settings, completed: list[str], runs: dict[str, int]
) -> None:
    with unit(cohort, settings=settings) as u:
        figures = phase_figures(u.cohort, session=u.session)
        emails = emails_by_phase(u.cohort, session=u.session)
    typer.echo(f"\nSummary per phase (cohort {cohort}; runs: the days the phase had work):")
    for phase in Phase:
        name = phase.cli_name
        mark = "done" if name in completed else "open"
        typer.echo(
            f"  {name:<14} {mark:<5} {figures[phase]}; e-mails {emails[phase]}; "
            f"runs {runs.get(name, 0)}"
        )
    folder = (settings.output_dir / cohort).resolve()
    typer.echo(f"\nReports in {folder}:")
    for name in REPORTS:
        path = folder / f"{name}.html"
        typer.echo(f"  {path.name:<20} {'written' if path.exists() else 'missing'}")


def _print_programme(settings: Settings) -> None:
    folder = (settings.output_dir / "programme").resolve()
    typer.echo(f"\nThe programme's rolling calendar in {folder}:")
    for name in PROGRAMME_FILES:
        path = folder / name
        typer.echo(f"  {path.name:<20} {'written' if path.exists() else 'missing'}")

"""``rvg run PHASE``: run a phase flow once, for a cohort, as of a date."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

import typer

from rvg import clock
from rvg.cli._options import as_of_option
from rvg.cli._prefect import load_flow
from rvg.db import session_scope
from rvg.errors import UserError
from rvg.migrate import migrated_sessionmaker
from rvg.notifications.safety import UnsafeDryRun, refuse_past_as_of, refuse_real_mail
from rvg.phases import PHASES, Phase
from rvg.repositories.cohorts import live_cohort
from rvg.settings import load_settings

# Phase → (module in flows/, flow function), from the phase registry.
PHASE_FLOWS: dict[Phase, tuple[str, str]] = {
    phase: (spec.flow_module.removeprefix("flows."), spec.flow_function)
    for phase, spec in PHASES.items()
}
# Flows that are not one phase: retention (--cohort optional) and the whole cycle.
OTHER_FLOWS: dict[str, tuple[str, str]] = {
    "retention": ("retention", "retention"),
    "cycle": ("cycle", "cohort_cycle"),
}


def run(
    phase: Annotated[
        str,
        typer.Argument(
            help="Phase ("
            + ", ".join(p.cli_name for p in Phase)
            + "), retention, or cycle: every phase day by day, a dry run on a scratch database"
            " with e-mail to a local sink only."
        ),
    ],
    cohort: Annotated[
        str | None, typer.Option("--cohort", help="Cohort code, e.g. 2027 (retention: optional).")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Do what is due by this ISO date (default: today); cycle: stop after it.",
        ),
    ] = None,
    decision: Annotated[
        str | None,
        typer.Option(
            "--decision",
            help="The human decision as JSON, instead of a form in the UI; cycle: an object with"
            " business_case, go_no_go, tender_awards, match_approval and redesign.",
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="retention: list what would be erased, change nothing."),
    ] = False,
) -> None:
    """Run the flow of one phase (or retention, or the whole cycle); it does what is due and
    nothing twice."""
    module, name = _flow_for(phase)
    parameters: dict[str, Any] = {}
    if name == "retention":
        parameters = {"cohort": cohort, "dry_run": dry_run}
    elif cohort is None:
        raise typer.BadParameter("a phase needs --cohort", param_hint="--cohort")
    else:
        parameters = {"cohort": cohort}
    moment = as_of_option(as_of)
    cycle = name == "cohort_cycle"
    if cycle:
        try:
            refuse_real_mail(load_settings().smtp_host)
        except UnsafeDryRun as exc:
            raise UserError(f"not starting the cycle: {exc}") from None
    _check_before_starting(phase, cohort, moment.date() if moment else None)
    if moment is not None:
        parameters["until" if cycle else "as_of"] = moment.date()
    if decision is not None:
        try:
            parameters["decisions" if cycle else "decision"] = json.loads(decision)
        except json.JSONDecodeError as exc:
            raise typer.BadParameter(f"not valid JSON: {exc}", param_hint="--decision") from None
    result = load_flow(module, name)(**parameters)
    typer.echo(result.model_dump_json() if hasattr(result, "model_dump_json") else str(result))


def _check_before_starting(name: str, cohort: str | None, as_of: date | None) -> None:
    """An unusable database, an unknown cohort or a past ``--as-of`` that would e-mail real
    people is one clear line, before Prefect starts (the flows check the last one too)."""
    if name.strip().lower() not in OTHER_FLOWS:
        settings = load_settings()
        try:
            refuse_past_as_of(
                Phase.parse(name), as_of, clock.today(tz=settings.zone), settings.smtp_host
            )
        except UnsafeDryRun as exc:
            raise UserError(f"not running: {exc}") from None
    sessions = migrated_sessionmaker()
    if cohort is not None:
        with session_scope(sessions) as session:
            live_cohort(cohort, session=session)


def _flow_for(name: str) -> tuple[str, str]:
    if name.strip().lower() in OTHER_FLOWS:
        return OTHER_FLOWS[name.strip().lower()]
    try:
        chosen = Phase.parse(name)
    except ValueError as exc:
        raise typer.BadParameter(f"{exc}, retention", param_hint="PHASE") from None
    if chosen not in PHASE_FLOWS:
        available = ", ".join(p.cli_name for p in PHASE_FLOWS)
        raise UserError(f"phase {chosen.cli_name} is not available yet; available: {available}")
    return PHASE_FLOWS[chosen]

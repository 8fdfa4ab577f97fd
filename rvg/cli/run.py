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
from rvg.repositories.cohorts import live_cohort, unfinished_cohorts
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
    cohorts: Annotated[
        str | None,
        typer.Option(
            "--cohorts",
            help="cycle: the cohorts to walk side by side, e.g. 2027,2028 (default: --cohort, or"
            " every live cohort whose cycle is not over).",
        ),
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
            " business_case, go_no_go, tender_awards, match_approval, interim_redesign (each"
            " interim redesign's) and redesign.",
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="retention: list what would be erased, change nothing."),
    ] = False,
    follow: Annotated[
        int | None,
        typer.Option(
            "--follow",
            min=0,
            max=10,
            help="cycle: also take in up to this many next cohorts as the redesigns create "
            "them; the last one is walked as long as the cohorts before it.",
        ),
    ] = None,
    stage: Annotated[
        str | None,
        typer.Option(
            "--stage",
            help="redesign: the interim redesign after this survey round (m03, m06: "
            "config/redesign.yaml interim_after) instead of the final one.",
        ),
    ] = None,
) -> None:
    """Run the flow of one phase (or retention, or the whole cycle); it does what is due and
    nothing twice."""
    module, name = _flow_for(phase)
    cycle = name == "cohort_cycle"
    parameters: dict[str, Any] = {}
    if cohorts is not None and not cycle:
        raise typer.BadParameter("only the cycle walks several cohorts", param_hint="--cohorts")
    if follow is not None and not cycle:
        raise typer.BadParameter("only the cycle follows cohorts", param_hint="--follow")
    if cycle:
        try:
            refuse_real_mail(load_settings().smtp_host)
        except UnsafeDryRun as exc:
            raise UserError(f"not starting the cycle: {exc}") from None
        parameters = {"cohorts": _cohorts_to_walk(cohorts, cohort), "follow": follow or 0}
    elif name == "retention":
        parameters = {"cohort": cohort, "dry_run": dry_run}
    elif cohort is None:
        raise typer.BadParameter("a phase needs --cohort", param_hint="--cohort")
    else:
        parameters = {"cohort": cohort}
    if stage is not None:
        if PHASE_FLOWS.get(Phase.REDESIGN) != (module, name):
            raise typer.BadParameter("only the redesign has interim stages", param_hint="--stage")
        parameters["stage"] = stage
    moment = as_of_option(as_of)
    _check_before_starting(phase, cohort, moment.date() if moment else None, stage)
    if moment is not None:
        parameters["until" if cycle else "as_of"] = moment.date()
    if decision is not None:
        try:
            parameters["decisions" if cycle else "decision"] = json.loads(decision)
        except json.JSONDecodeError as exc:
            raise typer.BadParameter(f"not valid JSON: {exc}", param_hint="--decision") from None
    result = load_flow(module, name)(**parameters)
    typer.echo(result.model_dump_json() if hasattr(result, "model_dump_json") else str(result))


def _check_before_starting(
    name: str, cohort: str | None, as_of: date | None, stage: str | None = None
) -> None:
    """An unusable database, an unknown cohort, an interim redesign that is not due or a past
    ``--as-of`` that would e-mail real people is one clear line, before Prefect starts (the
    flows check them too)."""
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
    if stage is not None and cohort is not None:
        from rvg.redesign.service import check_stage
        from rvg.unit import unit

        with unit(cohort) as u:
            check_stage(u, stage, clock.today(as_of, u.settings.zone))


def _cohorts_to_walk(cohorts: str | None, cohort: str | None) -> list[str]:
    """The cohorts the cycle walks: those named (each a live cohort), else every unfinished one."""
    if cohorts is not None and cohort is not None:
        raise typer.BadParameter("give --cohort or --cohorts, not both", param_hint="--cohorts")
    codes = [c.strip() for c in (cohorts if cohorts is not None else cohort or "").split(",")]
    named = cohorts is not None or cohort is not None
    if named and (not all(codes) or len(set(codes)) != len(codes)):
        raise typer.BadParameter(
            f"{cohorts or cohort!r}: cohort codes separated by commas, each once, e.g. 2027,2028",
            param_hint="--cohorts",
        )
    with session_scope(migrated_sessionmaker()) as session:
        if named:
            return [live_cohort(code, session=session).code for code in codes]
        found = [c.code for c in unfinished_cohorts(session=session)]
    if not found:
        raise UserError("no live cohort whose cycle is not over: create one (rvg cohort create)")
    return found


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

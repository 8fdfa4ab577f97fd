"""``rvg cohort``: create and inspect cohorts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rvg import clock
from rvg.cli._options import as_of_option
from rvg.cohort_rules import update_rules
from rvg.cycle import cohort_phases
from rvg.programme import create_cohort
from rvg.repositories.cohorts import get_cohort, list_cohorts
from rvg.rule_sets import read_rule_files, rule_sets_of, rules_diff
from rvg.settings import load_settings
from rvg.unit import unit

app = typer.Typer(help="Create and inspect cohorts.", no_args_is_help=True)


@app.command("create")
def create_command(
    code: Annotated[str, typer.Argument(help="Cohort code, e.g. 2027.")],
    config: Annotated[
        Path, typer.Option("--config", help="Cohort file, e.g. config/cohorts/2027.yaml.")
    ],
    config_dir: Annotated[
        Path | None,
        typer.Option("--config-dir", help="Folder with programme.yaml and organisations.csv."),
    ] = None,
    history: Annotated[
        bool,
        typer.Option(
            "--history",
            help="Record a past cohort with its published outcomes (config/history/); no phase "
            "runs for it.",
        ),
    ] = False,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Check the key dates against this ISO date (default: today)."),
    ] = None,
) -> None:
    """Load a cohort from its file, with the region's tracks and organisations; idempotent.

    A live cohort's key dates may not lie in the past; a key date that leaves less than its
    lead time is loaded with a warning."""
    settings = load_settings()
    day = clock.today(as_of_option(as_of), tz=settings.zone)
    with unit(settings=settings) as u:
        loaded = create_cohort(
            code,
            config,
            config_dir or settings.config_dir,
            session=u.session,
            as_of=day,
            history=history,
        )
        dates = len(loaded.cohort.milestones)
    for warning in loaded.warnings:
        typer.echo(f"warning: {warning}", err=True)
    kind = " historical=yes" if history else ""
    typer.echo(
        f"cohort={code} outcome={loaded.outcome} key_dates={dates}{kind} "
        f"warnings={len(loaded.warnings)}"
    )


@app.command("list")
def list_command(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Where the cohorts stand on this ISO date.")
    ] = None,
) -> None:
    """List the cohorts: each live one with the phases it is in (phases overlap), then the
    past ones recorded as history."""
    settings = load_settings()
    day = clock.today(as_of_option(as_of), tz=settings.zone)
    with unit(settings=settings) as u:
        cohorts = list_cohorts(session=u.session)
        for cohort in cohorts:
            where = (
                "history"
                if cohort.historical
                else cohort_phases(cohort, day, session=u.session, zone=settings.zone).line()
            )
            typer.echo(f"{cohort.code:<8} {cohort.name}: {where}")
    typer.echo(f"cohorts={len(cohorts)}")


@app.command("show")
def show_command(code: Annotated[str, typer.Argument(help="Cohort code.")]) -> None:
    """Show a cohort's tracks, target size and key dates."""
    with unit(code) as u:
        cohort = u.cohort
        where = (
            "a past cohort (history)"
            if cohort.historical
            else cohort_phases(
                cohort, clock.today(tz=u.settings.zone), session=u.session, zone=u.settings.zone
            ).line()
        )
        typer.echo(f"{cohort.name} ({cohort.code}), {where}")
        typer.echo(f"tracks: {', '.join(t.track_code for t in cohort.tracks)}")
        typer.echo(
            f"participants: {cohort.target_participants_min}-{cohort.target_participants_max}, "
            f"at least {cohort.min_organisations} taking part of the kinds "
            f"{', '.join(u.config.programme.go_kinds)}"
        )
        for milestone in sorted(cohort.milestones, key=lambda m: m.on):
            typer.echo(f"  {milestone.on.isoformat()}  {milestone.name}")
        if not cohort.historical:
            rules = u.rule_set()
            typer.echo(
                f"rules: version {rules.version} of {rules.taken_at:%Y-%m-%d} ({rules.reason}), "
                f"{rules.digest[:12]}; `rvg cohort rules {cohort.code}` for more"
            )
        for figure in cohort.outcomes:
            derived = " (derived)" if figure.derived else ""
            typer.echo(f"  {figure.measure}: {figure.value}{derived} ({figure.source})")


@app.command("rules")
def rules_command(
    code: Annotated[str, typer.Argument(help="Cohort code.")],
    diff: Annotated[
        str | None,
        typer.Option(
            "--diff",
            help="Show how the cohort's rules differ from another cohort's (its code) or from "
            "the files in config/ ('config').",
        ),
    ] = None,
    update: Annotated[
        bool,
        typer.Option(
            "--update",
            help="Take the rule files of config/ as the cohort's new version (once its training "
            "year has started only with --apply-to-running).",
        ),
    ] = False,
    apply_to_running: Annotated[
        bool,
        typer.Option(
            "--apply-to-running",
            help="With --update: change the rules of a cohort whose training year has started; "
            "the sessions and reminders that move are listed.",
        ),
    ] = False,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="With --update: the day of the change (default: today)."),
    ] = None,
) -> None:
    """Show the versions of a cohort's own rules (the rule files it runs on), how they differ
    from another cohort's or from config/, or take config/'s files as a new version."""
    if update and diff is not None:
        raise typer.BadParameter("give --update or --diff, not both", param_hint="--update")
    if apply_to_running and not update:
        raise typer.BadParameter("only with --update", param_hint="--apply-to-running")
    if update:
        _update(code, as_of, apply_to_running)
        return
    with unit(code) as u:
        current = u.rule_set()
        if diff is None:
            for rules in rule_sets_of(u.cohort, session=u.session):
                typer.echo(
                    f"version {rules.version}  {rules.taken_at:%Y-%m-%d %H:%M}  "
                    f"{rules.digest[:12]}  {rules.reason}"
                )
            typer.echo(f"files: {', '.join(sorted(current.files))}")
            return
        if diff == "config":
            theirs = read_rule_files(u.settings.config_dir)
        else:
            theirs = u.rule_set(get_cohort(diff, session=u.session)).files
        lines = rules_diff(current.files, theirs, code, diff)
    if not lines:
        typer.echo(f"cohort {code}'s rules and {diff}'s are the same")
        return
    typer.echo("".join(lines), nl=False)


def _update(code: str, as_of: str | None, apply_to_running: bool) -> None:
    settings = load_settings()
    day = clock.today(as_of_option(as_of), tz=settings.zone)
    with unit(code, settings=settings) as u:
        result = update_rules(u, day, apply_to_running=apply_to_running)
    if not result.applied:
        typer.echo(f"cohort {code}'s rules are config/'s already (version {result.version})")
        return
    for line in result.lines():
        typer.echo(line)
    typer.echo(
        f"cohort={code} rules_version={result.version} files={','.join(result.files)} "
        f"running={'yes' if result.running else 'no'}"
    )

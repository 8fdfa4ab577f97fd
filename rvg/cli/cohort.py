"""``rvg cohort``: create and inspect cohorts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rvg.programme import create_cohort
from rvg.repositories.cohorts import list_cohorts
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
) -> None:
    """Load a cohort from its file, with the region's tracks and organisations; idempotent."""
    settings = load_settings()
    with unit(settings=settings) as u:
        cohort, outcome = create_cohort(
            code, config, config_dir or settings.config_dir, session=u.session
        )
        dates = len(cohort.milestones)
    typer.echo(f"cohort={code} outcome={outcome} key_dates={dates}")


@app.command("list")
def list_command() -> None:
    """List the cohorts with their phase."""
    with unit() as u:
        cohorts = list_cohorts(session=u.session)
        for cohort in cohorts:
            typer.echo(f"{cohort.code:<8} {cohort.current_phase:<14} {cohort.name}")
    typer.echo(f"cohorts={len(cohorts)}")


@app.command("show")
def show_command(code: Annotated[str, typer.Argument(help="Cohort code.")]) -> None:
    """Show a cohort's tracks, target size and key dates."""
    with unit(code) as u:
        cohort = u.cohort
        typer.echo(f"{cohort.name} ({cohort.code}), phase {cohort.current_phase}")
        typer.echo(f"tracks: {', '.join(t.track_code for t in cohort.tracks)}")
        typer.echo(
            f"participants: {cohort.target_participants_min}-{cohort.target_participants_max}, "
            f"at least {cohort.min_organisations} organisations"
        )
        for milestone in sorted(cohort.milestones, key=lambda m: m.on):
            typer.echo(f"  {milestone.on.isoformat()}  {milestone.name}")

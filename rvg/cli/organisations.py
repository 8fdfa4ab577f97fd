"""``rvg organisations``: the organisations of the region (config/organisations.csv)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rvg.programme import load_region, read_region
from rvg.repositories.organisations import list_organisations
from rvg.settings import load_settings
from rvg.unit import unit

app = typer.Typer(help="The organisations of the region.", no_args_is_help=True)


@app.command("load")
def load_command(
    config_dir: Annotated[
        Path | None,
        typer.Option("--config-dir", help="Folder with programme.yaml and organisations.csv."),
    ] = None,
) -> None:
    """Insert or update the tracks and organisations from the config folder (idempotent)."""
    settings = load_settings()
    region = read_region(config_dir or settings.config_dir)
    with unit(settings=settings) as u:
        tally = load_region(region, session=u.session)
    typer.echo(tally.line())


@app.command("list")
def list_command() -> None:
    """List the organisations in the database by region."""
    with unit() as u:
        orgs = list_organisations(session=u.session)
        for org in orgs:
            typer.echo(f"{org.code:<18} {org.kind:<22} {org.region:<18} {org.name}")
    typer.echo(f"organisations={len(orgs)}")

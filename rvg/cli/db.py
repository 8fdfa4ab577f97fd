"""``rvg db``: create and migrate the domain database."""

from __future__ import annotations

from typing import Annotated

import typer

from rvg.db import cached_engine
from rvg.migrate import current_revision, head_revision, safe_url, upgrade
from rvg.settings import load_settings

app = typer.Typer(
    help="Create and migrate the domain database (RVG_DATABASE_URL).", no_args_is_help=True
)


@app.command("upgrade")
def upgrade_command(
    revision: Annotated[str, typer.Argument(help="Alembic revision to migrate to.")] = "head",
) -> None:
    """Migrate the database to the newest schema (creates it when empty)."""
    settings = load_settings()
    engine = cached_engine(settings.database_url)
    before = current_revision(engine)
    upgrade(engine, revision)
    after = current_revision(engine)
    typer.echo(f"database={safe_url(settings.database_url)} from={before or 'empty'} to={after}")


@app.command("current")
def current_command() -> None:
    """Show the database's schema revision and the newest one."""
    engine = cached_engine(load_settings().database_url)
    typer.echo(f"current={current_revision(engine) or 'empty'} head={head_revision()}")

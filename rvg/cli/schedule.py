"""``rvg schedule``: the programme calendar of a cohort as .ics files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rvg import clock
from rvg.training.schedule import generate_schedule
from rvg.training.service import stored_sessions, write_calendars
from rvg.unit import unit

app = typer.Typer(help="The training year's calendar.", no_args_is_help=True)


@app.command("ics")
def ics_command(
    cohort: Annotated[str, typer.Option("--cohort", help="Cohort code, e.g. 2027.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the .ics files.")] = Path("out"),
) -> None:
    """Write programme.ics and, once placements exist, a file per participant and one for
    buddies and managers (the stored schedule; else as planned from config/training.yaml)."""
    with unit(cohort) as u:
        loaded = u.cohort
        sessions = stored_sessions(loaded, session=u.session)
        if not sessions:
            start = loaded.milestone("training_start")
            assert start is not None
            sessions = [(item, 0) for item in generate_schedule(start, u.config.training)]
        paths = write_calendars(
            loaded,
            sessions,
            out,
            session=u.session,
            organizer=u.config.programme.contact.organizer,
            stamp=clock.utcnow(),
        )
    for path in paths:
        typer.echo(f"  wrote {path}")
    typer.echo(f"files={len(paths)} sessions={len(sessions)}")

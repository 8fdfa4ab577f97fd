"""``rvg report``: reports written as files, without Prefect."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rvg import clock
from rvg.cli._options import as_of_option
from rvg.unit import unit

app = typer.Typer(help="Reports as files.", no_args_is_help=True)


@app.command("evaluation")
def evaluation_command(
    cohort: Annotated[str, typer.Option("--cohort", help="Cohort code, e.g. 2027.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the report files.")] = Path("out"),
) -> None:
    """evaluation.html (charts, Dutch) and evaluation.csv; groups under 5 are never shown."""
    from rvg.evaluation.data import write_report  # pandas: only when needed

    with unit(cohort) as u:
        figures, paths = write_report(
            u.cohort,
            u.config.surveys,
            out,
            clock.today(tz=u.settings.zone),
            session=u.session,
        )
    for path in paths.values():
        typer.echo(f"  wrote {path}")
    responded = int(figures.rates["responded"].sum()) if len(figures.rates) else 0
    typer.echo(f"files={len(paths)} responses={responded}")


@app.command("calendar")
def calendar_command(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Today's line on this ISO date (default: today).")
    ] = None,
) -> None:
    """The rolling calendar of the live cohorts as out/programme/kalender.png and .svg: each
    cohort's phases as bars on one time axis, today's line, the decisions as marks."""
    from rvg.reports.gantt import write_programme_calendar  # matplotlib: only when needed

    moment = as_of_option(as_of)
    with unit() as u:
        paths = write_programme_calendar(u, moment.date() if moment else None)
    for path in paths:
        typer.echo(f"  wrote {path}")

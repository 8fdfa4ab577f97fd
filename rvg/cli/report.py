"""``rvg report``: reports written as files, without Prefect."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rvg import clock
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

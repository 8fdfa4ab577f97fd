"""``rvg tender plan``: the procurement timeline of a cohort, without Prefect."""

from __future__ import annotations

import sys
from typing import Annotated, Literal

import typer

from rvg import clock
from rvg.cli._options import as_of_option
from rvg.settings import load_settings
from rvg.spreadsheets import spreadsheet_writer
from rvg.tendering.labels import MILESTONE_LABELS, PATH_LABELS
from rvg.tendering.planning import EXTENSION_MILESTONES, TENDER_MILESTONES
from rvg.tendering.status import TenderingSummary, plan_cohort
from rvg.unit import unit

app = typer.Typer(help="Procurement of the two lots.", no_args_is_help=True)

CSV_MILESTONES = {
    "open_procedure": TENDER_MILESTONES,
    "social_services": TENDER_MILESTONES,
    "extension": EXTENSION_MILESTONES,
}


@app.command("plan")
def plan_command(
    cohort: Annotated[str, typer.Option("--cohort", help="Cohort code, e.g. 2027.")],
    output: Annotated[
        Literal["table", "csv"], typer.Option("--format", help="table (readable) or csv.")
    ] = "table",
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Plan as of this ISO date (default: today).")
    ] = None,
) -> None:
    """Print each lot's path (current contract, extension or open procedure) and milestones."""
    settings = load_settings()
    moment = as_of_option(as_of) or clock.now(tz=settings.zone)
    with unit(cohort, settings=settings) as u:
        loaded, procurement = u.cohort, u.config.procurement
        amounts = u.config.costs.per_participant_amounts()  # pandas: imported when needed
        summary = plan_cohort(
            loaded, procurement, amounts, moment.date(), session=u.session, store=False
        )
    if output == "csv":
        writer = spreadsheet_writer(sys.stdout, lineterminator="\n")
        writer.writerow(["lot", "path", "milestone", "date"])
        for lot in summary.lots:
            for name, on in lot.milestones:
                if name in CSV_MILESTONES.get(lot.path, ()):
                    writer.writerow([lot.lot, lot.path, name, on.isoformat()])
        return
    echo_tender_summary(summary)
    typer.echo(f"lots={len(summary.lots)} as_of={summary.as_of.isoformat()}")


def echo_tender_summary(summary: TenderingSummary, indent: str = "") -> None:
    """Each lot with its path, status, milestones and notes, readable in a terminal."""
    for lot in summary.lots:
        state = "" if lot.feasible else "  ** NIET HAALBAAR **"
        typer.echo(
            f"{indent}{lot.description} ({lot.lot}): {PATH_LABELS[lot.path]} [{lot.status}]{state}"
        )
        for name, on in lot.milestones:
            typer.echo(f"{indent}  {on.isoformat()}  {MILESTONE_LABELS.get(name, name)}")
        for note in lot.notes:
            typer.echo(f"{indent}  - {note}")

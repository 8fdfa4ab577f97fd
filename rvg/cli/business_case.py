"""``rvg business-case``: write the business case of a cohort as files, without Prefect."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rvg.dutch import euro
from rvg.unit import unit


def business_case(
    cohort: Annotated[str, typer.Option("--cohort", help="Cohort code, e.g. 2027.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the report files.")] = Path("out"),
) -> None:
    """Write business_case.md/.html and scenarios.csv/.xlsx for a cohort; once anything is
    awarded or invoiced, with budget against actual per cost line."""
    from rvg.business_case.service import draw_up  # pandas: when needed

    with unit(cohort) as u:
        drawn = draw_up(u, out, store=False)
    figures, paths = drawn.figures, drawn.paths
    cost = figures.cost
    typer.echo(f"Business case {figures.cohort_name}")
    typer.echo(
        f"  {figures.planned_participants} participants: total {euro(cost.total)}, "
        f"{euro(cost.per_participant)} per participant, saving {euro(cost.saving_per_placement)}"
        " per placement against interim hiring"
    )
    for lot in figures.lots:
        typer.echo(f"  {lot.description}: {lot.notes[0]}")
        for warning in lot.notes[1:]:
            typer.echo(f"    {warning}")
    for path in paths.values():
        typer.echo(f"  wrote {path}")
    typer.echo(
        f"files={len(paths)} participants={figures.planned_participants} "
        f"cost_per_participant={cost.per_participant}"
    )

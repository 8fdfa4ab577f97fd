"""``rvg demo``: the command; the demo itself (web app, SMTP sink, fictitious data) is loaded
only when it runs, so the other commands do not pay for it at start-up."""

from __future__ import annotations

from typing import Annotated, Literal

import typer


def demo(
    scale: Annotated[
        Literal["brabant", "national"],
        typer.Option(
            "--scale",
            help="brabant: 56 municipalities, about 300 applicants and 28 placements; national: "
            "every municipality in 12 provinces, about 5,000 applicants and 400 placements.",
        ),
    ] = "brabant",
    seed: Annotated[int, typer.Option("--seed", help="Seed of the fictitious data.")] = 2027,
    cohort: Annotated[
        str, typer.Option("--cohort", help="Cohort code; its file is config/cohorts/CODE.yaml.")
    ] = "2027",
) -> None:
    """Run the whole cohort cycle day by day on fictitious data and print what happened."""
    from rvg.cli.demo_run import run_demo

    run_demo(cohort, scale, seed)

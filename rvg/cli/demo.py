"""``rvg demo``: the command; the demo itself (web app, SMTP sink, fictitious data) is loaded
only when it runs, so the other commands do not pay for it at start-up."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from rvg.demo.simulation import MAX_COHORTS


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
    cohorts: Annotated[
        int,
        typer.Option(
            "--cohorts",
            min=1,
            max=MAX_COHORTS,
            help="How many cohorts overlap: the first from its business case to its redesign, "
            "each next one from the business case its predecessor's interim redesign proposes, "
            "walked as long as the ones before it.",
        ),
    ] = 2,
) -> None:
    """Run the cohort cycle day by day on fictitious data, cohorts overlapping as a region runs
    them, and print what happened to each."""
    from rvg.cli.demo_run import run_demo

    run_demo(cohort, scale, seed, cohorts)

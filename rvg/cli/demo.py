"""``rvg demo``: the command; the demo itself (web app, SMTP sink, fictitious data) is loaded
only when it runs, so the other commands do not pay for it at start-up."""

from __future__ import annotations

from typing import Annotated

import typer


def demo(
    cohort: Annotated[
        str, typer.Option("--cohort", help="Cohort code; its file is config/cohorts/CODE.yaml.")
    ] = "2027",
    seed: Annotated[int, typer.Option("--seed", help="Seed of the fictitious data.")] = 2027,
) -> None:
    """Run the phases built so far for a cohort on fictitious data and print what happened."""
    from rvg.cli.demo_run import run_demo

    run_demo(cohort, seed)

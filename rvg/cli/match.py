"""``rvg match``: a stable matching from three CSV files, without database or Prefect.

Imports only typer, the standard library and ``rvg.matching``, so the command starts fast.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Literal

import typer

from rvg.matching.algorithm import open_places, rank_distribution, solve, unmatched, verify
from rvg.matching.files import read_instance, write_matching


def match(
    candidates: Annotated[
        Path,
        typer.Option("--candidates", help="C.csv: candidate_id,organisation_id,rank (1 = best)."),
    ],
    organisations: Annotated[
        Path,
        typer.Option("--organisations", help="O.csv: organisation_id,candidate_id,rank."),
    ],
    capacities: Annotated[
        Path, typer.Option("--capacities", help="K.csv: organisation_id,capacity.")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="M.csv to write: candidate_id,organisation_id.")
    ],
    optimal: Annotated[
        Literal["candidate", "organisation"],
        typer.Option(
            "--optimal",
            help="Which side's optimal stable matching: candidate (default; no candidate "
            "gains by misreporting) or organisation.",
        ),
    ] = "candidate",
) -> None:
    """Match candidates to organisations by deferred acceptance, check it and write M.csv.

    A pair can be matched only when each side ranks the other. The result is checked for
    capacities, acceptability and blocking pairs before it is written.
    """
    started = time.perf_counter()
    with _collector_paused():
        instance = read_instance(candidates, organisations, capacities)
        matching = solve(instance, optimal)
        check = verify(instance, matching)
        if not check.ok:
            typer.echo(f"error: the matching failed its own check: {check.describe()}", err=True)
            raise typer.Exit(1)
        write_matching(out, matching, instance.candidate_prefs)
    seconds = time.perf_counter() - started
    listed = len(instance.candidate_prefs)
    for choice, count in rank_distribution(instance, matching).items():
        typer.echo(f"choice {choice}: {count} ({count / listed:.1%})")
    left = open_places(instance, matching)
    not_placed = len(unmatched(instance, matching))
    typer.echo(
        f"matched={listed - not_placed} unmatched_candidates={not_placed} "
        f"open_places={sum(left.values())} blocking_pairs={check.blocking_pairs} "
        f"seconds={seconds:.2f}"
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Without the cyclic garbage collector while a million rows are read and matched.

    Reference counting frees all of those objects; the collector would only scan them again
    and again (a quarter or more of the run time on the largest files). Frozen afterwards, so
    that it does not scan them all at once when it is enabled again either.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()

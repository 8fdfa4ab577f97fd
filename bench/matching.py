"""Benchmark: ``rvg match`` against the PyPI package ``matching`` (HospitalResident).

Seeded random instances with correlated preferences: candidates choose organisations by a
common popularity score plus individual noise (Plackett–Luce), organisations rank their
applicants by a common quality score plus noise and leave about 10% of them unranked
(unacceptable). Sizes: 300 candidates / 40 organisations / 5 choices, 3,000 / 400 / 10 and
40,000 / 5,000 / 12. For each size, measured in the same run:

  rvg e2e      ``python -m rvg.cli.match_main`` as a process: read, validate, solve, verify, write
  rvg match    the same through the whole CLI's dispatch, ``python -m rvg match``
  rvg solve    ``solve()`` on an instance already read (including the mapping of ids to ints)
  matching     a process that reads the same CSV files, builds ``HospitalResident`` (with its
               input checks), solves resident-optimal and writes M.csv; its build and solve
               times; killed after a time bound, and then run once more with the instance
               built without its quadratic input checks, to time its solver and compare

The two M.csv files must be identical where both finish. Prints a table and the ratios.

    .venv/bin/python bench/matching.py [--sizes small,middle,large] [--bound 120]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This file is called matching.py: its folder must not shadow the package ``matching``.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from rvg.matching.algorithm import Instance, solve  # noqa: E402
from rvg.matching.files import read_instance  # noqa: E402

SIZES = {
    "small": (300, 40, 5),
    "middle": (3_000, 400, 10),
    "large": (40_000, 5_000, 12),
}
FILES = ("C.csv", "O.csv", "K.csv")


def generate(folder: Path, candidates: int, organisations: int, choices: int, seed: int) -> None:
    """C.csv, O.csv and K.csv of one seeded random instance with correlated preferences."""
    rng = random.Random(seed)
    orgs = [f"ORG{o:05d}" for o in range(organisations)]
    cands = [f"C{c:06d}" for c in range(candidates)]
    cumulative = list(accumulate(math.exp(rng.gauss(0, 1)) for _ in orgs))  # popularity
    quality = {c: rng.gauss(0, 1) for c in cands}
    applicants: dict[str, list[str]] = {o: [] for o in orgs}
    with (folder / "C.csv").open("w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("candidate_id", "organisation_id", "rank"))
        for c in cands:
            chosen: dict[str, None] = {}  # drawing with replacement, skipping repeats: PL order
            while len(chosen) < choices:
                for o in rng.choices(orgs, cum_weights=cumulative, k=2 * choices):
                    if len(chosen) < choices:
                        chosen.setdefault(o)
            for rank, o in enumerate(chosen, start=1):
                writer.writerow((c, o, rank))
                applicants[o].append(c)
    with (folder / "O.csv").open("w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("organisation_id", "candidate_id", "rank"))
        for o in orgs:
            scored = sorted(
                (-(quality[c] + rng.gauss(0, 0.7)), c) for c in applicants[o] if rng.random() > 0.1
            )
            writer.writerows((o, c, rank) for rank, (_, c) in enumerate(scored, start=1))
    average = 0.9 * candidates / organisations
    with (folder / "K.csv").open("w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("organisation_id", "capacity"))
        writer.writerows((o, rng.randint(1, max(1, round(2 * average) - 1))) for o in orgs)


def run_reference(folder: Path, unchecked: bool) -> None:
    """Child process: the same files through ``matching``; prints its timings as JSON.

    ``matching`` requires mutually consistent lists, so only pairs that both sides rank are
    passed (what ``rvg`` does internally). ``unchecked`` builds the game without its quadratic
    input checks (private ``_make_players``), to time the solver on the largest size.
    """
    import threading
    import warnings

    from matching import BaseGame
    from matching.games import HospitalResident
    from matching.games.hospital_resident import _make_players

    started = time.perf_counter()
    c_rows, o_rows = _rows(folder / "C.csv"), _rows(folder / "O.csv")
    capacities = {o: int(k) for o, k in _rows(folder / "K.csv")}
    ranked_by: dict[str, set[str]] = {}
    for o, c, _ in o_rows:
        ranked_by.setdefault(o, set()).add(c)
    residents: dict[str, list[tuple[int, str]]] = {}
    for c, o, rank in c_rows:
        if c in ranked_by.get(o, ()) and capacities.get(o, 0) > 0:
            residents.setdefault(c, []).append((int(rank), o))
    resident_prefs = {c: [o for _, o in sorted(ranks)] for c, ranks in residents.items()}
    ranks_of: dict[str, list[tuple[int, str]]] = {}
    for o, c, rank in o_rows:
        if o in resident_prefs.get(c, ()):
            ranks_of.setdefault(o, []).append((int(rank), c))
    hospital_prefs = {o: [c for _, c in sorted(ranks)] for o, ranks in ranks_of.items()}
    hospital_capacities = {o: capacities[o] for o in hospital_prefs}
    times: dict[str, float] = {}

    def build_and_solve() -> None:
        before = time.perf_counter()
        if unchecked:
            game = HospitalResident.__new__(HospitalResident)
            BaseGame.__init__(game)
            game.residents, game.hospitals = _make_players(
                resident_prefs, hospital_prefs, hospital_capacities
            )
        else:
            game = HospitalResident.create_from_dictionaries(
                resident_prefs, hospital_prefs, hospital_capacities
            )
        times["build"] = time.perf_counter() - before
        before = time.perf_counter()
        result = game.solve(optimal="resident")
        times["solve"] = time.perf_counter() - before
        placed = {r.name: h.name for h, rs in result.items() for r in rs}
        with (folder / "M_matching.csv").open("w", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(("candidate_id", "organisation_id"))
            writer.writerows((c, placed.get(c, "")) for c in sorted({r[0] for r in c_rows}))

    sys.setrecursionlimit(1_000_000)  # its deepcopy of the linked players recurses deeply
    threading.stack_size(1 << 30)  # ... so deeply that the default C stack would overflow
    warnings.simplefilter("ignore")
    worker = threading.Thread(target=build_and_solve)
    worker.start()
    worker.join()
    times["total"] = time.perf_counter() - started
    print(json.dumps(times))


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8-sig") as f:
        return list(csv.reader(f))[1:]


@dataclass
class Result:
    size: str
    rvg_e2e: float  # python -m rvg.cli.match_main
    rvg_match: float  # python -m rvg match
    rvg_command: float  # the command's own seconds=
    rvg_solve: float
    summary: str
    ref_e2e: float | None = None
    ref_build: float | None = None
    ref_solve: float | None = None
    ref_unchecked: bool = False  # built without its input checks
    identical: bool | None = None


def _timed(command: list[str], timeout: float | None = None) -> tuple[float, str]:
    before = time.perf_counter()
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, check=True, cwd=ROOT
    )
    return time.perf_counter() - before, done.stdout


def measure_rvg(size: str, folder: Path, repeat: int) -> Result:
    files = [folder / file for file in FILES]
    arguments = [
        f"--{name}={path}"
        for name, path in zip(("candidates", "organisations", "capacities"), files, strict=True)
    ]
    arguments.append(f"--out={folder / 'M.csv'}")
    runs = [_timed([sys.executable, "-m", "rvg.cli.match_main", *arguments]) for _ in range(repeat)]
    rvg_e2e, output = min(runs)
    summary = output.strip().splitlines()[-1]
    rvg_match = min(_timed([sys.executable, "-m", "rvg", "match", *arguments])[0] for _ in runs)
    command = min(float(out.strip().rsplit("seconds=", 1)[1]) for _, out in runs)
    instance = read_instance(*files)
    solve_times = []
    for _ in range(repeat):
        fresh = Instance(instance.candidate_prefs, instance.organisation_prefs, instance.capacities)
        before = time.perf_counter()
        solve(fresh)  # fresh: the mapping to ints is part of solving
        solve_times.append(time.perf_counter() - before)
    print(f"  {size}: rvg {summary}", flush=True)
    return Result(size, rvg_e2e, rvg_match, command, min(solve_times), summary)


def measure_reference(result: Result, folder: Path, bound: float) -> None:
    command = [sys.executable, __file__, "--reference", str(folder)]
    try:
        wall, out = _timed(command, timeout=bound)
    except subprocess.TimeoutExpired:
        print(f"  {result.size}: matching did not finish within {bound:.0f} s", flush=True)
        try:
            wall, out = _timed([*command, "--unchecked"], timeout=bound)
        except subprocess.TimeoutExpired:
            print(f"  {result.size}: nor without its input checks", flush=True)
            return
        times = json.loads(out)
        result.ref_build, result.ref_solve = times["build"], times["solve"]
        result.ref_unchecked = True
    else:
        times = json.loads(out)
        result.ref_e2e, result.ref_build, result.ref_solve = wall, times["build"], times["solve"]
    result.identical = (folder / "M.csv").read_bytes() == (folder / "M_matching.csv").read_bytes()
    print(f"  {result.size}: matching {json.dumps({k: round(v, 3) for k, v in times.items()})}")


def _cell(value: float | None, bound: float, mark: str = "") -> str:
    return f"{value:.3f}{mark}" if value is not None else f">{bound:.0f}"


def _ratio(theirs: float | None, ours: float) -> str:
    return f"{theirs / ours:.1f}x" if theirs is not None else "-"


def report(results: list[Result], bound: float) -> None:
    head = ("size", "rvg e2e", "rvg match", "in-cmd", "rvg solve", "m e2e", "m build", "m solve")
    head += ("same", "e2e ratio", "solve ratio")
    table = [head]
    for r in results:
        mark = "*" if r.ref_unchecked else ""
        table.append(
            (
                r.size,
                f"{r.rvg_e2e:.3f}",
                f"{r.rvg_match:.3f}",
                f"{r.rvg_command:.2f}",
                f"{r.rvg_solve:.3f}",
                _cell(r.ref_e2e, bound),
                _cell(r.ref_build, bound, mark),
                _cell(r.ref_solve, bound, mark),
                {None: "n/a", True: "yes", False: "NO"}[r.identical],
                _ratio(r.ref_e2e, r.rvg_e2e),
                _ratio(r.ref_solve, r.rvg_solve) + mark,
            )
        )
    widths = [max(len(row[k]) for row in table) for k in range(len(head))]
    print()
    for row in table:
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))
    print(
        "seconds, best of the rvg runs. e2e: wall time of a process (read, validate, solve, "
        "verify, write)\nrvg e2e: python -m rvg.cli.match_main; rvg match: python -m rvg match"
        "\nin-cmd: the command's own seconds=; m: the package "
        "matching (read + build with its input checks + solve + write)\n"
        "*: built without its input checks (private _make_players), as they did not finish"
    )
    by_size = {r.size: r for r in results}
    middle, large = by_size.get("middle"), by_size.get("large")
    if middle and middle.ref_e2e:
        ratio = middle.ref_e2e / middle.rvg_e2e
        print(f"middle end to end, matching / rvg: {ratio:.1f}x; aim >= 50x")
    if large:
        print(
            f"large end to end: rvg {large.rvg_e2e:.2f} s (rvg match {large.rvg_match:.2f} s, "
            f"in-command {large.rvg_command:.2f} s); aim < 3 s"
        )
        if large.ref_e2e is None:
            print(f"large: matching did not finish end to end within {bound:.0f} s")
    if any(r.identical is False for r in results):
        sys.exit("results differ from matching")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small,middle,large")
    parser.add_argument("--bound", type=float, default=120.0, help="seconds allowed to matching")
    parser.add_argument("--repeat", type=int, default=3, help="rvg runs per size; the best counts")
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--reference", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--unchecked", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference:
        run_reference(args.reference, args.unchecked)
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="rvg-bench-matching-") as tmp:
        for size in args.sizes.split(","):
            folder = Path(tmp) / size
            folder.mkdir()
            generate(folder, *SIZES[size], seed=args.seed)
            result = measure_rvg(size, folder, args.repeat)
            measure_reference(result, folder, args.bound)
            results.append(result)
    report(results, args.bound)


if __name__ == "__main__":
    main()

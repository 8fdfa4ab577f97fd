"""Benchmark: the cohort cycle (`rvg demo`): two overlapping cohorts at brabant scale, one
cohort at national scale.

For each scale the same demo runs twice, each in a fresh process and database:

* **orchestrated** — as `make demo` runs it: the cycle flow with every phase as a subflow and
  every step as a task, on an ephemeral Prefect server (or PREFECT_API_URL when set);
* **baseline** — the same code with Prefect's orchestration taken out: flows and tasks are
  called as the plain functions they wrap, logs go to Python logging, artifacts and events
  are dropped. The domain work (database, rules, rendering, e-mail to the sink, web forms,
  imports) is identical, so the difference is what orchestration costs.

Printed per scale: wall time of the whole demo and of the cycle alone, peak memory (RSS),
flow and task runs, e-mails, and the orchestration share = 1 - baseline / orchestrated.
Aims: brabant (two cohorts) < 2 min, national (one) < 10 min, peak memory < 1 GiB,
orchestration share < 30 %.

    .venv/bin/python bench/cycle.py                     # both scales
    .venv/bin/python bench/cycle.py --scales brabant    # one
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AIMS = {"brabant": 120.0, "national": 600.0}
COHORTS = {"brabant": 2, "national": 1}  # the demo's overlapping cohorts at each scale
PEAK_AIM_MIB = 1024
MARK = "BENCH-RESULT "


def _strip_orchestration() -> None:
    """Make flows and tasks plain function calls (baseline only; before flows are imported)."""
    import logging
    import uuid

    import prefect
    import prefect.artifacts
    import prefect.events
    from prefect import Flow, Task

    def call_flow(self: Flow, *args: Any, **kwargs: Any) -> Any:  # type: ignore[type-arg]
        return self.fn(*args, **kwargs)

    def call_task(self: Task, *args: Any, **kwargs: Any) -> Any:  # type: ignore[type-arg]
        if self.name == "count-runs":
            return 0, 0  # there is no server to count runs on
        return self.fn(*args, **kwargs)

    Flow.__call__ = call_flow  # type: ignore[method-assign]
    Task.__call__ = call_task  # type: ignore[method-assign]
    logger = logging.getLogger("rvg.bench")
    prefect.get_run_logger = lambda *a, **k: logger  # type: ignore[assignment]
    for name in ("create_markdown_artifact", "create_table_artifact", "update_progress_artifact"):
        setattr(prefect.artifacts, name, lambda *a, **k: None)
    prefect.artifacts.create_progress_artifact = lambda *a, **k: uuid.uuid4()  # type: ignore[assignment]
    prefect.events.emit_event = lambda *a, **k: None  # type: ignore[assignment]
    import flows._overview  # the runs waiting for a form are the server's to know

    flows._overview.waiting_runs = lambda cohort: []  # type: ignore[assignment]


def child(mode: str, scale: str, seed: int) -> None:
    """Run one demo in this process and print its figures as one JSON line."""
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    if mode == "baseline":
        _strip_orchestration()
    import rvg.cli.demo_run as demo_run

    timing: dict[str, float] = {}
    load_flow = demo_run.load_flow

    def timed_flow(module: str, name: str) -> Any:
        flow = load_flow(module, name)

        def run(**kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return flow(**kwargs)
            finally:
                timing["cycle"] = time.perf_counter() - started

        return run

    demo_run.load_flow = timed_flow  # type: ignore[assignment]
    started = time.perf_counter()
    demo_run.run_demo("2027", scale, seed, COHORTS[scale])  # type: ignore[arg-type]
    timing["total"] = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(MARK + json.dumps({**timing, "peak_mib": peak_mib}), flush=True)


def _run(mode: str, scale: str, seed: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"rvg-bench-{scale}-{mode}-") as folder:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("RVG_")}
        environment["PREFECT_HOME"] = str(Path(folder) / "prefect")
        result = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child", mode, scale, str(seed)],
            capture_output=True,
            text=True,
            cwd=folder,
            env=environment,
            check=False,
        )
    if result.returncode != 0:
        sys.exit(f"{scale}/{mode} failed:\n{result.stderr[-4000:]}")
    lines = result.stdout.splitlines()
    figures = json.loads(next(line for line in lines if line.startswith(MARK))[len(MARK) :])
    summary = next(line for line in lines if line.startswith("scale="))
    figures |= {k: v for k, v in (item.split("=", 1) for item in summary.split())}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", nargs="+", default=["brabant", "national"])
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)  # MODE SCALE SEED
    args = parser.parse_args()
    if args.child:
        mode, scale, seed = args.child
        child(mode, scale, int(seed))
        return
    print(
        f"{'scale':<9} {'mode':<13} {'total s':>8} {'cycle s':>8} {'peak MiB':>9} "
        f"{'flows':>6} {'tasks':>6} {'e-mails':>8}"
    )
    for scale in args.scales:
        runs = {mode: _run(mode, scale, args.seed) for mode in ("orchestrated", "baseline")}
        for mode, f in runs.items():
            print(
                f"{scale:<9} {mode:<13} {f['total']:>8.1f} {f['cycle']:>8.1f} "
                f"{f['peak_mib']:>9.0f} {f['flow_runs']:>6} {f['task_runs']:>6} "
                f"{f['emails_received']:>8}"
            )
        orchestrated, baseline = runs["orchestrated"], runs["baseline"]
        share_total = 1 - baseline["total"] / orchestrated["total"]
        share_cycle = 1 - baseline["cycle"] / orchestrated["cycle"]
        aim = AIMS[scale]
        ratio_total = orchestrated["total"] / baseline["total"]
        ratio_cycle = orchestrated["cycle"] / baseline["cycle"]
        print(
            f"{scale:<9} ratio orchestrated/baseline: total {ratio_total:.2f}, "
            f"cycle {ratio_cycle:.2f}; orchestration share: "
            f"{share_total:.0%} of the demo, {share_cycle:.0%} of the cycle (aim < 30%: "
            f"{'met' if share_total < 0.3 else 'not met'}); wall {orchestrated['total']:.0f} s "
            f"(aim < {aim:.0f} s: {'met' if orchestrated['total'] < aim else 'not met'}); "
            f"peak {orchestrated['peak_mib']:.0f} MiB (aim < {PEAK_AIM_MIB} MiB: "
            f"{'met' if orchestrated['peak_mib'] < PEAK_AIM_MIB else 'not met'})"
        )


if __name__ == "__main__":
    main()

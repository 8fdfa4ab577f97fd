"""Benchmark: many people saving a form at the same moment, through the real web app.

The app runs under uvicorn on loopback against a new SQLite database (or ``--database-url``).
Measured in one run, each on survey links of their own:

  (a) one after another — N posts to N different links, sequentially: the baseline
  (b) different links   — N posts to N different links, all at once
  (c) one link          — N posts to the same link, all at once (versions 1..N)

While (b) and (c) run, the health page is asked every 50 ms. Prints, per case, the seconds it
all took, posts per second, the median and slowest answer, the slowest health answer and the
status codes; and the throughput of (b) and (c) against (a). A server that blocks its event
loop on the database shows here as minutes, 500s or a health page that stops answering.

    .venv/bin/python bench/web_parallel.py [--people 20] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rvg.db import make_engine, make_sessionmaker  # noqa: E402
from rvg.migrate import upgrade  # noqa: E402
from rvg.settings import Settings  # noqa: E402
from rvg.web.app import create_app  # noqa: E402
from rvg.web.server import BackgroundServer  # noqa: E402
from tests.utils.surveys import ANSWERS, survey_round, survey_token  # noqa: E402
from tests.utils.web import Burst, Clock, HealthWatch, post_all  # noqa: E402

SURVEY_DAY = datetime(2027, 12, 10, 11, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def line(name: str, burst: Burst, health: float | None) -> str:
    statuses = ", ".join(f"{code}×{n}" for code, n in sorted(Counter(burst.statuses).items()))
    watched = f"{health:6.2f} s" if health is not None else "     –  "
    return (
        f"{name:<22} {burst.took:7.2f} s {len(burst.statuses) / burst.took:8.1f}/s "
        f"{statistics.median(burst.latencies):7.3f} s {max(burst.latencies):7.3f} s "
        f"{watched}   {statuses}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--database-url", help="default: a new SQLite file")
    args = parser.parse_args()
    if args.people < 1:
        parser.error("--people must be at least 1")

    with tempfile.TemporaryDirectory(prefix="rvg-bench-web-") as folder:
        engine = make_engine(args.database_url or f"sqlite:///{folder}/bench.sqlite")
        upgrade(engine)
        round_id = survey_round(engine)
        links = [[f"/enquete/{survey_token(engine, round_id)}" for _ in range(args.people)]]
        links.append([f"/enquete/{survey_token(engine, round_id)}" for _ in range(args.people)])
        same = [f"/enquete/{survey_token(engine, round_id)}"] * args.people

        app = create_app(Settings(), make_sessionmaker(engine), now=Clock(SURVEY_DAY))
        with BackgroundServer(app) as server:
            post_all(server.url, [same[0]], ANSWERS)  # warm up: imports, templates, pool
            sequential = post_all(server.url, links[0], ANSWERS, parallel=False)
            with HealthWatch(server.url) as watch_different:
                different = post_all(server.url, links[1], ANSWERS)
            with HealthWatch(server.url) as watch_same:
                one_link = post_all(server.url, same, ANSWERS)
        engine.dispose()

    print(f"{args.people} people, {engine.dialect.name}")
    print(f"{'case':<22} {'total':>9} {'posts':>10} {'median':>9} {'slowest':>9} {'health':>8}")
    print(line("(a) one after another", sequential, None))
    print(line("(b) different links", different, watch_different.slowest))
    print(line("(c) one link", one_link, watch_same.slowest))
    base = args.people / sequential.took
    print(
        f"throughput against (a): (b) {args.people / different.took / base:.2f}×, "
        f"(c) {args.people / one_link.took / base:.2f}×"
    )
    failed = watch_different.failures + watch_same.failures
    if failed:
        print(f"health page failures: {failed}")


if __name__ == "__main__":
    main()

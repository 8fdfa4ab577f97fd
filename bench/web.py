"""Benchmark: the public pages and the forms under load, at national scale on PostgreSQL.

The app runs under uvicorn on loopback against a fresh PostgreSQL schema (``--database-url``
for another database) holding the national region, cohort 2027 in its campaign and 120
organisations taking part, each with a published information page. An async load generator
in the same process plays ``--clients`` visitors at once against each page in turn: each
asks for the page, reads it, and asks again after a pause (``--think`` seconds on average,
drawn at random: people read a page before they click). A static file served by the same
server in the same run is the baseline: what the server, the loop and the load generator
cost without any page work. ``--think 0`` keeps every visitor's next request waiting at the
door: then the figures measure throughput, and every answer waits for the 49 before it.

Printed per page: requests, median, p95 and slowest answer in milliseconds, errors, and the
p95 against the static file's. Aims: the landing page, the information pages and the forms'
GET under 50 ms at p95, and no error.

    .venv/bin/python bench/web.py [--clients 50] [--requests 1000] [--think 1.0]
                                  [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import select  # noqa: E402

from rvg.db import make_engine, make_sessionmaker, session_scope  # noqa: E402
from rvg.information.profiles import (  # noqa: E402
    ProfileAnswer,
    profile_view,
    publish_profile,
    save_profile,
)
from rvg.migrate import upgrade  # noqa: E402
from rvg.models import (  # noqa: E402
    Commitment,
    CommitmentVacancy,
    Invitation,
    InvitationPurpose,
)
from rvg.programme import create_cohort  # noqa: E402
from rvg.repositories.invitations import issue_link  # noqa: E402
from rvg.repositories.organisations import list_organisations  # noqa: E402
from rvg.settings import Settings  # noqa: E402
from rvg.web.app import create_app  # noqa: E402
from rvg.web.server import BackgroundServer  # noqa: E402
from tests.utils.databases import PostgresServer  # noqa: E402
from tests.utils.web import Clock  # noqa: E402

ZONE = ZoneInfo("Europe/Amsterdam")
CAMPAIGN = datetime(2027, 3, 10, 12, 0, tzinfo=ZONE)
TAKING_PART = 120
AIM_MS = 50.0
TEXT = (
    "Team Ruimte van {name}: een team van vijftien collega's dat werkt aan het omgevingsplan, "
    "de woningbouw en de mobiliteit. Je begint met een eigen dossier en groeit door naar meer."
)


def national_config(folder: Path) -> Path:
    """config/ with the national region laid over it, as ``rvg demo --scale national``."""
    target = folder / "config"
    source = ROOT / "config"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("scales", "history"))
    shutil.copytree(source / "scales" / "national", target, dirs_exist_ok=True)
    return target


def fill(url: str, config_dir: Path) -> dict[str, list[str]]:
    """The campaign's database; returns the paths to load, by page."""
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    paths: dict[str, list[str]] = {"information page": [], "profile form (GET)": []}
    with session_scope(sessions) as session:
        cohort = create_cohort(
            "2027",
            config_dir / "cohorts" / "2027.yaml",
            config_dir,
            session=session,
            as_of=date(2026, 6, 1),
        ).cohort
        at = datetime(2027, 1, 10, tzinfo=ZONE)
        for organisation in list_organisations(session=session)[:TAKING_PART]:
            commitment = Commitment(
                cohort_id=cohort.id,
                organisation_id=organisation.id,
                status="committed",
                agrees_to_costs=True,
                version=1,
            )
            commitment.vacancies = [
                CommitmentVacancy(track_code=t.track_code, vacancies=1) for t in cohort.tracks
            ]
            session.add(commitment)
            invitation = Invitation(
                purpose=InvitationPurpose.PROFILE.value,
                cohort_id=cohort.id,
                organisation_id=organisation.id,
                expires_at=datetime(2027, 8, 1, tzinfo=ZONE),
            )
            session.add(invitation)
            session.flush()
            view = profile_view(invitation, session=session, zone=ZONE)
            texts = [TEXT.format(name=organisation.name)] * 5
            answer = ProfileAnswer(*texts, f"werken@{organisation.code.lower()}.example")
            publish_profile(
                view, save_profile(view, answer, session=session, now=at).version, now=at
            )
            issued = issue_link(invitation.id, session=session)
            assert issued is not None
            paths["information page"].append(f"/kandidaten/2027/{organisation.code}")
            paths["profile form (GET)"].append(f"/informatiepagina/{issued[1]}")
        assert session.scalar(select(Commitment.id)) is not None
    engine.dispose()
    return {
        "static file (baseline)": ["/static/rvg.css"],
        "landing page": ["/kandidaten"],
        "page for organisations": ["/organisaties"],
        **paths,
        "Q&A form (GET)": ["/kandidaten/vragenuur"],
    }


async def load(
    base: str, paths: list[str], clients: int, requests: int, think: float
) -> tuple[list[float], int]:
    """``requests`` GETs spread over ``paths`` by ``clients`` visitors, each pausing ``think``
    seconds on average between two; (seconds each, errors)."""
    latencies: list[float] = []
    errors = 0
    todo = iter(range(requests))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def worker(number: int) -> None:
            nonlocal errors
            pause = random.Random(number)
            await asyncio.sleep(pause.uniform(0, think))  # visitors arrive spread out
            for n in todo:
                started = time.perf_counter()
                try:
                    response = await client.get(paths[n % len(paths)])
                    if response.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - started)
                if think:
                    await asyncio.sleep(pause.expovariate(1 / think))

        await asyncio.gather(*(worker(number) for number in range(clients)))
    return latencies, errors


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=1000, help="per page")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause, seconds")
    parser.add_argument("--database-url", help="default: a fresh schema on local PostgreSQL")
    args = parser.parse_args()
    if args.clients < 1 or args.requests < 20 or not 0 <= args.think <= 60:
        parser.error("--clients at least 1, --requests at least 20, --think 0 to 60 seconds")
    server = PostgresServer.from_environment()
    url = args.database_url
    if url is None:
        unreachable = server.unreachable_reason()
        if unreachable:
            sys.exit(f"PostgreSQL is not reachable: {unreachable}")
        url = server.new_schema_url()
    try:
        with tempfile.TemporaryDirectory(prefix="rvg-bench-web-") as folder:
            config_dir = national_config(Path(folder))
            pages = fill(url, config_dir)
            settings = Settings(database_url=url, config_dir=config_dir)
            engine = make_engine(url, pool_size=args.clients)
            app = create_app(settings, make_sessionmaker(engine), now=Clock(CAMPAIGN))
            results = {}
            with BackgroundServer(app) as served:
                for name, paths in pages.items():
                    asyncio.run(load(served.url, paths, args.clients, 50, 0))  # warm up
                    results[name] = asyncio.run(
                        load(served.url, paths, args.clients, args.requests, args.think)
                    )
            engine.dispose()
    finally:
        server.drop_created_schemas()

    base = p95(results["static file (baseline)"][0])
    print(
        f"{args.clients} visitors (pausing {args.think:g} s on average), {args.requests} "
        f"requests a page, {TAKING_PART} organisations, {engine.dialect.name}"
    )
    print(f"{'page':<24} {'median':>8} {'p95':>8} {'slowest':>8} {'errors':>7} {'p95/static':>11}")
    met = True
    for name, (latencies, errors) in results.items():
        high = p95(latencies)
        aim = name != "static file (baseline)"
        met &= not errors and (not aim or high * 1000 < AIM_MS)
        print(
            f"{name:<24} {statistics.median(latencies) * 1000:7.1f}ms {high * 1000:7.1f}ms "
            f"{max(latencies) * 1000:7.1f}ms {errors:>7} {high / base:10.1f}×"
        )
    print(f"aim: p95 < {AIM_MS:.0f} ms for every page, no error: {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()

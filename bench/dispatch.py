"""Benchmark: the outbox dispatcher against a naive sender and the raw SMTP ceiling.

Measured in one run, against the same local SMTP server in another process:
  (a) dispatcher  — rvg's dispatcher end to end: claim, render, send, record (database)
  (b) naive       — render, then aiosmtplib.send() per message: one connection each, sequential
  (c) ceiling     — pre-rendered messages over reused connections, same concurrency, no database

Prints messages/s of each and the ratios a/b and a/c.

    .venv/bin/python bench/dispatch.py [--messages 10000] [--concurrency 8] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import aiosmtplib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rvg.db import make_engine, make_sessionmaker  # noqa: E402
from rvg.loopback import free_port  # noqa: E402
from rvg.migrate import upgrade  # noqa: E402
from rvg.notifications.dispatcher import dispatch  # noqa: E402
from rvg.notifications.message import OutgoingEmail, build_message  # noqa: E402
from rvg.notifications.rendering import render  # noqa: E402
from rvg.settings import Settings  # noqa: E402
from tests.utils.outbox import CONTEXT, fill_outbox  # noqa: E402

NOW = datetime(2027, 9, 1, 8, 0, tzinfo=UTC)


def start_server(port: int) -> subprocess.Popen[str]:
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "smtp_discard_server.py"), "--port", str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None and server.stdout.readline().strip() == "ready"
    return server


def message_for(n: int, settings: Settings) -> OutgoingEmail:
    return build_message(
        render("test", CONTEXT),
        key=f"bench:{n}",
        sender=settings.mail_from,
        to=f"r{n}@example.org",
        domain=settings.mail_domain,
        date=NOW,
    )


def run_dispatcher(count: int, concurrency: int, settings: Settings) -> float:
    engine = make_engine(settings.database_url)
    upgrade(engine)
    fill_outbox(engine, count, due_at=NOW)
    start = time.perf_counter()
    report = asyncio.run(
        dispatch(make_sessionmaker(engine), settings, as_of=NOW, concurrency=concurrency)
    )
    elapsed = time.perf_counter() - start
    engine.dispose()
    assert report.sent == count, report.summary()
    return elapsed


async def naive(count: int, settings: Settings) -> float:
    start = time.perf_counter()
    for n in range(count):
        message = message_for(n, settings)
        await aiosmtplib.send(
            message.data,
            sender=message.sender,
            recipients=[message.recipient],
            hostname="127.0.0.1",
            port=settings.smtp_port,
        )
    return time.perf_counter() - start


async def ceiling(count: int, concurrency: int, settings: Settings) -> float:
    messages = [message_for(n, settings) for n in range(count)]
    queue: asyncio.Queue = asyncio.Queue()
    for message in messages:
        queue.put_nowait(message)

    async def worker() -> None:
        async with aiosmtplib.SMTP(hostname="127.0.0.1", port=settings.smtp_port) as client:
            while not queue.empty():
                message = queue.get_nowait()
                await client.sendmail(message.sender, [message.recipient], message.data)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args()

    port = free_port()
    server = start_server(port)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite"
        settings = Settings(database_url=url, smtp_port=port)
        try:
            seconds = {
                "dispatcher": run_dispatcher(args.messages, args.concurrency, settings),
                "naive": asyncio.run(naive(args.messages, settings)),
                "ceiling": asyncio.run(ceiling(args.messages, args.concurrency, settings)),
            }
        finally:
            server.terminate()
            server.wait()

    rate = {name: args.messages / s for name, s in seconds.items()}
    backend = url.split(":", 1)[0]
    print(f"messages={args.messages} concurrency={args.concurrency} database={backend}")
    for name, label in (
        ("dispatcher", "(a) dispatcher"),
        ("naive", "(b) naive"),
        ("ceiling", "(c) ceiling"),
    ):
        print(f"{label:<16} {seconds[name]:8.2f} s  {rate[name]:8.0f} msg/s")
    print(
        f"a/b={rate['dispatcher'] / rate['naive']:.2f} (aim >= 1.5)  "
        f"a/c={rate['dispatcher'] / rate['ceiling']:.2f} (aim >= 0.6)"
    )


if __name__ == "__main__":
    main()

"""``rvg dispatch``, ``rvg notify test`` and ``rvg smtp-sink``: the outbox from the command line."""

from __future__ import annotations

import signal
import threading
import uuid
from pathlib import Path
from typing import Annotated

import typer

from rvg import clock
from rvg.cli._options import as_of_option
from rvg.cli._prefect import load_flow
from rvg.errors import UserError
from rvg.migrate import migrated_sessionmaker
from rvg.notifications import enqueue
from rvg.notifications.safety import UnsafeDryRun, refuse_shifted_clock
from rvg.settings import load_settings
from rvg.unit import unit

FAILED_EXIT_CODE = 4  # some e-mails failed for good (0: all sent or waiting, 2/3: user errors)
notify_app = typer.Typer(help="Send e-mail through the outbox.", no_args_is_help=True)


def dispatch(
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Send what is due at this ISO date/time (default: now)."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Send at most this many e-mails.")
    ] = None,
    concurrency: Annotated[
        int | None,
        typer.Option("--concurrency", min=1, max=64, help="SMTP connections used at once."),
    ] = None,
) -> None:
    """Run the dispatcher flow once: send the due e-mails and record the outcomes.

    Exits with 4 when e-mails failed for good in this run, so a scheduler or operator notices;
    the last line keeps the counts either way.
    """
    moment = as_of_option(as_of)
    settings = load_settings()
    if moment is not None:  # one clear line before Prefect starts; the dispatcher checks too
        try:
            refuse_shifted_clock(
                clock.utcnow(moment, settings.zone),
                clock.utcnow(tz=settings.zone),
                settings.smtp_host,
            )
        except UnsafeDryRun as exc:
            raise UserError(f"not sending: {exc}") from None
    migrated_sessionmaker()  # an unusable database is one clear line before Prefect starts
    dispatch_notifications = load_flow("dispatch", "dispatch_notifications")
    summary = dispatch_notifications(as_of=moment, limit=limit, concurrency=concurrency)
    typer.echo(summary.line())
    if summary.failed:
        raise typer.Exit(FAILED_EXIT_CODE)


@notify_app.command("test")
def notify_test(
    to: Annotated[str, typer.Option("--to", help="Address that receives the test e-mails.")],
    count: Annotated[int, typer.Option("--count", min=1, max=10_000, help="How many.")] = 1,
) -> None:
    """Enqueue test e-mails, due now; send them with `rvg dispatch`."""
    settings = load_settings()
    moment = clock.now(tz=settings.zone)
    batch = uuid.uuid4().hex[:12]
    with unit(settings=settings) as u:
        for number in range(1, count + 1):
            enqueue(
                u.session,
                key=f"test:{batch}:{number}",
                to=to,
                template="test",
                context={
                    "number": number,
                    "total": count,
                    "requested_at": f"{moment:%d-%m-%Y %H:%M}",
                },
                due_at=moment,
            )
    typer.echo(f"enqueued={count} batch={batch}")


def smtp_sink(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8025,
    maildir: Annotated[
        Path, typer.Option("--maildir", help="Folder for the received .eml files.")
    ] = Path("var/mail"),
) -> None:
    """Run a local SMTP server that stores every message as an .eml file (Ctrl-C stops it)."""
    from rvg.notifications.sink import start_sink

    try:
        controller, handler = start_sink(host, port, maildir)
    except OSError as exc:
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    typer.echo(f"SMTP sink on {host}:{port}, writing to {maildir.resolve()}", err=True)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()
    controller.stop()
    typer.echo(f"received={handler.received}")

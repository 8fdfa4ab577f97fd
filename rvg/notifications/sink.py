"""A local SMTP sink for development and the demo: every message becomes an ``.eml`` file.

Any mail client opens the files; nothing leaves the machine.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import socket
import threading
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class MaildirHandler:
    """aiosmtpd handler that writes each received message to ``folder`` as NNNNNN-<pid>.eml."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._numbers = itertools.count(len(list(folder.glob("*.eml"))) + 1)
        self._lock = threading.Lock()
        self.received = 0
        self.on_received: Any = None  # called with each new count, e.g. to share it

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            number = next(self._numbers)
            self.received += 1
        path = self.folder / f"{number:06d}-{os.getpid()}.eml"
        data = envelope.original_content or envelope.content
        # owner-only: a caught e-mail holds a name, an address and a working link
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(descriptor, "wb") as handle:
            handle.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        if self.on_received is not None:
            self.on_received(self.received)
        return "250 Message accepted for delivery"


def start_sink(host: str, port: int, folder: Path) -> tuple[Controller, MaildirHandler]:
    """Start the sink in a background thread; stop it with ``controller.stop()``."""
    handler = MaildirHandler(folder)
    controller = Controller(handler, hostname=host, port=port, server_hostname="rvg-smtp-sink")
    controller.start()
    return controller, handler


class SinkProcess:
    """The sink in a process of its own, so that receiving mail does not compete with the
    sender for one interpreter: the demo sends tens of thousands of messages.

    ``received`` counts the messages stored so far; ``stop()`` ends the process.
    """

    def __init__(self, host: str, port: int, folder: Path) -> None:
        context = multiprocessing.get_context("spawn")
        self._count = context.Value("q", 0)
        self._stop = context.Event()
        ready, report = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_serve,
            args=(host, port, folder, self._count, self._stop, report),
            name="rvg-smtp-sink",
            daemon=True,
        )
        self._process.start()
        report.close()
        try:
            error = ready.recv() if ready.poll(60) else "the SMTP sink did not start within 60 s"
        except EOFError:
            error = "the SMTP sink stopped while starting"
        if error:
            self.stop()
            raise OSError(error)

    @property
    def received(self) -> int:
        return int(self._count.value)

    def stop(self) -> None:
        self._stop.set()
        self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()


def _serve(host: str, port: int, folder: Path, count: Any, stop: Event, report: Connection) -> None:
    try:
        with socket.socket() as probe:  # fails at once, where aiosmtpd waits for a timeout
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
        controller, handler = start_sink(host, port, folder)
    except OSError as exc:
        report.send(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
        return
    except Exception as exc:  # reported to the parent, which raises it
        report.send(f"the SMTP sink failed to start: {exc}")
        return

    def share(received: int) -> None:
        count.value = received

    handler.on_received = share
    report.send("")
    report.close()
    stop.wait()
    controller.stop()

"""A local SMTP sink for development and the demo: every message becomes an ``.eml`` file.

Any mail client opens the files; nothing leaves the machine.
"""

from __future__ import annotations

import itertools
import os
import threading
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
        return "250 Message accepted for delivery"


def start_sink(host: str, port: int, folder: Path) -> tuple[Controller, MaildirHandler]:
    """Start the sink in a background thread; stop it with ``controller.stop()``."""
    handler = MaildirHandler(folder)
    controller = Controller(handler, hostname=host, port=port, server_hostname="rvg-smtp-sink")
    controller.start()
    return controller, handler

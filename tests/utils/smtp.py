"""A real SMTP server on loopback (aiosmtpd) whose behaviour a test can script."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller

from rvg.loopback import free_port

__all__ = ["ScriptedHandler", "SmtpTestServer", "free_port"]


@dataclass
class ScriptedHandler:
    """Accepts mail, unless told otherwise.

    ``data_replies``: replies given to DATA before accepting, in order (e.g. ``["451 busy"]``
    makes every message fail once per entry). ``refused``: recipients refused at RCPT with
    ``refuse_reply``. ``delay``: seconds to wait before answering DATA.
    """

    data_replies: list[str] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)
    refuse_reply: str = "550 5.1.1 Mailbox unavailable"
    delay: float = 0.0
    messages: list[Message] = field(default_factory=list)
    _per_message: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refused:
            return self.refuse_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.original_content or envelope.content)
        with self._lock:
            seen = self._per_message[message["Message-ID"]]
            self._per_message[message["Message-ID"]] += 1
            if seen < len(self.data_replies):
                return self.data_replies[seen]
            self.messages.append(message)
        return "250 Accepted"

    @property
    def message_ids(self) -> list[str]:
        with self._lock:
            return [str(m["Message-ID"]).strip() for m in self.messages]


class SmtpTestServer:
    def __init__(self, handler: ScriptedHandler | None = None, port: int | None = None) -> None:
        self.handler = handler or ScriptedHandler()
        self.port = port or free_port()
        self._controller: Controller | None = None

    def start(self) -> SmtpTestServer:
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpTestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

"""Sending over SMTP with aiosmtplib: one reused connection per dispatcher worker.

Every failure is classified: 4xx replies, timeouts and connection errors are worth another
try later; 5xx replies are permanent, with the server's code and message kept.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import aiosmtplib

from rvg.notifications.claims import OutcomeKind
from rvg.notifications.message import OutgoingEmail
from rvg.settings import Settings

TRANSIENT_ERRORS = (
    aiosmtplib.SMTPServerDisconnected,
    aiosmtplib.SMTPConnectError,
    aiosmtplib.SMTPTimeoutError,
    ConnectionError,
    TimeoutError,
    OSError,
)


@dataclass(frozen=True)
class SendResult:
    kind: OutcomeKind
    code: int | None = None
    error: str | None = None


def classify(code: int, message: str) -> SendResult:
    kind: OutcomeKind = "retry" if 400 <= code < 500 else "failed"
    return SendResult(kind, code, f"{code} {message}".strip())


class SmtpConnection:
    """A lazily opened connection that reconnects after the server hung up."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._client: aiosmtplib.SMTP | None = None

    async def _connected(self) -> aiosmtplib.SMTP:
        if self._client is not None and self._client.is_connected:
            return self._client
        settings = self._settings
        client = aiosmtplib.SMTP(
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            timeout=settings.smtp_timeout_seconds,
            use_tls=settings.smtp_tls == "tls",
            start_tls=settings.smtp_tls == "starttls",
        )
        await client.connect()
        if settings.smtp_username and settings.smtp_password:
            await client.login(settings.smtp_username, settings.smtp_password.get_secret_value())
        self._client = client
        return client

    async def send(self, message: OutgoingEmail) -> SendResult:
        try:
            client = await self._connected()
            await client.sendmail(message.sender, [message.recipient], message.data)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            refusal = exc.recipients[0]
            return classify(refusal.code, refusal.message)
        except aiosmtplib.SMTPResponseException as exc:
            if self._client is None or not self._client.is_connected:
                await self.close()  # e.g. a 421 greeting: the server is closing
            return classify(exc.code, exc.message)
        except TRANSIENT_ERRORS as exc:
            await self.close()
            return SendResult("retry", None, f"{type(exc).__name__}: {exc}")
        return SendResult("sent")

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            if client.is_connected:
                await client.quit()
        except (aiosmtplib.SMTPException, OSError):
            client.close()


class RateLimiter:
    """At most ``per_minute`` sends a minute, spread evenly, shared by all workers."""

    def __init__(self, per_minute: int | None) -> None:
        self._interval = 60.0 / per_minute if per_minute else 0.0
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        if not self._interval:
            return
        async with self._lock:
            now = time.monotonic()
            delay = self._next - now
            self._next = max(now, self._next) + self._interval
        if delay > 0:
            await asyncio.sleep(delay)

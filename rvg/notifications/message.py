"""Turning a rendered e-mail into the bytes sent over SMTP, with the headers we promise.

The MIME structure is fixed (multipart/alternative: plain text, then HTML, both UTF-8 in
base64), so it is written directly rather than through ``email.message``: the standard
library's generator cost more per message than the whole SMTP exchange (bench/dispatch.py).
The tests parse the result back with the standard library's strict parser.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime
from email.header import Header
from email.utils import format_datetime, formataddr, parseaddr
from functools import lru_cache

from rvg.notifications.attachments import Attachment
from rvg.notifications.rendering import RenderedEmail

CRLF = "\r\n"


@dataclass(frozen=True)
class OutgoingEmail:
    """One message ready for the wire: envelope addresses and the RFC 5322 bytes."""

    sender: str
    recipient: str
    message_id: str
    data: bytes


def message_id(key: str, domain: str) -> str:
    """The same outbox key always gives the same Message-ID, so a resend is recognisable."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"<{digest}@{domain}>"


def encode_header(value: str) -> str:
    """ASCII as it is; anything else as RFC 2047 encoded words, folded."""
    value = " ".join(value.split())
    return value if value.isascii() else Header(value, "utf-8").encode(linesep=CRLF)


@lru_cache(maxsize=16)
def _sender(sender: str) -> tuple[str, str]:
    """(envelope address, From header) for a configured sender such as ``Naam <a@b.nl>``."""
    name, address = parseaddr(sender)
    return address, formataddr((name, address), charset="utf-8")


def _part(content_type: str, body: str) -> str:
    canonical = CRLF.join(body.splitlines()) + CRLF
    encoded = base64.encodebytes(canonical.encode("utf-8")).decode("ascii").replace("\n", CRLF)
    return (
        f'Content-Type: {content_type}; charset="utf-8"{CRLF}'
        f"Content-Transfer-Encoding: base64{CRLF}{CRLF}{encoded}"
    )


def _attachment_part(attachment: Attachment) -> str:
    encoded = base64.encodebytes(attachment.content).decode("ascii").replace("\n", CRLF)
    return (
        f'Content-Type: {attachment.content_type}; name="{attachment.filename}"{CRLF}'
        f'Content-Disposition: attachment; filename="{attachment.filename}"{CRLF}'
        f"Content-Transfer-Encoding: base64{CRLF}{CRLF}{encoded}"
    )


def _multipart(boundary: str, parts: list[str]) -> list[str]:
    lines = []
    for part in parts:
        lines += [f"--{boundary}", part]
    return [*lines, f"--{boundary}--", ""]


def build_message(
    rendered: RenderedEmail,
    *,
    key: str,
    sender: str,
    to: str,
    domain: str,
    reply_to: str | None = None,
    date: datetime,
    attachments: tuple[Attachment, ...] = (),
) -> OutgoingEmail:
    """multipart/alternative (plain text, then HTML); inside multipart/mixed with attachments."""
    envelope_sender, from_header = _sender(sender)
    identifier = message_id(key, domain)
    boundary = f"=_rvg_{identifier[1:33]}"  # "=_" never occurs in base64 content
    alternative = _multipart(
        boundary, [_part("text/plain", rendered.text), _part("text/html", rendered.html)]
    )
    if attachments:
        outer = f"=_rvg_mixed_{identifier[1:33]}"
        content_type = f'multipart/mixed; boundary="{outer}"'
        inner = f'Content-Type: multipart/alternative; boundary="{boundary}"{CRLF}{CRLF}'
        body = _multipart(
            outer, [inner + CRLF.join(alternative), *map(_attachment_part, attachments)]
        )
    else:
        content_type = f'multipart/alternative; boundary="{boundary}"'
        body = alternative
    headers = [
        f"From: {from_header}",
        f"To: {to}",
        *([f"Reply-To: {reply_to}"] if reply_to else []),
        f"Subject: {encode_header(rendered.subject)}",
        f"Date: {format_datetime(date)}",
        f"Message-ID: {identifier}",
        "Auto-Submitted: auto-generated",
        "X-Auto-Response-Suppress: All",
        "MIME-Version: 1.0",
        f"Content-Type: {content_type}",
    ]
    text = CRLF.join([*headers, "", *body])
    return OutgoingEmail(envelope_sender, to, identifier, text.encode("ascii"))

"""Turning a rendered e-mail into a MIME message with the headers the programme promises."""

from __future__ import annotations

import hashlib
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from rvg.notifications.rendering import RenderedEmail


def message_id(key: str, domain: str) -> str:
    """The same outbox key always gives the same Message-ID, so a resend is recognisable."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"<{digest}@{domain}>"


def build_message(
    rendered: RenderedEmail,
    *,
    key: str,
    sender: str,
    to: str,
    domain: str,
    date: datetime,
) -> EmailMessage:
    """A multipart/alternative message: plain text first, HTML as the richer alternative."""
    message = EmailMessage()
    message["Subject"] = rendered.subject
    message["From"] = sender
    message["To"] = to
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id(key, domain)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message.set_content(rendered.text, subtype="plain", charset="utf-8")
    message.add_alternative(rendered.html, subtype="html", charset="utf-8")
    return message

"""Reading the local SMTP sink's mail as the recipients would: the links in new e-mails, and
who found the year's calendar in their mail."""

from __future__ import annotations

import email
import re
from email.header import decode_header, make_header
from pathlib import Path
from typing import NamedTuple

from rvg.invitations.links import ROUTES
from rvg.notifications.attachments import YEAR_CALENDAR_FILE

TOKEN_LINK = re.compile(rf"https?://\S+/({'|'.join(ROUTES.values())})/[A-Za-z0-9_-]+")


class Link(NamedTuple):
    recipient: str
    message_id: str  # from the outbox key: the same for the same e-mail in every run
    url: str
    subject: str


class Mailbox:
    """The sink's folder of ``.eml`` files; each call reads only the files it has not seen."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._seen: set[str] = set()
        self._links: dict[str, list[Link]] = {}
        self._year_calendars: set[str] = set()

    def new_links(self, route: str, about: str) -> list[Link]:
        """The link of each new e-mail with a ``/<route>/<token>`` link whose subject names
        ``about`` (a cohort's name), in the order the sink received them (which varies between
        runs; sort by recipient and message id for one that does not)."""
        self._read_new()
        links = self._links.get(route, [])
        self._links[route] = [link for link in links if about not in link.subject]
        return [link for link in links if about in link.subject]

    def got_year_calendar(self, recipient: str) -> bool:
        """Whether an e-mail read so far (by :meth:`new_links`) brought ``recipient`` the whole
        year's calendar. It does not read the folder again: asked once per survey answer, that
        listed every e-mail of the year once per answer (quadratic at national scale)."""
        return recipient in self._year_calendars

    def _read_new(self) -> None:
        for path in sorted(self.folder.glob("*.eml")):
            if path.name in self._seen:
                continue
            self._seen.add(path.name)
            # The legacy (compat32) parser: ten times faster than the modern one, enough here.
            message = email.message_from_bytes(path.read_bytes())
            text = ""
            for part in message.walk():
                if part.get_filename() == YEAR_CALENDAR_FILE:
                    self._year_calendars.add(str(message["To"]))
                payload = part.get_payload(decode=True)
                if part.get_content_type() == "text/plain" and isinstance(payload, bytes):
                    text += payload.decode("utf-8", "replace")
            found = TOKEN_LINK.search(text)
            if found:
                subject = " ".join(str(make_header(decode_header(str(message["Subject"])))).split())
                link = Link(str(message["To"]), str(message["Message-ID"]), found.group(0), subject)
                self._links.setdefault(found.group(1), []).append(link)

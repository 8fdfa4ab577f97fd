"""Reading the local SMTP sink's mail as the recipients would: the links in new e-mails."""

from __future__ import annotations

import email
import re
from pathlib import Path


class Mailbox:
    """The sink's folder of ``.eml`` files; each call reads only the files it has not seen."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._seen: set[str] = set()
        self._links: dict[str, list[tuple[str, str]]] = {}

    def new_links(self, route: str) -> list[tuple[str, str]]:
        """(recipient, link) of each new e-mail with a ``/<route>/<token>`` link, oldest first."""
        self._read_new()
        links, self._links[route] = self._links.get(route, []), []
        return links

    def _read_new(self) -> None:
        for path in sorted(self.folder.glob("*.eml")):
            if path.name in self._seen:
                continue
            self._seen.add(path.name)
            # The legacy (compat32) parser: ten times faster than the modern one, enough here.
            message = email.message_from_bytes(path.read_bytes())
            text = ""
            for part in message.walk():
                payload = part.get_payload(decode=True)
                if part.get_content_type() == "text/plain" and isinstance(payload, bytes):
                    text += payload.decode("utf-8", "replace")
            found = re.search(r"https?://\S+/(aanmelden|enquete)/[A-Za-z0-9_-]+", text)
            if found:
                self._links.setdefault(found.group(1), []).append(
                    (str(message["To"]), found.group(0))
                )

"""The outermost layer of the web app: what every request passes, whatever route it reaches.

- **Security headers** on every response, the error pages (403, 404, 413, 500) included; a
  header the page set itself stays (the public pages' ``Cache-Control``), every other one is
  added.
- **Access log without secrets**: one line per request on the ``rvg.web.access`` logger with
  the client's address and the token replaced (``203.0.113.7 GET /aanmelden/… 404 3 ms``);
  never the query string, a body or a form value.
- **Guessing slowed down**: a client whose token links answered "not found" too often in a
  minute gets the Dutch 429 page on every token path until the minute has passed. A link
  holds 256 random bits, so this protects the server's time rather than the tokens; the
  count lives in the process (each worker counts its own).
- **Body limit**: a request body over ``MAX_BODY_BYTES`` gets the Dutch 413 page, whether it
  announces its length or streams it.
- **Cross-site POSTs refused**: a form POST whose ``Sec-Fetch-Site`` says it comes from
  another site (or, from a browser without Fetch Metadata, whose ``Origin`` is another
  site's) gets the Dutch 403 page. The token in the URL stays the secret; this closes
  login-less CSRF from a page that learned a link. ``Sec-Fetch-Site`` decides when present:
  with our ``Referrer-Policy: no-referrer`` browsers send ``Origin: null`` even for our own
  forms. Clients that send neither (scripts, very old browsers) are let through.
- **Errors without data**: an unexpected exception is logged as its type and the code
  frames only (SQLAlchemy's messages carry the SQL parameters, i.e. form values and token
  hashes), and the person gets the Dutch 500 page.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rvg.invitations.links import ROUTES
from rvg.invitations.tokens import looks_like_token

ACCESS_LOG = logging.getLogger("rvg.web.access")
ERROR_LOG = logging.getLogger("rvg.web.error")
MAX_BODY_BYTES = 64 * 1024  # the longest survey with every text field full is under 40 KiB
TOKEN_ROUTES = frozenset(ROUTES.values())  # /<route>/<token>: the rest is secret
SAFE_FETCH_SITES = frozenset({"same-origin", "none"})
REDACTED = "…"


def redact_path(path: str) -> str:
    """``path`` fit for a log: what follows a token route, and anything token-shaped, is
    replaced by ``…``."""
    parts = path.split("/")
    if is_token_path(path):
        return "/".join([*parts[:2], REDACTED])
    return "/".join(REDACTED if looks_like_token(part) else part for part in parts)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class _TooLarge(Exception):
    pass


def client_address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "-"


def is_token_path(path: str) -> bool:
    parts = path.split("/")
    return len(parts) > 2 and parts[1] in TOKEN_ROUTES


class MissCounter:
    """Per client, the moments its token links answered "not found" in the last ``window``
    seconds; at most ``clients`` clients are remembered (the longest quiet one is forgotten)."""

    def __init__(
        self,
        limit: int,
        *,
        window: float = 60.0,
        clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.window, self.clients, self.clock = limit, window, clients, clock
        self._misses: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, client: str) -> deque[float]:
        misses = self._misses.get(client, deque())
        horizon = self.clock() - self.window
        while misses and misses[0] <= horizon:
            misses.popleft()
        return misses

    def wait(self, client: str) -> int | None:
        """Seconds until ``client`` may try a token link again; None when it may now."""
        misses = self._recent(client)
        if len(misses) < self.limit:
            return None
        return max(1, round(misses[0] + self.window - self.clock()))

    def miss(self, client: str) -> None:
        misses = self._recent(client)
        misses.append(self.clock())
        self._misses[client] = misses
        self._misses.move_to_end(client)
        while len(self._misses) > self.clients:
            self._misses.popitem(last=False)


class Guard:
    """Pure ASGI middleware; ``pages`` renders the Dutch error page for a status code."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        headers: dict[str, str],
        allowed_origins: Iterable[str],
        pages: Callable[[int], Response],
        misses: MissCounter,
    ) -> None:
        self.app = app
        self.headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        self.allowed_origins = {origin_of(origin) for origin in allowed_origins}
        self.pages = pages
        self.misses = misses

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state: dict[str, Any] = {"status": 500, "sent": False}

        async def guarded_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"], state["sent"] = message["status"], True
                own = message.get("headers", [])
                named = {name.lower() for name, _ in own}  # a page's own Cache-Control stays
                extra = [(name, value) for name, value in self.headers if name not in named]
                message = {**message, "headers": [*own, *extra]}
            await send(message)

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > MAX_BODY_BYTES:
                    raise _TooLarge
            return message

        client = client_address(scope)
        token_path = is_token_path(scope["path"])
        try:
            wait = self.misses.wait(client) if token_path else None
            refusal = self._refusal(scope)
            if wait is not None:
                response = self.pages(429)
                response.headers["Retry-After"] = str(wait)
                await response(scope, receive, guarded_send)
            elif refusal:
                await self.pages(refusal)(scope, receive, guarded_send)
            else:
                await self.app(scope, limited_receive, guarded_send)
                if token_path and state["status"] == 404:
                    self.misses.miss(client)
        except _TooLarge:
            if not state["sent"]:
                await self.pages(413)(scope, receive, guarded_send)
        except Exception as exc:
            ERROR_LOG.error(
                "%s %s failed: %s\n%s",
                scope["method"],
                redact_path(scope["path"]),
                type(exc).__name__,
                "".join(traceback.format_tb(exc.__traceback__)),  # frames, never the message
            )
            if not state["sent"]:
                await self._error_page(scope, receive, guarded_send)
        finally:
            ACCESS_LOG.info(
                "%s %s %s %d %.0f ms",
                client,
                scope["method"],
                redact_path(scope["path"]),
                state["status"],
                (time.perf_counter() - started) * 1000,
            )

    def _refusal(self, scope: Scope) -> int | None:
        """413 for an announced body over the limit; 403 for a cross-site POST; else None."""
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        length = headers.get("content-length", "")
        if length.isascii() and length.isdigit() and int(length) > MAX_BODY_BYTES:
            return 413
        if scope["method"] != "POST":
            return None
        site = headers.get("sec-fetch-site")
        if site is not None:  # every current browser sends it, and it cannot be forged by a page
            return None if site in SAFE_FETCH_SITES else 403
        origin = headers.get("origin")
        if origin not in (None, "null") and origin_of(origin) not in self._origins(scope, headers):
            return 403
        return None

    def _origins(self, scope: Scope, headers: dict[str, str]) -> set[str]:
        """The configured public origin, and the one the request itself was sent to."""
        own = f"{scope.get('scheme', 'http')}://{headers.get('host', '')}".lower()
        return {*self.allowed_origins, own}

    async def _error_page(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            response: Response = self.pages(500)
        except Exception:
            response = PlainTextResponse("Er ging iets mis. Probeer het later opnieuw.", 500)
        await response(scope, receive, send)

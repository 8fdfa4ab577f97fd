"""Invitation tokens: unguessable, sent only in the link, stored only as a hash."""

from __future__ import annotations

import hashlib
import re
import secrets

TOKEN_BYTES = 32  # 256 bits from the operating system's CSPRNG
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """SHA-256 of the token: enough for a random 256-bit secret (no salt or stretching needed)."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def looks_like_token(text: str) -> bool:
    """Cheap shape check before any database look-up; says nothing about which tokens exist."""
    return bool(_TOKEN_SHAPE.match(text))

"""E-mail address syntax, checked wherever an address enters the system."""

from __future__ import annotations

import re
from functools import lru_cache

from email_validator import EmailNotValidError, ValidatedEmail, validate_email

# The local part of nearly every real address: dot-separated runs of ASCII letters, digits and
# ``_%+-`` (a subset of RFC 5322's dot-atom, which the validator always accepts as written).
# Such an address needs only its domain checked, and the domains of an export repeat.
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*")
MAX_LOCAL_PART = 64
MAX_ADDRESS = 254


def normalise_address(address: str) -> str:
    """The address in normal ASCII form (what every SMTP server takes); else ValueError."""
    text = address.strip()
    local, at, domain = text.rpartition("@")
    if at and len(local) <= MAX_LOCAL_PART and _PLAIN_LOCAL.fullmatch(local):
        ascii_domain = _ascii_domain(domain)
        if ascii_domain is not None and len(local) + 1 + len(ascii_domain) <= MAX_ADDRESS:
            return f"{local}@{ascii_domain}"
    return _validated(text)  # the full check, and its message when the address is not valid


@lru_cache(maxsize=4096)
def _ascii_domain(domain: str) -> str | None:
    """The domain as the validator normalises it, or None when it is not a valid one."""
    try:
        return str(_validate(f"postmaster@{domain}").ascii_domain)
    except EmailNotValidError:
        return None


def _validated(address: str) -> str:
    try:
        valid = _validate(address)
        return str(valid.ascii_email or valid.normalized)
    except EmailNotValidError as exc:
        raise ValueError(f"not a valid e-mail address ({exc})") from None


def _validate(address: str) -> ValidatedEmail:
    return validate_email(address, check_deliverability=False, allow_smtputf8=False)


_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def redact_addresses(text: str) -> str:
    """``text`` without e-mail addresses, for logs and artifacts (SMTP replies echo them)."""
    return _ADDRESS.sub("<adres>", text)

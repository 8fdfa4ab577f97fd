"""E-mail address syntax, checked wherever an address enters the system."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email


def normalise_address(address: str) -> str:
    """The address in normal ASCII form (what every SMTP server takes); else ValueError."""
    try:
        valid = validate_email(address.strip(), check_deliverability=False, allow_smtputf8=False)
        return valid.ascii_email or valid.normalized
    except EmailNotValidError as exc:
        raise ValueError(f"not a valid e-mail address ({exc})") from None


_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def redact_addresses(text: str) -> str:
    """``text`` without e-mail addresses, for logs and artifacts (SMTP replies echo them)."""
    return _ADDRESS.sub("<adres>", text)

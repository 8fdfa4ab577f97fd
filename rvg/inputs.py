"""What a person may type: numbers in plain decimal digits, text without control characters.

One home for the rules every form and import shares. Python's own parsers accept far more than
a person means: ``int("²")`` fails but ``"²".isdigit()`` is true, ``float("٣")`` is 3,
``float("1_0")`` is 10, and ``float("nan")``, ``"inf"`` and ``"1e309"`` are not numbers anyone
typed. Here a number is ASCII digits only (a Dutch decimal comma or a point where a decimal is
meant), always within a range the caller states, and never NaN or infinite. A control
character (NUL and the other C0/C1 codes) is refused in every text: PostgreSQL cannot store NUL
and none of them belongs in a name or an answer; nor do the bidirectional controls that make
a text show in another order than it is stored. A reference (an agency's applicant number)
is letters, digits, ``-``, ``_`` and ``.`` only, so it is safe in a file name and a URL.
"""

from __future__ import annotations

import re
from decimal import Decimal

MAX_DIGITS = 12  # longer than any number a form or import here asks for; int() stays cheap
_WHOLE = re.compile(rf"[0-9]{{1,{MAX_DIGITS}}}")
_DECIMAL = re.compile(rf"[0-9]{{1,{MAX_DIGITS}}}(?:[.,][0-9]{{1,6}})?|[.,][0-9]{{1,6}}")
# Unicode's control characters (category Cc) are exactly C0, DEL and C1; beside them the
# bidirectional controls (U+061C, U+200E/F, U+202A-U+202E, U+2066-U+2069), which reorder what
# a reader sees ("Trojan Source": a name that shows as one text and sorts as another).
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_CONTROL_MULTILINE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")
# A reference from outside (an applicant's number in the agency's system): letters, digits,
# '-', '_' and '.', starting with a letter or digit; never a path or a hidden file name.
MAX_REFERENCE = 64
_REFERENCE = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._-]{{0,{MAX_REFERENCE - 1}}}")
_NOT_IN_SLUG = re.compile(r"[^A-Za-z0-9._-]+")


def whole_number(text: str, low: int, high: int) -> int | None:
    """``text`` as a whole number from ``low`` to ``high``; None when it is anything else."""
    value = text.strip()
    if not _WHOLE.fullmatch(value):
        return None
    number = int(value)
    return number if low <= number <= high else None


def decimal_number(text: str, low: float, high: float) -> float | None:
    """``text`` as a decimal (``7``, ``7,5`` or ``7.5``) from ``low`` to ``high``; else None."""
    value = text.strip()
    if not _DECIMAL.fullmatch(value):
        return None
    number = float(value.replace(",", "."))
    return number if low <= number <= high else None


_EUROS = re.compile(
    rf"[0-9]{{1,{MAX_DIGITS}}}(?:[.,][0-9]{{1,2}})?"  # 1250, 1250,50, 1250.50
    r"|[0-9]{1,3}(?:\.[0-9]{3}){1,3}(?:,[0-9]{1,2})?"  # 1.250,50
)


def euro_amount(text: str, high: Decimal) -> Decimal | None:
    """``text`` as an amount in euros from 0 to ``high``; else None.

    As finance exports write it: ``1250``, ``1250,50``, ``1250.50`` or with thousand dots,
    ``1.250,50``; an optional ``€`` in front. Never a formula, ``nan`` or an exponent.
    """
    value = text.strip().removeprefix("€").strip()
    if not _EUROS.fullmatch(value):
        return None
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    elif value.count(".") == 1 and len(value.rsplit(".", 1)[1]) == 3:
        value = value.replace(".", "")  # 1.250: a thousand dot, not cents
    number = Decimal(value)
    return number if number <= high else None


def control_character(text: str, *, multiline: bool = False) -> str | None:
    """The first control character in ``text`` as ``U+0000``; None when there is none.

    ``multiline`` allows line breaks and tabs (a comment field); elsewhere they are refused.
    """
    found = (_CONTROL_MULTILINE if multiline else _CONTROL).search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def text_problem(text: str, limit: int, *, multiline: bool = False) -> str | None:
    """A Dutch message when ``text`` is too long or holds a control character; else None."""
    if len(text) > limit:
        return f"Gebruik hoogstens {limit} tekens."
    found = control_character(text, multiline=multiline)
    if found:
        return f"Verwijder het onzichtbare stuurteken ({found}) uit de tekst."
    return None


def reference_problem(text: str) -> str | None:
    """Why ``text`` is not a reference (letters, digits, ``-``, ``_``, ``.``); None if it is."""
    if not text:
        return "is required"
    if _REFERENCE.fullmatch(text):
        return None
    if len(text) > MAX_REFERENCE:
        return f"has {len(text)} characters; at most {MAX_REFERENCE}"
    return (
        f"{text[:80]!r} may hold letters, digits, '-', '_' and '.' only, and must start with a "
        "letter or digit"
    )


def file_slug(text: str) -> str:
    """``text`` fit for a file name whatever it holds: runs of other characters become one
    ``_``, no leading dot (no hidden file, no ``..``), at most 64 characters; ``_`` if empty."""
    slug = _NOT_IN_SLUG.sub("_", text).lstrip(".")[:MAX_REFERENCE]
    return slug or "_"

"""Dutch notation, in one place: amounts, numbers and dates as Dutch readers write them.
Reports, web pages and e-mails use these (as Jinja filters, ``FILTERS``), and so do the
contexts that tasks store for e-mails and the messages the team reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def euro(value: Decimal | float | int, decimals: int = 0) -> str:
    """``€ 18.500`` (thousands with a dot, decimals with a comma)."""
    return "€ " + number(value, decimals)


def number(value: Decimal | float | int, decimals: int = 0) -> str:
    """``18.500,5``: thousands with a dot, decimals with a comma."""
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def dutch_date(value: date) -> str:
    """In running text: ``2 oktober 2026``."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def short_date(value: date) -> str:
    """In tables, subjects and notes: ``02-10-2026``."""
    return f"{value:%d-%m-%Y}"


def weekday(value: date) -> str:
    """``maandag``."""
    return WEEKDAYS[value.weekday()]


def counted(value: int, one: str, many: str) -> str:
    """``1 deelnemer``, ``2 deelnemers``: the number with the noun in the right form (Dutch has
    no plural ending that suits every noun, so the caller gives both)."""
    return f"{number(value)} {one if value == 1 else many}"


def listed(items: Sequence[str], last: str = "en") -> str:
    """``2027``, ``2027 en 2028``, ``a, b of c``: items as a Dutch sentence names them."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


FILTERS: dict[str, Any] = {
    "counted": counted,
    "listed": listed,
    "euro": euro,
    "number": number,
    "dutch_date": dutch_date,
    "short_date": short_date,
    "weekday": weekday,
}

"""Rendering reports from ``templates/reports`` (Markdown and standalone HTML, in Dutch)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from rvg.settings import PROJECT_ROOT

REPORT_TEMPLATES = PROJECT_ROOT / "templates" / "reports"


def euro(value: Decimal | float | int, decimals: int = 0) -> str:
    """Dutch notation: ``€ 18.500`` (thousands with a dot, decimals with a comma)."""
    text = f"{float(value):,.{decimals}f}"
    return "€ " + text.replace(",", "_").replace(".", ",").replace("_", ".")


def number(value: Decimal | float | int, decimals: int = 0) -> str:
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def dutch_date(value: Any) -> str:
    months = [
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
    ]
    return f"{value.day} {months[value.month - 1]} {value.year}"


@lru_cache(maxsize=2)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(REPORT_TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(euro=euro, number=number, dutch_date=dutch_date)
    return env


def render_report(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)

"""Rendering reports from ``templates/reports`` (Markdown and standalone HTML, in Dutch)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from rvg.dutch import FILTERS
from rvg.settings import PROJECT_ROOT

REPORT_TEMPLATES = PROJECT_ROOT / "templates" / "reports"


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
    env.filters.update(FILTERS)
    return env


def render_report(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)

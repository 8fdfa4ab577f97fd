"""Rendering e-mails from Jinja2 templates in ``templates/email/``.

Every e-mail NAME has three files: ``NAME.subject.txt``, ``NAME.txt`` (plain text) and
``NAME.html`` (HTML, autoescaped). The bodies extend the shared ``_layout.txt`` and
``_layout.html``, whose signature names the project team (``team``, the programme's
contact in ``config/programme.yaml``). A missing variable is an error (StrictUndefined), never
an empty gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    select_autoescape,
)

from rvg.config.programme import EXAMPLE_CONTACT, TeamContact
from rvg.dutch import FILTERS
from rvg.errors import UserError
from rvg.settings import PROJECT_ROOT

EMAIL_TEMPLATES = PROJECT_ROOT / "templates" / "email"
# The cohort a message is about (``lichting 2027``), set when it is enqueued for a cohort:
# someone serving two cohorts (a buddy in one, a manager in the next) must tell them apart,
# so the subject names it unless it already does, and the layout shows it above the text.
COHORT_LABEL = "cohort_label"


class TemplateError(UserError):
    """An e-mail template is missing, broken, or lacks a variable it needs."""


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


@lru_cache(maxsize=4)
def environment(folder: Path = EMAIL_TEMPLATES) -> Environment:
    env = Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates are part of a release; no stat() per message
    )
    env.filters.update(FILTERS)
    return env


def render(
    template: str,
    context: dict[str, Any],
    folder: Path = EMAIL_TEMPLATES,
    *,
    team: TeamContact = EXAMPLE_CONTACT,
) -> RenderedEmail:
    """Subject, plain text and HTML of e-mail ``template`` filled with ``context``, signed by
    ``team`` (the example contact where only the template is checked)."""
    env = environment(folder)
    values = {**context, "team": team}
    try:
        subject = env.get_template(f"{template}.subject.txt").render(values)
        text = env.get_template(f"{template}.txt").render(values)
        html = env.get_template(f"{template}.html").render(values)
    except TemplateNotFound as exc:
        raise TemplateError(f"e-mail template {template!r}: file {exc.name} not found") from None
    except UndefinedError as exc:
        raise TemplateError(f"e-mail template {template!r}: {exc.message}") from None
    except TemplateSyntaxError as exc:
        raise TemplateError(
            f"e-mail template {exc.name}, line {exc.lineno}: {exc.message}"
        ) from None
    subject = " ".join(subject.split())
    label = context.get(COHORT_LABEL)
    if label and label.casefold() not in subject.casefold():
        subject = f"{subject} – {label}"
    return RenderedEmail(subject=subject, text=text, html=html)

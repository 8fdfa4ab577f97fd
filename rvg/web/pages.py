"""The pages the web app renders: its Jinja environment, the plain not-found page and the
Dutch error pages. The app and every form router import them from here."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from rvg.config.programme import EXAMPLE_CONTACT, TeamContact
from rvg.dutch import FILTERS
from rvg.settings import PROJECT_ROOT

WEB_TEMPLATES = PROJECT_ROOT / "templates" / "web"


@lru_cache(maxsize=1)
def templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(WEB_TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    env.globals["team"] = EXAMPLE_CONTACT
    return env


def use_team(team: TeamContact) -> None:
    """Name ``team`` (the programme's contact) on every page, the error pages included."""
    templates().globals["team"] = team


def render(name: str, **context: Any) -> str:
    return templates().get_template(name).render(**context)


def page(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(render(name, **context), status_code=status_code)


def not_found() -> HTMLResponse:
    """The same plain page for every unknown or expired link: it reveals nothing."""
    return page("not_found.html", status_code=404)


ERROR_MESSAGES = {
    403: (
        "Dit formulier kan alleen worden verstuurd vanaf de pagina zelf. Open de link uit uw "
        "e-mail opnieuw en verstuur het formulier daar."
    ),
    405: "Deze handeling is hier niet mogelijk.",
    413: "Wat u verstuurde is te groot. Maak uw antwoorden korter en probeer het opnieuw.",
    429: (
        "U heeft in korte tijd te vaak een link geopend die niet (meer) werkt. Wacht een minuut "
        "en open dan de link uit uw laatste e-mail opnieuw."
    ),
    503: (
        "Het is op dit moment erg druk; uw antwoord is nog niet opgeslagen. Ga terug naar het "
        "formulier (uw antwoorden staan er nog) en verstuur het over een halve minuut opnieuw."
    ),
    500: (
        "Er ging aan onze kant iets mis; uw antwoord is niet opgeslagen. Probeer het later "
        "opnieuw. Blijft het misgaan, neem dan contact op met het projectteam."
    ),
}


def error_page(status_code: int) -> HTMLResponse:
    """The Dutch page for an error status; 404 is the plain not-found page."""
    if status_code == 404:
        return not_found()
    message = ERROR_MESSAGES.get(status_code, "Er ging iets mis.")
    return page("error.html", status_code=status_code, message=message)

"""The web app (``rvg web``): the sign-up and survey forms, each behind its own token link."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException

from rvg import clock
from rvg.reports.rendering import dutch_date, euro
from rvg.settings import PROJECT_ROOT, Settings
from rvg.web.guard import Guard

WEB_TEMPLATES = PROJECT_ROOT / "templates" / "web"

SECURITY_HEADERS = {
    # The token is in the URL: never send it to another site.
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


@lru_cache(maxsize=1)
def templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(WEB_TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(euro=euro, dutch_date=dutch_date)
    return env


def page(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(templates().get_template(name).render(**context), status_code=status_code)


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


def create_app(
    settings: Settings,
    sessions: sessionmaker[Session],
    now: Callable[[], datetime] | None = None,
) -> FastAPI:
    """The app; ``now`` replaces the real clock in tests and simulations."""
    from rvg.web import signup, survey

    app = FastAPI(title="Ruimte voor Groei", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.sessions = sessions
    app.state.now = now or (lambda: clock.now(tz=settings.zone))

    app.add_middleware(
        Guard,
        headers=SECURITY_HEADERS,
        allowed_origins=[settings.web_base_url],
        pages=error_page,
    )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error_page(exc.status_code)

    @app.get("/", response_class=HTMLResponse)
    def home() -> HTMLResponse:
        return page("home.html")

    @app.get("/gezondheid", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    app.mount("/static", StaticFiles(directory=WEB_TEMPLATES / "static"), name="static")
    app.include_router(signup.router)
    app.include_router(survey.router)
    return app

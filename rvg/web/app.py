"""The web app (``rvg web``): sign-up forms now, survey forms later, all behind token links."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
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

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return not_found()
        if exc.status_code == 405:
            return page(
                "error.html", status_code=405, message="Deze handeling is hier niet mogelijk."
            )
        return page("error.html", status_code=exc.status_code, message="Er ging iets mis.")

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

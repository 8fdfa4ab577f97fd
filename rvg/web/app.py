"""The web app (``rvg web``): the sign-up, survey and information-page forms, each behind its
own token link."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException

from rvg import clock
from rvg.settings import Settings
from rvg.unit import Configs
from rvg.web import interest, profile, public, signup, survey
from rvg.web.deps import Busy
from rvg.web.guard import Guard, MissCounter
from rvg.web.pages import WEB_TEMPLATES, error_page, page, use_team

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
BUSY_RETRY_AFTER_SECONDS = 30


def create_app(
    settings: Settings,
    sessions: sessionmaker[Session],
    now: Callable[[], datetime] | None = None,
) -> FastAPI:
    """The app; ``now`` replaces the real clock in tests and simulations."""
    app = FastAPI(title="Ruimte voor Groei", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.sessions = sessions
    app.state.now = now or (lambda: clock.now(tz=settings.zone))
    use_team(Configs(settings.config_dir).programme.contact)

    app.add_middleware(
        Guard,
        headers=SECURITY_HEADERS,
        allowed_origins=[settings.web_base_url],
        pages=error_page,
        misses=MissCounter(settings.web_token_misses_per_minute),
    )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error_page(exc.status_code)

    @app.exception_handler(Busy)
    async def busy(request: Request, exc: Busy) -> Response:
        response = error_page(503)
        response.headers["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
        return response

    @app.get("/", response_class=HTMLResponse)
    def home() -> HTMLResponse:
        return page("home.html")

    @app.get("/gezondheid", include_in_schema=False)
    async def health() -> dict[str, str]:
        # async: answered on the event loop even while every worker thread waits on the database
        return {"status": "ok"}

    app.mount("/static", StaticFiles(directory=WEB_TEMPLATES / "static"), name="static")
    app.include_router(signup.router)
    app.include_router(survey.router)
    app.include_router(profile.router)
    app.include_router(interest.router)  # before /kandidaten/<cohort>/<organisation>
    app.include_router(public.router)
    return app

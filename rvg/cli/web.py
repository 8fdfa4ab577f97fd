"""``rvg web``: serve the sign-up and survey forms."""

from __future__ import annotations

import copy
from typing import Annotated, Any

import typer

from rvg.migrate import migrated_sessionmaker
from rvg.settings import load_settings


def web(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
) -> None:
    """Serve the web forms; links in e-mails point at RVG_WEB_BASE_URL."""
    import uvicorn

    from rvg.web.app import create_app

    settings = load_settings()
    app = create_app(settings, migrated_sessionmaker(settings))
    typer.echo(
        f"Web forms on http://{host}:{port} (public base URL {settings.web_base_url})", err=True
    )
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_config=log_config(),
        access_log=False,  # uvicorn's would print every token; rvg.web.access redacts them
        proxy_headers=True,
        server_header=False,
    )


def log_config() -> dict[str, Any]:
    """uvicorn's logging, with the app's redacted access and error logs on stderr."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["rvg.web"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config

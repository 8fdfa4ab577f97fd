"""``rvg web``: serve the sign-up (and later survey) forms."""

from __future__ import annotations

from typing import Annotated

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
        app, host=host, port=port, log_level="info", proxy_headers=True, server_header=False
    )

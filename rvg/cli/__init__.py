"""The ``rvg`` command line. Commands that only compute or load data never import Prefect.

``rvg match`` takes a fast path that loads nothing but the matching code, so that it starts
in a fraction of a second; every other command loads the full app (``rvg.cli.app``).
"""

from __future__ import annotations

import sys

import typer

from rvg.errors import UserError


def main() -> None:
    """Entry point: user errors become one clear message and a non-zero exit, not a traceback."""
    if sys.argv[1:2] == ["match"]:
        from rvg.cli.match_main import main as match_main

        match_main(sys.argv[2:])
        return
    from rvg.cli.app import app

    try:
        app()
    except UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except Exception as exc:
        database_errors = sys.modules.get("sqlalchemy.exc")
        if database_errors is not None and isinstance(exc, database_errors.OperationalError):
            typer.echo(f"error: the database is not reachable or not usable: {exc.orig}", err=True)
            sys.exit(3)
        if _refused_by_prefect(exc):
            typer.echo(
                "error: the Prefect API refused the request (401 Unauthorized): set "
                "PREFECT_API_AUTH_STRING to the server's user:password",
                err=True,
            )
            sys.exit(2)
        raise


def _refused_by_prefect(exc: BaseException) -> bool:
    """Prefect's client error for a 401 (rvg does not import Prefect to check the type)."""
    response = getattr(exc, "response", None)
    return type(exc).__name__ == "PrefectHTTPStatusError" and (
        getattr(response, "status_code", None) == 401
    )

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
        raise

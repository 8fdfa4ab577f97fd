"""``rvg match`` on its own: runs the one command without loading the rest of the CLI."""

from __future__ import annotations

import sys

import typer

from rvg.cli.match import match
from rvg.errors import UserError


def main(args: list[str] | None = None) -> None:
    """Run ``rvg match`` (``args`` default to the command line); user errors exit with 2."""
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    app.command()(match)
    try:
        app(args=args, prog_name="rvg match")
    except UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()

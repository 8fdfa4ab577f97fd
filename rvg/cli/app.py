"""The ``rvg`` command line. Commands that only compute or load data never import Prefect."""

from __future__ import annotations

import sys

import typer
from sqlalchemy.exc import OperationalError

from rvg.cli import (
    business_case,
    cohort,
    db,
    demo,
    imports,
    notifications,
    organisations,
    run,
    tender,
    web,
)
from rvg.errors import UserError

app = typer.Typer(
    name="rvg",
    help="Ruimte voor Groei: run the yearly cohort cycle of the career-switcher programme.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db.app, name="db")
app.add_typer(cohort.app, name="cohort")
app.add_typer(organisations.app, name="organisations")
app.add_typer(imports.app, name="import")
app.add_typer(notifications.notify_app, name="notify")
app.command("dispatch")(notifications.dispatch)
app.command("smtp-sink")(notifications.smtp_sink)
app.add_typer(tender.app, name="tender")
app.command("run")(run.run)
app.command("business-case")(business_case.business_case)
app.command("web")(web.web)
app.command("demo")(demo.demo)


def main() -> None:
    """Entry point: user errors become one clear message and a non-zero exit, not a traceback."""
    try:
        app()
    except UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except OperationalError as exc:
        typer.echo(f"error: the database is not reachable or not usable: {exc.orig}", err=True)
        sys.exit(3)

"""All ``rvg`` commands in one Typer app (``rvg.cli.main`` runs it)."""

from __future__ import annotations

import typer

from rvg.cli import (
    business_case,
    cohort,
    db,
    demo,
    imports,
    match,
    notifications,
    organisations,
    placement,
    report,
    run,
    schedule,
    serve,
    tender,
    web,
)

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
app.add_typer(placement.app, name="placement")
app.add_typer(schedule.app, name="schedule")
app.add_typer(report.app, name="report")
app.command("run")(run.run)
app.command("business-case")(business_case.business_case)
app.command("web")(web.web)
app.command("serve")(serve.serve)
app.command("match")(match.match)
app.command("demo")(demo.demo)

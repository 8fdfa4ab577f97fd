"""``rvg placement``: a placement's buddy and manager, and a drop-out during the year."""

from __future__ import annotations

from typing import Annotated

import typer

from rvg.commitments.answer import parse_yes_no
from rvg.imports.tabular import parse_date
from rvg.placements.changes import assign_guides, record_drop_out, record_outcome
from rvg.unit import unit

app = typer.Typer(help="Placements during the training year.", no_args_is_help=True)
Cohort = Annotated[str, typer.Option("--cohort", help="Cohort code, e.g. 2027.")]
Participant = Annotated[str, typer.Argument(help="The participant's applicant_ref.")]


@app.command("assign")
def assign_command(
    participant: Participant,
    cohort: Cohort,
    buddy: Annotated[str, typer.Option("--buddy", help="E-mail of a buddy contact.")],
    manager: Annotated[str, typer.Option("--manager", help="E-mail of a manager contact.")],
) -> None:
    """Link a buddy and a manager (imported contacts of the organisation) to a placement."""
    with unit(cohort) as u:
        placement = assign_guides(
            u.cohort,
            participant,
            buddy=buddy,
            manager=manager,
            session=u.session,
        )
        status = placement.status
    typer.echo(f"participant={participant} status={status} buddy=assigned manager=assigned")


@app.command("drop")
def drop_command(
    participant: Participant,
    cohort: Cohort,
    on: Annotated[str, typer.Option("--date", help="The last day (dd-mm-yyyy or ISO).")],
    reason: Annotated[str, typer.Option("--reason", help="Why the participant stopped.")],
    ask_replacement: Annotated[
        bool, typer.Option("--ask-replacement", help="Ask the agency for a replacement candidate.")
    ] = False,
) -> None:
    """Close a placement: cancel its reminders, tell the project team, maybe ask the agency."""
    try:
        day = parse_date(on)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--date") from None
    result = record_drop_out(cohort, participant, day, reason, ask_replacement=ask_replacement)
    typer.echo(
        f"participant={participant} dropped_out={day.isoformat()} "
        f"reminders_cancelled={result.cancelled} team_emails={result.team_told} "
        f"replacement_asked={str(result.replacement_asked).lower()}"
    )


def _yes_no(value: str | None, option: str) -> bool | None:
    if value is None:
        return None
    answer = parse_yes_no(value)
    if answer is None or not value.strip():
        raise typer.BadParameter(f"{value!r}: answer ja or nee", param_hint=option)
    return answer


@app.command("update")
def update_command(
    participant: Participant,
    cohort: Cohort,
    permanent: Annotated[
        str | None, typer.Option("--permanent", help="Permanent appointment: ja/nee.")
    ] = None,
    permanent_on: Annotated[
        str | None, typer.Option("--permanent-on", help="Date of the appointment.")
    ] = None,
    public_12m: Annotated[
        str | None,
        typer.Option("--public-12m", help="In public service 12 months after the start: ja/nee."),
    ] = None,
    public_24m: Annotated[
        str | None,
        typer.Option("--public-24m", help="In public service 24 months after the start: ja/nee."),
    ] = None,
) -> None:
    """Record what became of a placement after the training year (for the retention figures)."""
    try:
        appointed_on = parse_date(permanent_on) if permanent_on else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--permanent-on") from None
    with unit(cohort) as u:
        placement = record_outcome(
            u.cohort,
            participant,
            session=u.session,
            permanent_appointment=_yes_no(permanent, "--permanent"),
            permanent_on=appointed_on,
            public_12m=_yes_no(public_12m, "--public-12m"),
            public_24m=_yes_no(public_24m, "--public-24m"),
        )
        status = placement.status
    typer.echo(f"participant={participant} status={status}")

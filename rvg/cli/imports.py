"""``rvg import``: contacts, sign-ups and applicants from CSV or XLSX files as they are sent."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rvg import clock
from rvg.imports.applicants import import_applicants
from rvg.imports.commitments import import_commitments
from rvg.imports.contacts import import_contacts
from rvg.imports.invoices import import_invoices
from rvg.imports.preferences import import_preferences
from rvg.imports.survey_responses import import_survey_responses
from rvg.imports.tabular import ImportResult
from rvg.tally import Tally
from rvg.unit import unit

app = typer.Typer(
    help=(
        "Import CSV or XLSX files; rows that cannot be imported go to a file under "
        "RVG_DATA_DIR/rejected, deleted after 28 days."
    ),
    no_args_is_help=True,
)

File = Annotated[
    Path,
    typer.Argument(
        help="CSV (comma or semicolon, UTF-8 or Windows-1252) or XLSX (first sheet).",
        show_default=False,
    ),
]


@app.command("contacts")
def contacts_command(file: File) -> None:
    """Add or update contacts: columns organisation, role, name, email and optionally phone."""
    with unit() as u:
        result = import_contacts(file, session=u.session)
    _report(result)


@app.command("commitments")
def commitments_command(
    file: File,
    cohort: Annotated[str, typer.Option("--cohort", help="Cohort code, e.g. 2027.")],
) -> None:
    """Record sign-ups from a region's own form tool; an unchanged answer adds no version.

    Required columns: organisation, takes_part, signed_by_name, signed_by_function.

    Optional columns: agrees_to_costs, comment, vacancies_<track> for each track of the cohort.
    """
    with unit() as u:
        result = import_commitments(file, cohort, session=u.session, at=clock.utcnow())
    _report(result)


@app.command("invoices")
def invoices_command(
    file: File,
    cohort: Annotated[str, typer.Option("--cohort", help="Cohort code, e.g. 2027.")],
) -> None:
    """Record what the cohort actually cost: the finance department's invoices.

    Required columns: supplier, date, amount (euros excluding VAT, e.g. 1.250,50),
    description. Optional: lot (recruitment_selection or training; empty for other costs).
    The same invoice imported again changes nothing.
    """
    with unit() as u:
        result = import_invoices(file, cohort, session=u.session, at=clock.utcnow())
    _report(result)


@app.command("applicants")
def applicants_command(
    file: File,
    cohort: Annotated[str, typer.Option("--cohort", help="Cohort code, e.g. 2027.")],
) -> None:
    """Add applicants from the agency's export or record their progress in the funnel.

    Required columns: applicant_ref, first_name, last_name, email, track, stage, stage_date.

    Optional columns: phone, years_experience, education_level, source, consent_until.

    Optional scores: capacity_score, personality_score, drives_score, interview_score.

    Stages: applied, screened, assessment, interview, meet_greet, preferences, matched, placed;

    or, when the procedure ends: rejected, withdrawn.

    Track by code or name; dates as dd-mm-yyyy or yyyy-mm-dd; scores as 7 or 7,5.

    A new stage is added to the stage history. An empty optional cell keeps what is stored.
    """
    with unit() as u:
        result = import_applicants(file, cohort, session=u.session, at=clock.utcnow())
    _report(result)


@app.command("preferences")
def preferences_command(
    cohort: Annotated[str, typer.Option("--cohort", help="Cohort code, e.g. 2027.")],
    candidates: Annotated[
        Path, typer.Option("--candidates", help="candidate_id,organisation_id,rank (1 = first)")
    ],
    organisations: Annotated[
        Path, typer.Option("--organisations", help="organisation_id,candidate_id,rank")
    ],
) -> None:
    """Preferences after the meet & greet; each list in a file replaces the stored one.

    candidate_id is the applicant_ref; organisation_id the organisation's code or name.
    """
    with unit() as u:
        for_candidates, for_organisations = import_preferences(
            candidates, organisations, cohort, session=u.session
        )
    _details(for_candidates)
    _details(for_organisations)
    typer.echo(f"candidates: {for_candidates.tally.line()}")
    typer.echo(f"organisations: {for_organisations.tally.line()}")
    files = [r.rejected_file for r in (for_candidates, for_organisations) if r.rejected_file]
    total = Tally.sum([for_candidates.tally, for_organisations.tally])
    typer.echo(_last_line(total, *files))


@app.command("survey-responses")
def survey_responses_command(
    file: File,
    cohort: Annotated[str, typer.Option("--cohort", help="Cohort code, e.g. 2027.")],
    round: Annotated[str, typer.Option("--round", help="Survey round code, e.g. m03.")],
) -> None:
    """Record answers from a LimeSurvey response export (CSV, semicolon separated).

    Columns: the question codes of config/surveys.yaml; LimeSurvey's own columns are skipped.

    With a token column each row is the response to that survey invitation; without one the
    responses are anonymous and the columns id and audience are required.

    An unchanged response adds nothing; a changed one is stored as a new version.
    """
    with unit(cohort) as u:
        result = import_survey_responses(
            file, cohort, round, session=u.session, at=clock.utcnow(), definitions=u.config.surveys
        )
    _report(result)


def _details(result: ImportResult) -> None:
    if result.ignored_columns:
        typer.echo(f"note: ignored column(s): {', '.join(result.ignored_columns)}", err=True)
    for rejection in result.rejections:
        typer.echo(rejection.reason, err=True)


def _last_line(tally: Tally, *rejected_files: Path) -> str:
    """The counts, and where the rejected rows went (they are deleted after 28 days)."""
    if not rejected_files:
        return tally.line()
    return f"{tally.line()} rejected_rows={','.join(str(path) for path in rejected_files)}"


def _report(result: ImportResult) -> None:
    _details(result)
    files = [result.rejected_file] if result.rejected_file else []
    typer.echo(_last_line(result.tally, *files))

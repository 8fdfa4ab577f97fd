"""``rvg import commitments``: sign-ups collected with a region's own form tool.

Some regions collect sign-ups with their own forms (e.g. an Open Formulieren export) instead
of the programme's web form. Each row is checked with the same rules as the web form and
stored as a new version of the organisation's commitment, unless it says what is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.commitments.answer import SignupAnswer, validate_answer
from rvg.imports.tabular import ImportResult, Rejection, Row, finish, read_table, reject
from rvg.models import Cohort, Commitment, CommitmentStatus, Organisation, Track
from rvg.repositories.cohorts import get_cohort
from rvg.repositories.commitments import ensure_commitment, record_signup
from rvg.repositories.organisations import find_organisation
from rvg.tally import Tally

REQUIRED = ("organisation", "takes_part", "signed_by_name", "signed_by_function")
OPTIONAL = ("agrees_to_costs", "comment")


def import_commitments(
    path: Path, cohort_code: str, *, session: Session, at: datetime
) -> ImportResult:
    """Record the sign-ups in a CSV or XLSX file for a cohort; an unchanged answer adds nothing."""
    cohort = get_cohort(cohort_code, session=session)
    tracks = cohort_tracks(cohort, session=session)
    vacancy_columns = [f"vacancies_{code}" for code, _ in tracks]
    table = read_table(path, REQUIRED, [*OPTIONAL, *vacancy_columns])
    find = cache(lambda text: find_organisation(text, session=session))
    first_rows: dict[int, int] = {}
    tally, rejected = Tally(), list[Rejection]()
    for row in table.rows:
        checked = _check(row, tracks, find, first_rows)
        if isinstance(checked, Rejection):
            rejected.append(checked)
            tally.count("rejected")
            continue
        organisation, answer = checked
        commitment, _ = ensure_commitment(cohort, organisation, session=session, invited_at=at)
        tally.count(_record(commitment, answer, session=session, at=at))
    return finish(
        table, tally, rejected, session=session, kind="commitments", cohort_id=cohort.id, at=at
    )


def cohort_tracks(cohort: Cohort, *, session: Session) -> list[tuple[str, str]]:
    """The cohort's tracks as (code, name), in the order the cohort lists them."""
    names = {code: name for code, name in session.execute(select(Track.code, Track.name))}
    return [(track.track_code, names[track.track_code]) for track in cohort.tracks]


def _check(
    row: Row,
    tracks: list[tuple[str, str]],
    find: Callable[[str], Organisation | None],
    first_rows: dict[int, int],
) -> tuple[Organisation, SignupAnswer] | Rejection:
    """The row's organisation and answer, or every problem with the row."""
    problems: list[tuple[str, str]] = []
    text = row.values["organisation"]
    organisation = find(text) if text else None
    if organisation is None:
        message = f"unknown organisation {text!r}" if text else "is empty"
        problems.append(("organisation", f"{message}; give its code or name"))
    elif organisation.id in first_rows:
        earlier = first_rows[organisation.id]
        problems.append(("organisation", f"{organisation.name!r} is already on row {earlier}"))
    else:
        first_rows[organisation.id] = row.number
    validation = validate_answer(row.values, tracks)
    problems.extend((error.field, error.message) for error in validation.errors)
    if problems or organisation is None or validation.answer is None:
        return reject(row, problems)
    return organisation, validation.answer


def _record(commitment: Commitment, answer: SignupAnswer, *, session: Session, at: datetime) -> str:
    """Store the answer as a new version unless the commitment already says the same."""
    if commitment.version and _same(commitment, answer):
        return "unchanged"
    outcome = "updated" if commitment.version else "imported"
    record_signup(commitment, answer, session=session, source="import", at=at)
    return outcome


def _same(commitment: Commitment, answer: SignupAnswer) -> bool:
    status = CommitmentStatus.COMMITTED if answer.takes_part else CommitmentStatus.DECLINED
    vacancies = {vacancy.track_code: vacancy.vacancies for vacancy in commitment.vacancies}
    return (
        commitment.status == status.value
        and commitment.agrees_to_costs == answer.agrees_to_costs
        and commitment.signed_by_name == answer.signed_by_name
        and commitment.signed_by_function == answer.signed_by_function
        and (commitment.comment or "") == answer.comment
        and all(vacancies.get(code) == count for code, count in answer.vacancies.items())
    )

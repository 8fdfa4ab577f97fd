"""Preferences stated after the meet & greet, by candidates and by organisations.

Each file is authoritative for the lists it contains: a candidate's (or organisation's)
list in the file replaces the stored one; lists not in the file are left alone. Ranks are
whole numbers from 1 (most preferred) and unique within a list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from rvg.imports.tabular import ImportResult, Rejection, Row, finish, read_table, reject
from rvg.inputs import whole_number
from rvg.models import Applicant, CandidatePreference, Cohort, Organisation, OrganisationPreference
from rvg.repositories.cohorts import get_cohort
from rvg.repositories.organisations import find_organisation
from rvg.tally import Tally

MAX_RANK = 1000  # more than any cohort has candidates or organisations

CANDIDATE_COLUMNS = ("candidate_id", "organisation_id", "rank")
ORGANISATION_COLUMNS = ("organisation_id", "candidate_id", "rank")


@dataclass(frozen=True)
class Preference:
    owner: int  # applicant id for candidate lists, organisation id for organisation lists
    other: int
    rank: int


def import_preferences(
    candidates: Path, organisations: Path, cohort_code: str, *, session: Session
) -> tuple[ImportResult, ImportResult]:
    """Both sides' preference lists for a cohort, each file validated row by row."""
    cohort = get_cohort(cohort_code, session=session)
    applicants = {
        ref: applicant_id
        for ref, applicant_id in session.execute(
            select(Applicant.applicant_ref, Applicant.id).where(Applicant.cohort_id == cohort.id)
        )
    }
    cache: dict[str, Organisation | None] = {}

    def org(text: str) -> Organisation | None:
        if text not in cache:
            cache[text] = find_organisation(text, session=session)
        return cache[text]

    def org_id(text: str) -> int | None:
        found = org(text)
        return found.id if found else None

    first = _import(
        candidates,
        CANDIDATE_COLUMNS,
        applicants.get,
        org_id,
        cohort,
        CandidatePreference,
        session=session,
    )
    second = _import(
        organisations,
        ORGANISATION_COLUMNS,
        org_id,
        applicants.get,
        cohort,
        OrganisationPreference,
        session=session,
    )
    return first, second


def _import(
    path: Path,
    columns: tuple[str, str, str],
    owner_of: Callable[[str], int | None],
    other_of: Callable[[str], int | None],
    cohort: Cohort,
    model: type[CandidatePreference] | type[OrganisationPreference],
    *,
    session: Session,
) -> ImportResult:
    table = read_table(path, columns)
    tally, rejected = Tally(), list[Rejection]()
    lists: dict[int, dict[int, int]] = {}  # owner -> other -> rank
    seen: dict[tuple[str, object], int] = {}
    for row in table.rows:
        checked = _check(row, columns, owner_of, other_of, seen)
        if isinstance(checked, Rejection):
            rejected.append(checked)
            tally.count("rejected")
            continue
        lists.setdefault(checked.owner, {})[checked.other] = checked.rank
    owner_field = "applicant_id" if model is CandidatePreference else "organisation_id"
    other_field = "organisation_id" if model is CandidatePreference else "applicant_id"
    for owner, wanted in lists.items():
        owner_column = getattr(model, owner_field)
        rows: list[CandidatePreference | OrganisationPreference] = list(
            session.scalars(select(model).where(owner_column == owner))
        )
        old = {getattr(p, other_field): p.rank for p in rows}
        for other, rank in wanted.items():
            same = old.get(other) == rank
            tally.count("unchanged" if same else "updated" if other in old else "imported")
        if old == wanted:
            continue
        # Replace the whole list: ranks are unique within a list, so moving one rank at a time
        # would collide with the ranks still stored.
        session.execute(delete(model).where(owner_column == owner))
        session.add_all(
            model(cohort_id=cohort.id, **{owner_field: owner, other_field: other}, rank=rank)
            for other, rank in wanted.items()
        )
        session.flush()
    kind = "candidate-preferences" if model is CandidatePreference else "organisation-preferences"
    return finish(table, tally, rejected, session=session, kind=kind, cohort_id=cohort.id)


def _check(
    row: Row,
    columns: tuple[str, str, str],
    owner_of: Callable[[str], int | None],
    other_of: Callable[[str], int | None],
    seen: dict[tuple[str, object], int],
) -> Preference | Rejection:
    owner_column, other_column, rank_column = columns
    owner_text, other_text = row.values[owner_column], row.values[other_column]
    problems = []
    owner, other = owner_of(owner_text), other_of(other_text)
    if owner is None:
        problems.append(
            (owner_column, f"unknown {owner_column.removesuffix('_id')} {owner_text!r}")
        )
    if other is None:
        problems.append(
            (other_column, f"unknown {other_column.removesuffix('_id')} {other_text!r}")
        )
    raw_rank = row.values[rank_column]
    rank = whole_number(raw_rank, 1, MAX_RANK)
    if rank is None:
        message = f"{raw_rank!r} is not a whole number from 1 to {MAX_RANK}"
        problems.append((rank_column, message))
    if problems:
        return reject(row, problems)
    for key, column in (((owner, other), other_column), ((owner, "rank", rank), rank_column)):
        earlier = seen.get((column, key))
        if earlier is not None:
            what = "a tie: the same rank" if column == rank_column else "a duplicate pair"
            return reject(row, [(column, f"{what} as row {earlier}")])
    seen[(other_column, (owner, other))] = row.number
    seen[(rank_column, (owner, "rank", rank))] = row.number
    assert owner is not None and other is not None and rank is not None
    return Preference(owner, other, rank)

"""``rvg import applicants``: the recruitment agency's export of applicants and their stage.

An applicant is the same applicant by ``applicant_ref`` within the cohort; an e-mail address
stored for another reference is a conflict and the row is rejected. A stage (or stage date)
that differs from the stored one is added to the stage history, which is never rewritten: a
row that goes back to an earlier state is rejected. An empty optional cell leaves the stored
value alone. Anonymised applicants are never updated nor imported again (their tombstone is found by
reference or address, see ``rvg.recruitment.tombstones``), and an applicant whose procedure
ended longer ago than the retention period is not imported at all (``rvg.recruitment.retention``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from rvg import clock
from rvg.dutch import short_date
from rvg.imports.commitments import cohort_tracks
from rvg.imports.tabular import (
    ImportResult,
    Rejection,
    Row,
    date_cell,
    finish,
    read_table,
    reject,
)
from rvg.inputs import decimal_number, reference_problem, whole_number
from rvg.models import ENDED_STAGES, Applicant, Stage, StageChange
from rvg.notifications.addresses import normalise_address
from rvg.recruitment.retention import ANONYMOUS_PREFIX, one_year_after, retain_until
from rvg.recruitment.tombstones import Graveyard
from rvg.repositories.cohorts import get_cohort
from rvg.tally import Tally

REQUIRED = ("applicant_ref", "first_name", "last_name", "email", "track", "stage", "stage_date")
SCORES = ("capacity_score", "personality_score", "drives_score", "interview_score")
OPTIONAL = ("phone", "years_experience", "education_level", "source", *SCORES, "consent_until")
MAX_LENGTHS = {
    "first_name": 100,
    "last_name": 150,
    "phone": 40,
    "education_level": 32,
    "source": 64,
}
# Every optional column a new row may leave empty, so a batch insert has the same keys.
OPTIONAL_COLUMNS = (
    "phone",
    "years_experience",
    "education_level",
    "source",
    *SCORES,
    "consent_until",
    "procedure_ended_on",
    "retain_until",
)
WRITE_BATCH = 2_000
MAX_EXPERIENCE = 60
MAX_SCORE = 100  # a grade (1-10) or a percentile (0-100); the agency's tests use either
_PHONE = re.compile(r"[0-9+()\-. /]+")

Problems = list[tuple[str, str]]


@dataclass(frozen=True)
class ApplicantRow:
    """A valid row. ``details`` holds the optional values the file gives (non-empty cells)."""

    number: int
    ref: str
    first_name: str
    last_name: str
    email: str
    track_code: str
    stage: Stage
    stage_date: date
    details: dict[str, Any]
    email_key: str = field(init=False)  # the address as compared, asked four times per row

    def __post_init__(self) -> None:
        object.__setattr__(self, "email_key", self.email.casefold())


def import_applicants(
    path: Path, cohort_code: str, *, session: Session, at: datetime
) -> ImportResult:
    """Add applicants from a CSV or XLSX file or record their progress; idempotent."""
    cohort = get_cohort(cohort_code, session=session)
    table = read_table(path, REQUIRED, OPTIONAL)
    tracks = _Tracks(cohort_tracks(cohort, session=session))
    today = clock.today(at)
    book, earlier = (
        _ApplicantBook(session, cohort.id, Graveyard(session, cohort.id, cohort.code)),
        _EarlierRows(),
    )
    tally, rejected = Tally(), list[Rejection]()
    for row in table.rows:
        parsed = _parse(row, tracks, today)
        problems = parsed if isinstance(parsed, list) else earlier.problems(parsed)
        if isinstance(parsed, ApplicantRow) and not problems:
            problems = book.problems(parsed, today)
        if isinstance(parsed, ApplicantRow) and not problems:
            tally.count(book.apply(parsed))
        else:
            rejected.append(reject(row, problems))
            tally.count("rejected")
    book.write()
    session.flush()
    return finish(
        table, tally, rejected, session=session, kind="applicants", cohort_id=cohort.id, at=at
    )


class _Tracks:
    """The cohort's tracks, found by code or name in any case."""

    def __init__(self, tracks: list[tuple[str, str]]) -> None:
        self.codes = {word.casefold(): code for code, name in tracks for word in (code, name)}
        self.listing = ", ".join(f"{code} ({name})" for code, name in tracks)

    def code(self, text: str) -> str | None:
        return self.codes.get(text.casefold())


def _parse(row: Row, tracks: _Tracks, today: date) -> ApplicantRow | Problems:
    """The row's values checked one by one; every problem of the row is reported."""
    values = {name: " ".join(text.split()) for name, text in row.values.items()}
    problems: Problems = []
    if problem := reference_problem(values["applicant_ref"]):
        problems.append(("applicant_ref", problem))
    for name in ("first_name", "last_name"):
        if not values[name] or len(values[name]) > MAX_LENGTHS[name]:
            problems.append((name, f"is required, at most {MAX_LENGTHS[name]} characters"))
    try:
        email = normalise_address(values["email"])
    except ValueError as exc:
        problems.append(("email", str(exc)))
    track_code = tracks.code(values["track"])
    if track_code is None:
        message = _unknown("track of this cohort", values["track"], tracks.listing)
        problems.append(("track", message))
    stage = _stage(values["stage"])
    if stage is None:
        problems.append(("stage", _unknown("known stage", values["stage"], ", ".join(Stage))))
    stage_date = date_cell(values, "stage_date", problems, required=True)
    if stage_date is not None and stage_date > today:
        problems.append(("stage_date", f"{short_date(stage_date)} lies in the future"))
    details = _details(values, stage_date, problems)
    if problems:
        return problems
    assert track_code is not None and stage is not None and stage_date is not None
    return ApplicantRow(
        row.number,
        values["applicant_ref"],
        values["first_name"],
        values["last_name"],
        email,
        track_code,
        stage,
        stage_date,
        details,
    )


def _details(values: dict[str, str], stage_date: date | None, problems: Problems) -> dict[str, Any]:
    """The optional values that are filled in, checked; problems are appended."""
    details: dict[str, Any] = {}
    for name in ("phone", "education_level", "source"):
        if values[name] and len(values[name]) > MAX_LENGTHS[name]:
            problems.append((name, f"is at most {MAX_LENGTHS[name]} characters"))
        elif values[name]:
            details[name] = values[name]
    if "phone" in details and not _PHONE.fullmatch(details["phone"]):
        problems.append(("phone", "use digits, spaces and + - ( ) only"))
    if values["years_experience"]:
        text = values["years_experience"]
        years = whole_number(text, 0, MAX_EXPERIENCE)
        if years is None:
            message = f"{text!r} is not a whole number of years from 0 to {MAX_EXPERIENCE}"
            problems.append(("years_experience", message))
        else:
            details["years_experience"] = years
    for name in SCORES:
        if values[name]:
            score = decimal_number(values[name], 0, MAX_SCORE)
            if score is None:
                message = f"{values[name]!r} is not a number from 0 to {MAX_SCORE} (e.g. 7 or 7,5)"
                problems.append((name, message))
            else:
                details[name] = score
    consent = date_cell(values, "consent_until", problems)
    if consent is not None:
        details["consent_until"] = consent
        if stage_date is not None and consent > one_year_after(stage_date):
            message = (
                f"{short_date(consent)} is more than 1 year after the stage_date; "
                "consent allows keeping data at most 1 year after the procedure"
            )
            problems.append(("consent_until", message))
    return details


@lru_cache(maxsize=256)  # an export spells a handful of stages
def _stage(text: str) -> Stage | None:
    word = re.sub(r"[\s&-]+", "_", text.casefold())
    return next((stage for stage in Stage if stage.value == word), None)


def _unknown(what: str, text: str, valid: str) -> str:
    found = f"{text!r} is not a {what}" if text else "is empty"
    return f"{found}; use one of {valid}"


@dataclass
class _EarlierRows:
    """Which references and addresses earlier rows of the file used, to refuse duplicates."""

    refs: dict[str, int] = field(default_factory=dict)
    emails: dict[str, tuple[int, str]] = field(default_factory=dict)

    def problems(self, row: ApplicantRow) -> Problems:
        """Empty when the row is the first with its reference and address; then remembered."""
        if row.ref in self.refs:
            return [("applicant_ref", f"{row.ref!r} is already on row {self.refs[row.ref]}")]
        if row.email_key in self.emails:
            number, ref = self.emails[row.email_key]
            return [("email", f"is already on row {number}, for applicant_ref {ref!r}")]
        self.refs[row.ref] = row.number
        self.emails[row.email_key] = (row.number, row.ref)
        return []


# What a book reads of each stored applicant: what it checks and every column a row sets.
STORED: tuple[str, ...] = ("id", "applicant_ref", "anonymised_at", "first_name", "last_name")
STORED += ("email", "track_code", "stage", "stage_date", *OPTIONAL_COLUMNS)


class _ApplicantBook:
    """The cohort's applicants by reference and e-mail address, with their stage history.

    Read once with Core; new applicants, changes and new stages are written in batches.
    """

    def __init__(self, session: Session, cohort_id: int, graveyard: Graveyard) -> None:
        self.session = session
        self.cohort_id = cohort_id
        self.graveyard = graveyard
        self.new: list[ApplicantRow] = []
        self.changes: list[dict[str, Any]] = []
        self.moves: list[dict[str, Any]] = []
        # Plain rows, not ORM objects: a large cohort stays cheap to hold.
        query = select(*(getattr(Applicant, name) for name in STORED))
        stored = session.execute(query.where(Applicant.cohort_id == cohort_id)).mappings().all()
        self.by_ref = {a["applicant_ref"]: a for a in stored}
        self.by_email = {a["email"].casefold(): a for a in stored if a["email"]}

    @cached_property
    def history(self) -> dict[int, list[tuple[str, date]]]:
        """Every stored applicant's stages, read when a row first moves one (never, when an
        export is imported again unchanged)."""
        history: dict[int, list[tuple[str, date]]] = defaultdict(list)
        query = (
            select(StageChange.applicant_id, StageChange.stage, StageChange.entered_on)
            .join(Applicant)
            .where(Applicant.cohort_id == self.cohort_id)
        )
        for applicant_id, stage, entered_on in self.session.execute(query):
            history[applicant_id].append((stage, entered_on))
        return history

    def problems(self, row: ApplicantRow, today: date) -> Problems:
        """Why the row cannot be applied to what is stored; empty when it can."""
        applicant = self.by_ref.get(row.ref)
        if applicant is not None and applicant["anonymised_at"] is not None:
            when = clock.today(applicant["anonymised_at"])
            return [("applicant_ref", f"was anonymised on {short_date(when)}; it is not updated")]
        owner = self.by_email.get(row.email_key)
        if owner is not None and owner is not applicant:
            message = f"is stored for applicant_ref {owner['applicant_ref']!r}, not {row.ref!r}"
            return [("email", message)]
        if applicant is None:
            erased_on = self.graveyard.erased_on(row.ref, row.email)
            if erased_on is not None:
                message = (
                    f"this applicant was erased on {short_date(erased_on)} under the retention "
                    "rules; not imported"
                )
                return [("applicant_ref", message)]
            return _new_problems(row, today)
        if (applicant["stage"], applicant["stage_date"]) == (row.stage, row.stage_date):
            return []
        return _history_problems(applicant, self.history[applicant["id"]], row)

    def apply(self, row: ApplicantRow) -> str:
        """Insert or update the applicant (in the next batch); the outcome for the tally.

        A later row of the same file never needs what an earlier row wrote: it may not
        repeat a reference or address, and ``by_email`` follows a changed address at once.
        """
        applicant = self.by_ref.get(row.ref)
        if applicant is None:
            self.new.append(row)
            outcome = "imported"
        else:
            if applicant["email"] != row.email:
                if applicant["email"]:
                    self.by_email.pop(applicant["email"].casefold(), None)
                self.by_email[row.email_key] = applicant
            moved = (applicant["stage"], applicant["stage_date"]) != (row.stage, row.stage_date)
            if moved:
                self.moves.append(_stage_change(applicant["id"], row))
            wanted = _wanted(row, applicant["consent_until"])
            changed = {k: v for k, v in wanted.items() if applicant[k] != v}
            if changed:
                self.changes.append({"id": applicant["id"], **changed})
            outcome = "updated" if changed or moved else "unchanged"
        if max(len(self.new), len(self.changes), len(self.moves)) >= WRITE_BATCH:
            self.write()
        return outcome

    def write(self) -> None:
        """Write the waiting new applicants, changes and stages, a few statements each."""
        if self.new:
            blank = dict.fromkeys(OPTIONAL_COLUMNS)
            values = [
                {**blank, "cohort_id": self.cohort_id, "applicant_ref": r.ref, **_wanted(r, None)}
                for r in self.new
            ]
            # One executemany, then the new ids by reference: RETURNING would cost SQLite
            # one statement per row.
            self.session.execute(insert(Applicant), values)
            refs = [r.ref for r in self.new]
            ids = {
                ref: applicant_id
                for ref, applicant_id in self.session.execute(
                    select(Applicant.applicant_ref, Applicant.id).where(
                        Applicant.cohort_id == self.cohort_id, Applicant.applicant_ref.in_(refs)
                    )
                )
            }
            self.moves += [_stage_change(ids[r.ref], r) for r in self.new]
        if self.changes:
            self.session.execute(update(Applicant), self.changes)  # by primary key, batched
        if self.moves:
            self.session.execute(insert(StageChange), self.moves)
        self.new, self.changes, self.moves = [], [], []


def _stage_change(applicant_id: int, row: ApplicantRow) -> dict[str, Any]:
    return {"applicant_id": applicant_id, "stage": row.stage.value, "entered_on": row.stage_date}


def _new_problems(row: ApplicantRow, today: date) -> Problems:
    if row.ref.startswith(ANONYMOUS_PREFIX):
        message = f"the prefix {ANONYMOUS_PREFIX!r} is kept for anonymised applicants"
        return [("applicant_ref", message)]
    if row.stage in ENDED_STAGES:
        until = retain_until(row.stage_date, row.details.get("consent_until"))
        if until < today:
            message = (
                f"the procedure ended on {short_date(row.stage_date)} and the data may be kept "
                f"only until {short_date(until)}; the applicant is not imported"
            )
            return [("stage_date", message)]
    return []


def _history_problems(
    applicant: RowMapping, history: list[tuple[str, date]], row: ApplicantRow
) -> Problems:
    """A row that moves the applicant may only move it on: the history is appended, never
    rewritten."""
    if row.stage_date < applicant["stage_date"] or (row.stage.value, row.stage_date) in history:
        message = (
            f"{row.stage.value} on {short_date(row.stage_date)} is earlier than the stored stage "
            f"{applicant['stage']} on {short_date(applicant['stage_date'])}; "
            "the history is not rewritten"
        )
        return [("stage_date", message)]
    return []


def _wanted(row: ApplicantRow, stored_consent: date | None) -> dict[str, Any]:
    """The column values the applicant should have after this row."""
    wanted: dict[str, Any] = {
        "first_name": row.first_name,
        "last_name": row.last_name,
        "email": row.email,
        "track_code": row.track_code,
        "stage": row.stage.value,
        "stage_date": row.stage_date,
        **row.details,
    }
    consent = wanted.get("consent_until", stored_consent)
    ended = row.stage in ENDED_STAGES
    wanted["procedure_ended_on"] = row.stage_date if ended else None
    wanted["retain_until"] = retain_until(row.stage_date, consent) if ended else None
    return wanted

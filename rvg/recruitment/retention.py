"""How long an applicant's personal data may be kept, and anonymising those whose time is up.

The programme's rule: rejected applicants are erased or anonymised 4 weeks after their
procedure ends, or at most 1 year later with their consent. In this module that reads:

- a procedure ends when the applicant is rejected or withdraws (``ENDED_STAGES``), on that
  stage's date (``procedure_ended_on``);
- personal data may be kept up to and including ``retain_until``: 28 days after the end, or
  the applicant's ``consent_until`` when that is later, but never more than one year after the
  end; on the day after ``retain_until`` the applicant is due and ``erase_due`` anonymises them.

Anonymising keeps what the funnel statistics and an evaluation of the selection need: cohort,
track, stage and stage history, source, education level, years of experience, the assessment
scores and the consent date. It drops what identifies the person: first and last name, e-mail
address, phone, and the agency's reference, which becomes ``anon-<id>``; the e-mails sent to
the person keep their template and dates but lose the address and their contents. Preferences stated
after the meet & greet stay: they point at the internal id, not at the person. Each
anonymisation leaves a tombstone (``rvg.recruitment.tombstones``) so an old export cannot bring
the person back, and is recorded in ``ErasureAudit`` by internal id and rule, never with
personal data. The same run deletes the files of rejected import rows whose time is up
(``RejectedFile``); on SQLite it then empties the write-ahead log, which would otherwise keep
the erased values in its pages (and ``secure_delete`` overwrites freed pages).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from rvg import clock
from rvg.db import checkpoint, session_scope
from rvg.imports.tabular import delete_rejected_file
from rvg.information.interests import after_campaign, forget_interests
from rvg.information.interests import first_erasure_day as first_interest_erasure_day
from rvg.migrate import migrated_sessionmaker
from rvg.models import (
    ENDED_STAGES,
    Applicant,
    Cohort,
    ErasureAction,
    ErasureAudit,
    Notification,
    NotificationStatus,
    Placement,
    RejectedFile,
)
from rvg.notifications.outbox import ERASED_ADDRESS
from rvg.recruitment.tombstones import bury, check_key, erasure_key
from rvg.repositories.cohorts import get_cohort
from rvg.settings import Settings, load_settings

GRACE_PERIOD = timedelta(days=28)
ANONYMOUS_PREFIX = "anon-"
SUBJECT_TYPE = "applicant"
FILE_SUBJECT_TYPE = "rejected_file"
FILE_RULE = "28 days after the import"
INTEREST_SUBJECT_TYPE = "qa_interest"
INTEREST_RULE = "after the campaign's meet & greet"


def one_year_after(day: date) -> date:
    """The same date a year later; 29 February gives 28 February, so never more than a year."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def retain_until(procedure_ended_on: date, consent_until: date | None = None) -> date:
    """The last day personal data may be kept: 28 days, or longer by consent up to one year."""
    standard = procedure_ended_on + GRACE_PERIOD
    if consent_until is None or consent_until <= standard:
        return standard
    return min(consent_until, one_year_after(procedure_ended_on))


def retention_rule(procedure_ended_on: date, consent_until: date | None = None) -> str:
    """The rule that sets ``retain_until``, in words for the audit log (no personal data)."""
    until = retain_until(procedure_ended_on, consent_until)
    if consent_until is None or until == procedure_ended_on + GRACE_PERIOD:
        return "28 days after procedure end"
    if until == consent_until:
        return f"consent until {consent_until.isoformat()}"
    return f"consent until {consent_until.isoformat()}, limited to 1 year after procedure end"


def procedure_end(applicant: Applicant) -> date | None:
    """When the applicant's procedure ended; None while it runs (or after placement)."""
    if applicant.stage not in ENDED_STAGES:
        return None
    return applicant.procedure_ended_on or applicant.stage_date


def applicant_retain_until(applicant: Applicant) -> date | None:
    """The stored ``retain_until``, else the one the rules give; None while the procedure runs."""
    ended = procedure_end(applicant)
    if ended is None:
        return None
    return applicant.retain_until or retain_until(ended, applicant.consent_until)


def is_due(applicant: Applicant, as_of: date) -> bool:
    """Whether the applicant must be anonymised on ``as_of``: ``retain_until`` has passed."""
    until = applicant_retain_until(applicant)
    return applicant.anonymised_at is None and until is not None and until < as_of


def due_for_erasure(applicants: Iterable[Applicant], as_of: date) -> list[Applicant]:
    """The ended, not yet anonymised applicants whose ``retain_until`` lies before ``as_of``."""
    return [applicant for applicant in applicants if is_due(applicant, as_of)]


def anonymise(applicant: Applicant, at: datetime) -> None:
    """Drop what identifies the person; keep what the statistics need (see the module)."""
    if applicant.id is None:
        raise ValueError("an applicant must be stored (have an id) before it is anonymised")
    applicant.first_name = None
    applicant.last_name = None
    applicant.email = None
    applicant.phone = None
    applicant.applicant_ref = f"{ANONYMOUS_PREFIX}{applicant.id}"
    applicant.anonymised_at = at


@dataclass(frozen=True)
class ErasedApplicant:
    """One applicant that was (or, in a dry run, would be) anonymised; internal id only."""

    applicant_id: int
    cohort_id: int
    retain_until: date
    rule: str


@dataclass(frozen=True)
class ErasedFile:
    """A file of rejected import rows that was (or would be) deleted; no name, no contents."""

    file_id: int
    kind: str
    rows: int
    delete_after: date


@dataclass(frozen=True)
class ErasureReport:
    cohort: str | None
    as_of: date
    dry_run: bool
    applicants: list[ErasedApplicant]
    files: list[ErasedFile]
    interests: int = 0  # Q&A registrations of campaigns that are over
    log_emptied: bool | None = None  # SQLite: whether the write-ahead log could be emptied

    def line(self) -> str:
        done = 0 if self.dry_run else len(self.applicants)
        files = 0 if self.dry_run else len(self.files)
        text = (
            f"due={len(self.applicants)} anonymised={done} "
            f"files_due={len(self.files)} files_deleted={files} "
            f"qa_interests_due={self.interests}"
        )
        return text + (" (dry run: nothing changed)" if self.dry_run else "")


def erase_due(
    cohort: str | None,
    as_of: clock.AsOf,
    *,
    session: Session,
    dry_run: bool,
    performed_by: str,
) -> ErasureReport:
    """Anonymise every applicant due on ``as_of`` (of one cohort, or all) and audit each one.

    Each leaves a tombstone. Files of rejected rows past their deadline are deleted too (those
    of the cohort, or all). In a dry run nothing is changed or audited; the report lists what
    would be. Outside a dry run the rows are locked (on PostgreSQL), so two runs never audit
    one twice.
    """
    day, at = clock.today(as_of), clock.utcnow(as_of)
    key = erasure_key()
    check_key(key, session)
    codes = {cohort_id: code for cohort_id, code in session.execute(select(Cohort.id, Cohort.code))}
    query = (
        select(Applicant)
        .where(
            Applicant.anonymised_at.is_(None),
            Applicant.stage.in_(sorted(stage.value for stage in ENDED_STAGES)),
        )
        .order_by(Applicant.id)
        .execution_options(populate_existing=True)
    )
    files = select(RejectedFile).where(RejectedFile.deleted_at.is_(None))
    if cohort is not None:
        cohort_id = get_cohort(cohort, session=session).id
        query = query.where(Applicant.cohort_id == cohort_id)
        files = files.where(RejectedFile.cohort_id == cohort_id)
    if not dry_run:
        query = query.with_for_update()
        files = files.with_for_update()
    erased = []
    for applicant in due_for_erasure(session.scalars(query), day):
        ended = procedure_end(applicant)
        until = applicant_retain_until(applicant)
        assert ended is not None and until is not None
        rule = retention_rule(ended, applicant.consent_until)
        erased.append(ErasedApplicant(applicant.id, applicant.cohort_id, until, rule))
        if not dry_run:
            session.add(bury(applicant, codes[applicant.cohort_id], key, day))
            if applicant.email:
                scrub_outbox(applicant.email, session=session)
            anonymise(applicant, at)
            session.add(
                _audit(applicant.cohort_id, SUBJECT_TYPE, applicant.id, rule, performed_by, at)
            )
    deleted = []
    for record in session.scalars(files.where(RejectedFile.delete_after < day)):
        deleted.append(ErasedFile(record.id, record.kind, record.rows, record.delete_after))
        if not dry_run:
            delete_rejected_file(record.file_name)
            record.deleted_at = at
            session.add(
                _audit(
                    record.cohort_id,
                    FILE_SUBJECT_TYPE,
                    record.id,
                    FILE_RULE,
                    performed_by,
                    at,
                    ErasureAction.ERASED,
                )
            )
    interests = after_campaign(day, session=session)
    if cohort is not None:
        interests = [i for i in interests if i.cohort_id == cohort_id]
    if not dry_run:
        for interest in interests:  # the audit names the row, never the address
            session.add(
                _audit(
                    interest.cohort_id,
                    INTEREST_SUBJECT_TYPE,
                    interest.id,
                    INTEREST_RULE,
                    performed_by,
                    at,
                    ErasureAction.ERASED,
                )
            )
        forget_interests(interests, session=session)
    session.flush()
    return ErasureReport(
        cohort=cohort,
        as_of=day,
        dry_run=dry_run,
        applicants=erased,
        files=deleted,
        interests=len(interests),
    )


def scrub_outbox(address: str, *, session: Session) -> int:
    """The e-mails to ``address`` lose the address and their context (name, links); those not
    yet sent are cancelled. The template, status and dates stay for the counts."""
    to_them = Notification.to_address == address
    session.execute(
        update(Notification)
        .where(to_them, Notification.status == NotificationStatus.PENDING.value)
        .values(status=NotificationStatus.CANCELLED.value)
        .execution_options(synchronize_session=False)
    )
    result = session.execute(
        update(Notification)
        .where(to_them)
        .values(to_address=ERASED_ADDRESS, context={})
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def first_erasure_day(*, session: Session) -> date | None:
    """The first day on which something is due for erasure (an applicant or a rejected-row
    file), so a simulated cycle that skips quiet days still runs retention on time."""
    applicant = session.scalar(
        select(func.min(Applicant.retain_until)).where(
            Applicant.anonymised_at.is_(None),
            Applicant.stage.in_(sorted(stage.value for stage in ENDED_STAGES)),
        )
    )
    file = session.scalar(
        select(func.min(RejectedFile.delete_after)).where(RejectedFile.deleted_at.is_(None))
    )
    days = [day + timedelta(days=1) for day in (applicant, file) if day is not None]
    interests = first_interest_erasure_day(session=session)
    return min([*days, *([interests] if interests else [])], default=None)


def holding_personal_data(*, session: Session) -> tuple[int, int]:
    """How many applicants still hold a name or e-mail address: (placed, all others)."""
    holding = or_(Applicant.first_name.is_not(None), Applicant.email.is_not(None))
    placed = Applicant.id.in_(select(Placement.applicant_id))
    count = select(func.count()).select_from(Applicant).where(holding)
    return (
        session.scalar(count.where(placed)) or 0,
        session.scalar(count.where(~placed)) or 0,
    )


class RetentionSummary(BaseModel):
    """What a retention run did, as the flow returns it."""

    as_of: date
    cohort: str | None
    dry_run: bool
    due: int
    anonymised: int
    files_due: int = 0
    files_deleted: int = 0
    qa_interests_deleted: int = 0

    @classmethod
    def of(cls, report: ErasureReport) -> RetentionSummary:
        return cls(
            as_of=report.as_of,
            cohort=report.cohort,
            dry_run=report.dry_run,
            due=len(report.applicants),
            anonymised=0 if report.dry_run else len(report.applicants),
            files_due=len(report.files),
            files_deleted=0 if report.dry_run else len(report.files),
            qa_interests_deleted=0 if report.dry_run else report.interests,
        )

    def line(self) -> str:
        return (
            f"due={self.due} anonymised={self.anonymised} "
            f"files_due={self.files_due} files_deleted={self.files_deleted} "
            f"qa_interests_deleted={self.qa_interests_deleted}"
        ) + (" dry_run" if self.dry_run else "")


def run_retention(
    cohort: str | None,
    as_of: clock.AsOf,
    *,
    dry_run: bool,
    performed_by: str,
    settings: Settings | None = None,
) -> ErasureReport:
    """``erase_due`` in its own transaction; on SQLite the write-ahead log is emptied after."""
    settings = settings or load_settings()
    factory = migrated_sessionmaker(settings)
    with session_scope(factory) as session:
        report = erase_due(
            cohort, as_of, session=session, dry_run=dry_run, performed_by=performed_by
        )
    if dry_run:
        return report
    emptied = checkpoint(factory.kw["bind"])  # every run: a busy log is emptied by the next
    return replace(report, log_emptied=emptied)


def _audit(
    cohort_id: int | None,
    subject_type: str,
    subject_id: int,
    rule: str,
    performed_by: str,
    at: datetime,
    action: ErasureAction = ErasureAction.ANONYMISED,
) -> ErasureAudit:
    return ErasureAudit(
        cohort_id=cohort_id,
        subject_type=subject_type,
        subject_id=subject_id,
        action=action.value,
        rule=rule,
        performed_by=performed_by,
        performed_at=at,
    )

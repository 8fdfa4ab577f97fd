"""The audit log of erasures of personal data. It never holds personal data itself."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from rvg.db import Base
from rvg.models._columns import check_in


class ErasureAction(StrEnum):
    ERASED = "erased"
    ANONYMISED = "anonymised"


class ErasureAudit(Base):
    """``subject_type``/``subject_id`` point at the internal row id, which identifies no person."""

    __tablename__ = "erasure_audit"
    __table_args__ = (check_in("action", ErasureAction),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(16))
    rule: Mapped[str] = mapped_column(String(100))
    performed_by: Mapped[str] = mapped_column(String(100))
    performed_at: Mapped[datetime]


class Tombstone(Base):
    """What is left of an anonymised applicant so an old export cannot bring them back.

    No personal data: ``ref_digest`` and ``email_digest`` are keyed hashes (HMAC-SHA256) of
    the cohort with the agency's reference and with the e-mail address; without the key
    (``rvg.recruitment.tombstones``) they cannot be tested against a list of addresses.
    ``key_id`` names the key they were made with, so a changed key is noticed, not ignored.
    """

    __tablename__ = "tombstones"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    ref_digest: Mapped[str] = mapped_column(String(64), index=True)
    email_digest: Mapped[str | None] = mapped_column(String(64), index=True)
    key_id: Mapped[str] = mapped_column(String(16))
    erased_on: Mapped[date]


class RejectedFile(Base):
    """A file of rejected import rows in the managed folder; it holds personal data.

    The rows never reached the database, so they get the shortest deadline the rules know:
    the file is deleted by the retention run after ``delete_after`` (``deleted_at`` then set).
    """

    __tablename__ = "rejected_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(32))  # the import: applicants, contacts, ...
    file_name: Mapped[str] = mapped_column(String(100), unique=True)
    rows: Mapped[int]
    written_at: Mapped[datetime]
    delete_after: Mapped[date]
    deleted_at: Mapped[datetime | None]

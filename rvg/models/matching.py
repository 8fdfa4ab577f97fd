"""Preferences stated after the meet & greet, by candidates and by organisations."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from rvg.db import Base


class CandidatePreference(Base):
    """Candidate ``applicant_id`` ranks ``organisation_id`` at ``rank`` (1 is most preferred)."""

    __tablename__ = "candidate_preferences"
    __table_args__ = (
        UniqueConstraint("applicant_id", "organisation_id"),
        UniqueConstraint("applicant_id", "rank"),
        CheckConstraint("rank >= 1", name="rank_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    rank: Mapped[int]


class OrganisationPreference(Base):
    """Organisation ``organisation_id`` ranks candidate ``applicant_id`` at ``rank``."""

    __tablename__ = "organisation_preferences"
    __table_args__ = (
        UniqueConstraint("cohort_id", "organisation_id", "applicant_id"),
        UniqueConstraint("cohort_id", "organisation_id", "rank"),
        CheckConstraint("rank >= 1", name="rank_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id", ondelete="CASCADE"))
    rank: Mapped[int]

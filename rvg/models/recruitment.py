"""Applicants and their path through the funnel; retention: ``rvg.recruitment.retention``."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rvg.db import Base
from rvg.models._columns import check_in, created_at_column, updated_at_column


class Stage(StrEnum):
    APPLIED = "applied"
    SCREENED = "screened"
    ASSESSMENT = "assessment"
    INTERVIEW = "interview"
    MEET_GREET = "meet_greet"
    PREFERENCES = "preferences"
    MATCHED = "matched"
    PLACED = "placed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


ENDED_STAGES = frozenset({Stage.REJECTED, Stage.WITHDRAWN})


class Applicant(Base):
    """A person who applied for a cohort. Name and contact details are erased after retention."""

    __tablename__ = "applicants"
    __table_args__ = (
        UniqueConstraint("cohort_id", "applicant_ref"),
        check_in("stage", Stage),
        CheckConstraint(
            "years_experience IS NULL OR years_experience >= 0", name="experience_valid"
        ),
        CheckConstraint(
            "anonymised_at IS NULL OR (first_name IS NULL AND last_name IS NULL "
            "AND email IS NULL AND phone IS NULL)",
            name="anonymised_has_no_identity",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    applicant_ref: Mapped[str] = mapped_column(String(64))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(150))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    track_code: Mapped[str] = mapped_column(ForeignKey("tracks.code"))
    stage: Mapped[str] = mapped_column(String(16))
    stage_date: Mapped[date]
    years_experience: Mapped[int | None]
    education_level: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str | None] = mapped_column(String(64))
    capacity_score: Mapped[float | None]
    personality_score: Mapped[float | None]
    drives_score: Mapped[float | None]
    interview_score: Mapped[float | None]
    consent_until: Mapped[date | None]
    procedure_ended_on: Mapped[date | None]
    retain_until: Mapped[date | None]
    anonymised_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()

    stage_history: Mapped[list[StageChange]] = relationship(
        back_populates="applicant", cascade="all, delete-orphan", order_by="StageChange.id"
    )

    @property
    def full_name(self) -> str:
        """First and last name, as an e-mail greets the applicant (empty once erased)."""
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class StageChange(Base):
    """An applicant entered ``stage`` on ``entered_on``; history is appended, never rewritten."""

    __tablename__ = "applicant_stage_history"
    __table_args__ = (
        UniqueConstraint("applicant_id", "stage", "entered_on"),
        check_in("stage", Stage),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(16))
    entered_on: Mapped[date]
    recorded_at: Mapped[datetime] = created_at_column()

    applicant: Mapped[Applicant] = relationship(back_populates="stage_history")

"""Cohorts ("lichtingen"), the tracks they offer and their key dates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rvg.db import Base
from rvg.models._columns import check_in, created_at_column, updated_at_column
from rvg.phases import Phase


class Track(Base):
    """A learning track, e.g. ``ro`` Ruimtelijke Ordening or ``vm`` Verkeer en Mobiliteit."""

    __tablename__ = "tracks"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class Cohort(Base):
    """One yearly group of participants, keyed by its code (e.g. ``2027``)."""

    __tablename__ = "cohorts"
    __table_args__ = (
        check_in("current_phase", Phase),
        CheckConstraint("min_organisations >= 1", name="min_organisations_positive"),
        CheckConstraint(
            "target_participants_min <= target_participants_max", name="target_range_ordered"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(100))
    current_phase: Mapped[str] = mapped_column(String(32), default=Phase.BUSINESS_CASE.value)
    min_organisations: Mapped[int]
    target_participants_min: Mapped[int]
    target_participants_max: Mapped[int]
    parameters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()

    tracks: Mapped[list[CohortTrack]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", order_by="CohortTrack.track_code"
    )
    milestones: Mapped[list[CohortMilestone]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", order_by="CohortMilestone.on"
    )

    def milestone(self, name: str) -> date | None:
        return next((m.on for m in self.milestones if m.name == name), None)


class CohortTrack(Base):
    __tablename__ = "cohort_tracks"
    __table_args__ = (UniqueConstraint("cohort_id", "track_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    track_code: Mapped[str] = mapped_column(ForeignKey("tracks.code"))

    cohort: Mapped[Cohort] = relationship(back_populates="tracks")


class CohortMilestone(Base):
    """A key date of a cohort: ``signup_opens``, ``signup_deadline``, ``training_start``, …"""

    __tablename__ = "cohort_milestones"
    __table_args__ = (UniqueConstraint("cohort_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
    on: Mapped[date]

    cohort: Mapped[Cohort] = relationship(back_populates="milestones")

"""Cohorts ("lichtingen"), the tracks they offer and their key dates."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rvg.db import Base
from rvg.models._columns import check_in, created_at_column, updated_at_column


class Measure(StrEnum):
    """A published outcome of a past cohort."""

    APPLICANTS = "applicants"  # who applied (candidates)
    PLACES = "places"  # places offered
    PARTICIPANTS = "participants"  # who started (contracts signed)
    ORGANISATIONS = "organisations"  # organisations that took part
    RETAINED = "retained"  # still working for the region's governments


MEASURE_LABELS = {
    Measure.APPLICANTS: "sollicitanten",
    Measure.PLACES: "plaatsen",
    Measure.PARTICIPANTS: "deelnemers",
    Measure.ORGANISATIONS: "organisaties",
    Measure.RETAINED: "nog in dienst",
}


class Track(Base):
    """A learning track, e.g. ``ro`` Ruimtelijke Ordening or ``vm`` Verkeer en Mobiliteit."""

    __tablename__ = "tracks"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class Cohort(Base):
    """One yearly group of participants, keyed by its code (e.g. ``2027``)."""

    __tablename__ = "cohorts"
    __table_args__ = (
        CheckConstraint("min_organisations >= 1", name="min_organisations_positive"),
        CheckConstraint(
            "target_participants_min <= target_participants_max", name="target_range_ordered"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(100))
    min_organisations: Mapped[int]
    target_participants_min: Mapped[int]
    target_participants_max: Mapped[int]
    parameters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # A past cohort recorded with its published outcomes (``rvg cohort create --history``):
    # no phase runs for it, it stands in the history that trends and estimates read.
    historical: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()

    tracks: Mapped[list[CohortTrack]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", order_by="CohortTrack.track_code"
    )
    milestones: Mapped[list[CohortMilestone]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", order_by="CohortMilestone.on"
    )
    outcomes: Mapped[list[CohortOutcome]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", order_by="CohortOutcome.measure"
    )
    rule_sets: Mapped[list[CohortRuleSet]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", order_by="CohortRuleSet.version"
    )

    def milestone(self, name: str) -> date | None:
        return next((m.on for m in self.milestones if m.name == name), None)

    def key_date(self, name: str) -> date:
        """The key date ``name``; ValueError when the cohort has none."""
        day = self.milestone(name)
        if day is None:
            raise ValueError(f"cohort {self.code} has no {name}")
        return day

    @property
    def label(self) -> str:
        """``lichting 2027``: how a message names the cohort it is about (Dutch)."""
        return f"lichting {self.code}"


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


class CohortOutcome(Base):
    """A published figure of a past cohort, with where it comes from."""

    __tablename__ = "cohort_outcomes"
    __table_args__ = (
        UniqueConstraint("cohort_id", "measure"),
        check_in("measure", Measure),
        CheckConstraint("value >= 0", name="value_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    measure: Mapped[str] = mapped_column(String(32))
    value: Mapped[int]
    source: Mapped[str] = mapped_column(String(500))
    derived: Mapped[bool] = mapped_column(default=False)

    cohort: Mapped[Cohort] = relationship(back_populates="outcomes")


class CohortRuleSet(Base):
    """A version of a cohort's own rules: the text of each rule file (``surveys.yaml``,
    ``training.yaml`` …) as it was when the cohort was created or a decision changed them.
    Every read of those rules for the cohort goes through its latest version, so editing
    ``config/`` for the next cohort changes nothing for this one."""

    __tablename__ = "cohort_rule_sets"
    __table_args__ = (
        UniqueConstraint("cohort_id", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    version: Mapped[int]
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 over the files, names included
    files: Mapped[dict[str, Any]] = mapped_column()  # file name -> text
    reason: Mapped[str] = mapped_column(String(200))
    taken_at: Mapped[datetime] = created_at_column()

    cohort: Mapped[Cohort] = relationship(back_populates="rule_sets")

"""Commitments: an organisation's sign-up for a cohort, with vacancies per track."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rvg.db import Base
from rvg.models._columns import check_in, created_at_column, updated_at_column


class CommitmentStatus(StrEnum):
    INVITED = "invited"
    COMMITTED = "committed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class Commitment(Base):
    __tablename__ = "commitments"
    __table_args__ = (
        UniqueConstraint("cohort_id", "organisation_id"),
        check_in("status", CommitmentStatus),
        CheckConstraint(
            "status <> 'committed' OR agrees_to_costs", name="committed_agrees_to_costs"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    status: Mapped[str] = mapped_column(String(16), default=CommitmentStatus.INVITED.value)
    agrees_to_costs: Mapped[bool] = mapped_column(default=False)
    signed_by_name: Mapped[str | None] = mapped_column(String(200))
    signed_by_function: Mapped[str | None] = mapped_column(String(200))
    comment: Mapped[str | None] = mapped_column(Text)
    invited_at: Mapped[datetime | None]
    responded_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()

    vacancies: Mapped[list[CommitmentVacancy]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan"
    )
    versions: Mapped[list[CommitmentVersion]] = relationship(
        back_populates="commitment",
        cascade="all, delete-orphan",
        order_by="CommitmentVersion.version",
    )


class CommitmentVacancy(Base):
    __tablename__ = "commitment_vacancies"
    __table_args__ = (
        UniqueConstraint("commitment_id", "track_code"),
        CheckConstraint("vacancies >= 0", name="vacancies_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"))
    track_code: Mapped[str] = mapped_column(ForeignKey("tracks.code"))
    vacancies: Mapped[int]

    commitment: Mapped[Commitment] = relationship(back_populates="vacancies")


class CommitmentVersion(Base):
    """Every submitted version of a sign-up is kept, so a change can always be traced."""

    __tablename__ = "commitment_versions"
    __table_args__ = (
        UniqueConstraint("commitment_id", "version"),
        check_in("source", ["web", "import"]),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"))
    version: Mapped[int]
    source: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]]
    recorded_at: Mapped[datetime] = created_at_column()

    commitment: Mapped[Commitment] = relationship(back_populates="versions")

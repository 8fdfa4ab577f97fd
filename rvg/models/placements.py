"""Placements: a participant working at an organisation for the training year."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rvg.db import Base
from rvg.models._columns import check_in, created_at_column, updated_at_column


class PlacementStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    COMPLETED = "completed"
    DROPPED_OUT = "dropped_out"


class Placement(Base):
    __tablename__ = "placements"
    __table_args__ = (
        check_in("status", PlacementStatus),
        CheckConstraint(
            "status <> 'dropped_out' OR (ended_on IS NOT NULL AND drop_out_reason IS NOT NULL)",
            name="drop_out_has_date_and_reason",
        ),
        CheckConstraint("ended_on IS NULL OR ended_on >= starts_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    track_code: Mapped[str] = mapped_column(ForeignKey("tracks.code"))
    buddy_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL")
    )
    manager_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL")
    )
    starts_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default=PlacementStatus.PLANNED.value)
    ended_on: Mapped[date | None]
    drop_out_reason: Mapped[str | None] = mapped_column(Text)
    permanent_appointment: Mapped[bool | None]
    permanent_appointment_on: Mapped[date | None]
    working_in_public_sector_12m: Mapped[bool | None]
    working_in_public_sector_24m: Mapped[bool | None]
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()

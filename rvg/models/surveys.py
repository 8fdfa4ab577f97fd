"""Evaluation survey rounds and the responses to them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from rvg.db import Base
from rvg.models._columns import check_in, created_at_column, updated_at_column


class RoundStatus(StrEnum):
    PLANNED = "planned"
    OPEN = "open"
    CLOSED = "closed"


class Audience(StrEnum):
    PARTICIPANT = "participant"
    BUDDY = "buddy"
    MANAGER = "manager"


class SurveyRound(Base):
    __tablename__ = "survey_rounds"
    __table_args__ = (
        UniqueConstraint("cohort_id", "code"),
        check_in("status", RoundStatus),
        CheckConstraint("opens_on <= closes_on", name="dates_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default=RoundStatus.PLANNED.value)
    created_at: Mapped[datetime] = created_at_column()


class SurveyResponse(Base):
    """The answers given through one invitation; editable until the round closes."""

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), unique=True
    )
    answers: Mapped[dict[str, Any]]
    version: Mapped[int] = mapped_column(default=1)
    submitted_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()

"""Business cases: the cost model applied to one cohort, with its cost lines."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rvg.db import Base
from rvg.models._columns import check_in, created_at_column

Money = Numeric(14, 2)


class BusinessCaseStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    REJECTED = "rejected"


class CostCategory(StrEnum):
    FIXED = "fixed"
    PER_PARTICIPANT = "per_participant"
    PROJECT_MANAGEMENT = "project_management"


class BusinessCase(Base):
    __tablename__ = "business_cases"
    __table_args__ = (
        UniqueConstraint("cohort_id", "version"),
        check_in("status", BusinessCaseStatus),
        CheckConstraint("planned_participants > 0", name="planned_participants_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(16), default=BusinessCaseStatus.DRAFT.value)
    planned_participants: Mapped[int]
    approved_min_participants: Mapped[int | None]
    approved_max_participants: Mapped[int | None]
    total_cost: Mapped[Decimal] = mapped_column(Money)
    cost_per_participant: Mapped[Decimal] = mapped_column(Money)
    contribution_per_participant: Mapped[Decimal] = mapped_column(Money)
    created_at: Mapped[datetime] = created_at_column()

    cost_lines: Mapped[list[CostLine]] = relationship(
        back_populates="business_case", cascade="all, delete-orphan"
    )


class CostLine(Base):
    """One line of the cost model, traceable to the config value (``source``) it came from."""

    __tablename__ = "cost_lines"
    __table_args__ = (
        UniqueConstraint("business_case_id", "code"),
        check_in("category", CostCategory),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_case_id: Mapped[int] = mapped_column(
        ForeignKey("business_cases.id", ondelete="CASCADE")
    )
    code: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Money)
    source: Mapped[str | None] = mapped_column(Text)

    business_case: Mapped[BusinessCase] = relationship(back_populates="cost_lines")

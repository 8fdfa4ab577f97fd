"""The audit log of erasures of personal data. It never holds personal data itself."""

from __future__ import annotations

from datetime import datetime
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

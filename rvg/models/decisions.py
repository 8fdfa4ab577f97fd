"""Human decisions (go/no-go, approvals, awards), stored with who, when and why."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rvg.db import Base
from rvg.models._columns import check_in, updated_at_column
from rvg.phases import Phase


class Decision(Base):
    __tablename__ = "decisions"
    __table_args__ = (check_in("phase", Phase),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    phase: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime]
    reason: Mapped[str | None] = mapped_column(Text)


class PhaseTick(Base):
    """The last day the daily tick started a phase of a cohort. A tick that did not happen
    (the server down, the schedule paused) is caught up by the next: it starts every phase
    with a due day after its last tick, once, as of its own day."""

    __tablename__ = "phase_ticks"
    __table_args__ = (check_in("phase", Phase),)

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    phase: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_day: Mapped[date]
    ticked_at: Mapped[datetime] = updated_at_column()

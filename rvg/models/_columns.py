"""Small helpers shared by the model modules: status check constraints and timestamps."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint
from sqlalchemy.orm import Mapped, mapped_column

from rvg import clock


def check_in(
    column: str, values: Iterable[str] | type[StrEnum], name: str | None = None
) -> CheckConstraint:
    """A CHECK constraint that keeps ``column`` within a closed set of values."""
    allowed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name or f"{column}_valid")


def created_at_column() -> Mapped[datetime]:
    return mapped_column(default=lambda: clock.utcnow(), nullable=False)


def updated_at_column() -> Mapped[datetime]:
    return mapped_column(
        default=lambda: clock.utcnow(), onupdate=lambda: clock.utcnow(), nullable=False
    )

"""Phase ticks: the last day the daily tick started each phase of a cohort, so a missed tick
is caught up by the next one instead of its due days being skipped.

A database upgraded to this revision has no ticks yet: the first tick starts every running
phase that has a due day by then, once (each phase does what is due and nothing twice).

Revision ID: d2a7f3b81c05
Revises: 4c8d1e6a9f27
Create Date: 2026-12-07 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d2a7f3b81c05"
down_revision: str | None = "4c8d1e6a9f27"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PHASES = (
    "business_case",
    "commitments",
    "tendering",
    "recruitment",
    "matching",
    "training_year",
    "evaluation",
    "redesign",
)


def upgrade() -> None:
    allowed = ", ".join(f"'{phase}'" for phase in PHASES)
    op.create_table(
        "phase_ticks",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(length=32), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("ticked_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"phase IN ({allowed})", name=op.f("ck_phase_ticks_phase_valid")),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_phase_ticks_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("cohort_id", "phase", name=op.f("pk_phase_ticks")),
    )


def downgrade() -> None:
    op.drop_table("phase_ticks")

"""Historical cohorts: a past cohort recorded with its published outcomes.

``cohorts.historical`` marks a cohort that no phase runs for (existing cohorts are live:
false); ``cohort_outcomes`` holds its figures (applicants, places, participants, ...), each
with its source and whether it was derived from other published figures.

Revision ID: 6f2d8a4c1b93
Revises: 3d9a6c2e5f18
Create Date: 2026-12-04 13:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6f2d8a4c1b93"
down_revision: str | None = "3d9a6c2e5f18"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "cohorts",
        sa.Column("historical", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_table(
        "cohort_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("derived", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "measure IN ('applicants', 'places', 'participants', 'organisations', 'retained')",
            name=op.f("ck_cohort_outcomes_measure_valid"),
        ),
        sa.CheckConstraint("value >= 0", name=op.f("ck_cohort_outcomes_value_not_negative")),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_cohort_outcomes_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohort_outcomes")),
        sa.UniqueConstraint(
            "cohort_id", "measure", name=op.f("uq_cohort_outcomes_cohort_id_measure")
        ),
    )


def downgrade() -> None:
    op.drop_table("cohort_outcomes")
    with op.batch_alter_table("cohorts") as batch:
        batch.drop_column("historical")

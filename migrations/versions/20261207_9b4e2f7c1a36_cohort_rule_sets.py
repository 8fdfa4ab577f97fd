"""Cohort rule sets: each cohort keeps the rule files it was created or last decided with.

A cohort stored before this revision has no rule set yet; it takes one of the files in
``config/`` the first time its rules are read, which is the rule set it has been running on.

Revision ID: 9b4e2f7c1a36
Revises: 7a3c5e9b2d14
Create Date: 2026-12-07 14:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "9b4e2f7c1a36"
down_revision: str | None = "7a3c5e9b2d14"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cohort_rule_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column(
            "files",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_cohort_rule_sets_version_positive")),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_cohort_rule_sets_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohort_rule_sets")),
        sa.UniqueConstraint(
            "cohort_id", "version", name=op.f("uq_cohort_rule_sets_cohort_id_version")
        ),
    )


def downgrade() -> None:
    op.drop_table("cohort_rule_sets")

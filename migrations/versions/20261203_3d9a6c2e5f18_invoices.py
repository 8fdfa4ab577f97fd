"""Invoices: what a cohort actually cost, per lot, imported from the finance department.

The redesign compares the actual cost per participant (invoices, else the award's value,
else the budget) with the business case instead of dividing the budget by the participants.

Revision ID: 3d9a6c2e5f18
Revises: 8e4b1f0c7a21
Create Date: 2026-12-03 15:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3d9a6c2e5f18"
down_revision: str | None = "8e4b1f0c7a21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("supplier", sa.String(length=200), nullable=False),
        sa.Column("lot", sa.String(length=32), nullable=True),
        sa.Column("invoiced_on", sa.Date(), nullable=False),
        sa.Column("amount_eur", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "lot IS NULL OR lot IN ('recruitment_selection', 'training')",
            name=op.f("ck_invoices_lot_valid"),
        ),
        sa.CheckConstraint("amount_eur >= 0", name=op.f("ck_invoices_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_invoices_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoices")),
        sa.UniqueConstraint(
            "cohort_id",
            "supplier",
            "invoiced_on",
            "amount_eur",
            "description",
            name=op.f("uq_invoices_once"),
        ),
    )
    op.create_index(op.f("ix_invoices_cohort_id"), "invoices", ["cohort_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_invoices_cohort_id"), table_name="invoices")
    op.drop_table("invoices")

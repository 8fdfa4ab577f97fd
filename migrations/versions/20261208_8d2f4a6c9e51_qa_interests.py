"""Q&A interests: people who asked to be invited to a cohort's Q&A sessions for candidates
(an e-mail address, confirmed through a link: double opt-in), and invitations of the purpose
``interest``, the token link through which they confirm or unsubscribe.

Revision ID: 8d2f4a6c9e51
Revises: 3e8b6c1d7f42
Create Date: 2026-12-08 02:32:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8d2f4a6c9e51"
down_revision: str | None = "3e8b6c1d7f42"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PURPOSES_BEFORE = "purpose IN ('signup', 'survey', 'profile')"
PURPOSES_AFTER = "purpose IN ('signup', 'survey', 'profile', 'interest')"
INTEREST_HAS_INTEREST = "purpose <> 'interest' OR interest_id IS NOT NULL"


def upgrade() -> None:
    op.create_table(
        "qa_interests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmations_sent", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_qa_interests_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qa_interests")),
        sa.UniqueConstraint("cohort_id", "email", name=op.f("uq_qa_interests_cohort_id_email")),
    )
    op.create_index(op.f("ix_qa_interests_cohort_id"), "qa_interests", ["cohort_id"])
    # SQLite cannot alter a table's constraints: batch mode copies it with the new ones.
    with op.batch_alter_table("invitations", recreate="auto") as batch:
        batch.add_column(sa.Column("interest_id", sa.Integer(), nullable=True))
        batch.create_index(op.f("ix_invitations_interest_id"), ["interest_id"])
        batch.create_foreign_key(
            op.f("fk_invitations_interest_id_qa_interests"),
            "qa_interests",
            ["interest_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.drop_constraint(op.f("ck_invitations_purpose_valid"), type_="check")
        batch.create_check_constraint("purpose_valid", PURPOSES_AFTER)
        batch.create_check_constraint("interest_has_interest", INTEREST_HAS_INTEREST)


def downgrade() -> None:
    op.execute("DELETE FROM invitations WHERE purpose = 'interest'")
    with op.batch_alter_table("invitations", recreate="auto") as batch:
        batch.drop_constraint(op.f("ck_invitations_interest_has_interest"), type_="check")
        batch.drop_constraint(op.f("ck_invitations_purpose_valid"), type_="check")
        batch.create_check_constraint("purpose_valid", PURPOSES_BEFORE)
        batch.drop_constraint(op.f("fk_invitations_interest_id_qa_interests"), type_="foreignkey")
        batch.drop_index(op.f("ix_invitations_interest_id"))
        batch.drop_column("interest_id")
    op.drop_index(op.f("ix_qa_interests_cohort_id"), table_name="qa_interests")
    op.drop_table("qa_interests")

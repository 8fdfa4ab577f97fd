"""Q&A interests per audience: the secretaries of the organisations taking part are enrolled
for the organisations' sessions beside the candidates who registered, each with the link to
unsubscribe; an address is unique per cohort and audience. Existing rows are candidates.

Revision ID: a1c3e5f7b9d2
Revises: 8d2f4a6c9e51
Create Date: 2026-12-08 02:42:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a1c3e5f7b9d2"
down_revision: str | None = "8d2f4a6c9e51"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("qa_interests", recreate="auto") as batch:
        batch.add_column(
            sa.Column("audience", sa.String(length=16), nullable=False, server_default="candidates")
        )
        batch.add_column(sa.Column("contact_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_qa_interests_contact_id_contacts"),
            "contacts",
            ["contact_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.drop_constraint(op.f("uq_qa_interests_cohort_id_email"), type_="unique")
        batch.create_unique_constraint(
            op.f("uq_qa_interests_cohort_id_audience_email"), ["cohort_id", "audience", "email"]
        )
        batch.create_check_constraint(
            "audience_valid", "audience IN ('candidates', 'organisations')"
        )
    with op.batch_alter_table("qa_interests") as batch:
        batch.alter_column("audience", server_default=None)


def downgrade() -> None:
    op.execute("DELETE FROM qa_interests WHERE audience <> 'candidates'")
    with op.batch_alter_table("qa_interests", recreate="auto") as batch:
        batch.drop_constraint(op.f("ck_qa_interests_audience_valid"), type_="check")
        batch.drop_constraint(op.f("uq_qa_interests_cohort_id_audience_email"), type_="unique")
        batch.create_unique_constraint(
            op.f("uq_qa_interests_cohort_id_email"), ["cohort_id", "email"]
        )
        batch.drop_constraint(op.f("fk_qa_interests_contact_id_contacts"), type_="foreignkey")
        batch.drop_column("contact_id")
        batch.drop_column("audience")

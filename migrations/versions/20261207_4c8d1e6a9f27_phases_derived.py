"""Phases overlap: a cohort's single current phase goes; what runs and what is done follows
from the phases completed (decisions of kind ``phase_completed``) and its key dates.

Revision ID: 4c8d1e6a9f27
Revises: 9b4e2f7c1a36
Create Date: 2026-12-07 15:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4c8d1e6a9f27"
down_revision: str | None = "9b4e2f7c1a36"
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
    with op.batch_alter_table("cohorts") as batch:
        batch.drop_constraint(op.f("ck_cohorts_current_phase_valid"), type_="check")
        batch.drop_column("current_phase")


def downgrade() -> None:
    """The furthest phase after the last one completed, as the column used to hold it."""
    with op.batch_alter_table("cohorts") as batch:
        batch.add_column(
            sa.Column(
                "current_phase", sa.String(length=32), nullable=False, server_default=PHASES[0]
            )
        )
    moved_on = sa.text(
        "UPDATE cohorts SET current_phase = :following WHERE id IN (SELECT cohort_id "
        "FROM decisions WHERE kind = 'phase_completed' AND phase = :done)"
    )
    for done, following in zip(PHASES, (*PHASES[1:], PHASES[-1]), strict=True):
        op.get_bind().execute(moved_on, {"done": done, "following": following})
    allowed = ", ".join(f"'{phase}'" for phase in PHASES)
    with op.batch_alter_table("cohorts") as batch:
        batch.alter_column("current_phase", server_default=None)
        batch.create_check_constraint(
            op.f("ck_cohorts_current_phase_valid"), f"current_phase IN ({allowed})"
        )

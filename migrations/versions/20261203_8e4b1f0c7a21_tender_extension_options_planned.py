"""The extension a tender's plan makes (options and end), kept for when it is recorded.

An option covers one further cohort, also when that cohort's need outlasts the option's
months (a training year of 12 months and a week). Recording an extension used to count the
options from the new end date, which took two for such a cohort; it now takes what the plan
used, up to the end it planned. Existing tenders get NULL: recording them takes one option.

Revision ID: 8e4b1f0c7a21
Revises: 5c1e7a9d2b40
Create Date: 2026-12-03 14:58:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8e4b1f0c7a21"
down_revision: str | None = "5c1e7a9d2b40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("tenders", sa.Column("extension_options_planned", sa.Integer(), nullable=True))
    op.add_column("tenders", sa.Column("extension_until_planned", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tenders") as batch:
        batch.drop_column("extension_until_planned")
        batch.drop_column("extension_options_planned")

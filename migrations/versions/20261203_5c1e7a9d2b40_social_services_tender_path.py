"""A tender path for the social and other specific services (Annex XIV).

The training lot is light-touch: above its threshold it is announced on TenderNed with a
reasonable period, not tendered in the European open procedure. Tenders may now store the
path ``social_services``; existing tenders keep theirs.

Revision ID: 5c1e7a9d2b40
Revises: 2afc967cac93
Create Date: 2026-12-03 14:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "5c1e7a9d2b40"
down_revision: str | None = "2afc967cac93"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PATHS_BEFORE = "path IN ('open_procedure', 'extension')"
PATHS_AFTER = "path IN ('open_procedure', 'social_services', 'extension')"


def _replace_path_check(condition: str) -> None:
    # SQLite cannot alter a constraint: batch mode copies the table with the new one.
    with op.batch_alter_table("tenders", recreate="auto") as batch:
        batch.drop_constraint(op.f("ck_tenders_path_valid"), type_="check")
        batch.create_check_constraint("path_valid", condition)


def upgrade() -> None:
    _replace_path_check(PATHS_AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM tenders WHERE path = 'social_services'")
    _replace_path_check(PATHS_BEFORE)

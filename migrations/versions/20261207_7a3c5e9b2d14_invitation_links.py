"""Invitation links: an invitation's tokens in a table of their own, one per e-mail.

The token of each link is made when its e-mail is sent and only its hash is stored, so no
token is written to the database (the outbox used to hold the link until it was sent) and a
reminder adds a link instead of replacing the first e-mail's. The hash every invitation has
now becomes its first link, so links already sent keep working.

Revision ID: 7a3c5e9b2d14
Revises: 6f2d8a4c1b93
Create Date: 2026-12-07 11:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7a3c5e9b2d14"
down_revision: str | None = "6f2d8a4c1b93"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "invitation_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["invitations.id"],
            name=op.f("fk_invitation_links_invitation_id_invitations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitation_links_token_hash")),
    )
    op.create_index(
        op.f("ix_invitation_links_invitation_id"),
        "invitation_links",
        ["invitation_id"],
        unique=False,
    )
    op.execute(
        "INSERT INTO invitation_links (invitation_id, token_hash, created_at) "
        "SELECT id, token_hash, created_at FROM invitations"
    )
    with op.batch_alter_table("invitations") as batch:
        batch.drop_constraint("uq_invitations_token_hash", type_="unique")
        batch.drop_column("token_hash")


def downgrade() -> None:
    with op.batch_alter_table("invitations") as batch:
        batch.add_column(sa.Column("token_hash", sa.String(length=64), nullable=True))
    # An invitation keeps its first link; the others stop working.
    op.execute(
        "UPDATE invitations SET token_hash = (SELECT l.token_hash FROM invitation_links l "
        "WHERE l.invitation_id = invitations.id ORDER BY l.id LIMIT 1)"
    )
    op.execute("DELETE FROM invitations WHERE token_hash IS NULL")
    with op.batch_alter_table("invitations") as batch:
        batch.alter_column("token_hash", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint("uq_invitations_token_hash", ["token_hash"])
    op.drop_index(op.f("ix_invitation_links_invitation_id"), table_name="invitation_links")
    op.drop_table("invitation_links")

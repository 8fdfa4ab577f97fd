"""Organisation profiles: each organisation's information page for a cohort's candidates,
every saved version kept, one of them published; and invitations of the purpose ``profile``,
the token link through which the organisation's contact fills its page.

Revision ID: 3e8b6c1d7f42
Revises: d2a7f3b81c05
Create Date: 2026-12-08 01:45:36
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3e8b6c1d7f42"
down_revision: str | None = "d2a7f3b81c05"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PURPOSES_BEFORE = "purpose IN ('signup', 'survey')"
PURPOSES_AFTER = "purpose IN ('signup', 'survey', 'profile')"
PROFILE_HAS_ORGANISATION = "purpose <> 'profile' OR organisation_id IS NOT NULL"


def upgrade() -> None:
    op.create_table(
        "organisation_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("published_version", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(published_version IS NULL) = (published_at IS NULL)",
            name=op.f("ck_organisation_profiles_published_together"),
        ),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_organisation_profiles_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_profiles_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_profiles")),
        sa.UniqueConstraint(
            "cohort_id",
            "organisation_id",
            name=op.f("uq_organisation_profiles_cohort_id_organisation_id"),
        ),
    )
    op.create_index(
        op.f("ix_organisation_profiles_cohort_id"), "organisation_profiles", ["cohort_id"]
    )
    op.create_table(
        "organisation_profile_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("team_tasks", sa.Text(), nullable=False),
        sa.Column("culture", sa.Text(), nullable=False),
        sa.Column("location_travel", sa.Text(), nullable=False),
        sa.Column("work", sa.Text(), nullable=False),
        sa.Column("buddy_role", sa.Text(), nullable=False),
        sa.Column("questions_email", sa.String(length=254), nullable=False),
        sa.Column("story", sa.Text(), nullable=True),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "version >= 1", name=op.f("ck_organisation_profile_versions_version_positive")
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["organisation_profiles.id"],
            name=op.f("fk_organisation_profile_versions_profile_id_organisation_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_profile_versions")),
        sa.UniqueConstraint(
            "profile_id",
            "version",
            name=op.f("uq_organisation_profile_versions_profile_id_version"),
        ),
    )
    op.create_index(
        op.f("ix_organisation_profile_versions_profile_id"),
        "organisation_profile_versions",
        ["profile_id"],
    )
    # SQLite cannot alter a constraint: batch mode copies the table with the new ones.
    with op.batch_alter_table("invitations", recreate="auto") as batch:
        batch.drop_constraint(op.f("ck_invitations_purpose_valid"), type_="check")
        batch.create_check_constraint("purpose_valid", PURPOSES_AFTER)
        batch.create_check_constraint("profile_has_organisation", PROFILE_HAS_ORGANISATION)


def downgrade() -> None:
    op.execute("DELETE FROM invitations WHERE purpose = 'profile'")
    with op.batch_alter_table("invitations", recreate="auto") as batch:
        batch.drop_constraint(op.f("ck_invitations_profile_has_organisation"), type_="check")
        batch.drop_constraint(op.f("ck_invitations_purpose_valid"), type_="check")
        batch.create_check_constraint("purpose_valid", PURPOSES_BEFORE)
    op.drop_index(
        op.f("ix_organisation_profile_versions_profile_id"),
        table_name="organisation_profile_versions",
    )
    op.drop_table("organisation_profile_versions")
    op.drop_index(op.f("ix_organisation_profiles_cohort_id"), table_name="organisation_profiles")
    op.drop_table("organisation_profiles")

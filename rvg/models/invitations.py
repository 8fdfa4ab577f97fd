"""Token links to the web forms (sign-up, survey and information page). Only a hash of a
token is stored.

An invitation is one person's form; each e-mail about it carries a link of its own, made when
the e-mail is sent (``InvitationLink``), so a reminder never stops the first e-mail's link
from working and no token is ever written to the database.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from rvg.db import Base
from rvg.models._columns import check_in, created_at_column
from rvg.models.surveys import Audience


class InvitationPurpose(StrEnum):
    SIGNUP = "signup"
    SURVEY = "survey"
    PROFILE = "profile"  # an organisation's information page for candidates
    INTEREST = "interest"  # someone's registration for the Q&A sessions: confirm, unsubscribe


class Invitation(Base):
    __tablename__ = "invitations"
    __table_args__ = (
        check_in("purpose", InvitationPurpose),
        check_in("audience", Audience),
        CheckConstraint(
            "purpose <> 'signup' OR organisation_id IS NOT NULL", name="signup_has_organisation"
        ),
        CheckConstraint(
            "purpose <> 'profile' OR organisation_id IS NOT NULL", name="profile_has_organisation"
        ),
        CheckConstraint(
            "purpose <> 'interest' OR interest_id IS NOT NULL", name="interest_has_interest"
        ),
        CheckConstraint(
            "purpose <> 'survey' OR (survey_round_id IS NOT NULL AND audience IS NOT NULL)",
            name="survey_has_round_and_audience",
        ),
        CheckConstraint("reminders_sent >= 0", name="reminders_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    survey_round_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_rounds.id", ondelete="CASCADE")
    )
    placement_id: Mapped[int | None] = mapped_column(
        ForeignKey("placements.id", ondelete="SET NULL")
    )
    interest_id: Mapped[int | None] = mapped_column(
        ForeignKey("qa_interests.id", ondelete="CASCADE"), index=True
    )
    audience: Mapped[str | None] = mapped_column(String(16))
    expires_at: Mapped[datetime]
    reminders_sent: Mapped[int] = mapped_column(default=0)
    responded_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at_column()


class InvitationLink(Base):
    """One link to an invitation's form: the hash of the token an e-mail carried."""

    __tablename__ = "invitation_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = created_at_column()

"""Information for candidates: each organisation's information page for a cohort, with every
version its contact saved; the one published is what the public pages show."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rvg.db import Base
from rvg.models._columns import created_at_column, updated_at_column


class OrganisationProfile(Base):
    __tablename__ = "organisation_profiles"
    __table_args__ = (
        UniqueConstraint("cohort_id", "organisation_id"),
        CheckConstraint(
            "(published_version IS NULL) = (published_at IS NULL)", name="published_together"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    published_version: Mapped[int | None]
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()

    versions: Mapped[list[OrganisationProfileVersion]] = relationship(
        back_populates="profile",
        cascade="all, delete-orphan",
        order_by="OrganisationProfileVersion.version",
    )

    @property
    def latest(self) -> OrganisationProfileVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def published(self) -> OrganisationProfileVersion | None:
        return next((v for v in self.versions if v.version == self.published_version), None)


class OrganisationProfileVersion(Base):
    """One saved text of an information page; never changed once saved."""

    __tablename__ = "organisation_profile_versions"
    __table_args__ = (
        UniqueConstraint("profile_id", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("organisation_profiles.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]
    team_tasks: Mapped[str] = mapped_column(Text)
    culture: Mapped[str] = mapped_column(Text)
    location_travel: Mapped[str] = mapped_column(Text)
    work: Mapped[str] = mapped_column(Text)
    buddy_role: Mapped[str] = mapped_column(Text)
    questions_email: Mapped[str] = mapped_column(String(254))
    story: Mapped[str | None] = mapped_column(Text)
    saved_at: Mapped[datetime]

    profile: Mapped[OrganisationProfile] = relationship(back_populates="versions")


class QaInterest(Base):
    """Someone invited to a cohort's Q&A sessions: a candidate who asked (an e-mail address
    only, confirmed through the link sent to it: double opt-in) or a secretary of an
    organisation taking part (enrolled); deleted when they unsubscribe and when the campaign
    is over."""

    __tablename__ = "qa_interests"
    __table_args__ = (
        UniqueConstraint("cohort_id", "audience", "email"),
        CheckConstraint("audience IN ('candidates', 'organisations')", name="audience_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    # candidates register themselves; an organisation's secretaries are enrolled by the team
    audience: Mapped[str] = mapped_column(String(16), default="candidates")
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    email: Mapped[str] = mapped_column(String(254))
    confirmed_at: Mapped[datetime | None]
    asked_at: Mapped[datetime]  # when the last confirmation e-mail was queued
    confirmations_sent: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = created_at_column()

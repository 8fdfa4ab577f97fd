"""Organisations in the region and the people the programme deals with there."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rvg.db import Base
from rvg.models._columns import check_in, created_at_column


class OrganisationKind(StrEnum):
    MUNICIPALITY = "municipality"
    WATER_BOARD = "water_board"
    ENVIRONMENTAL_SERVICE = "environmental_service"
    PROVINCE = "province"


class ContactRole(StrEnum):
    SECRETARY = "secretary"
    MANAGER = "manager"
    BUDDY = "buddy"
    HR = "hr"
    PROCUREMENT = "procurement"
    PROJECT_TEAM = "project_team"


class Organisation(Base):
    """A municipality, water board, environmental service or province that can host participants."""

    __tablename__ = "organisations"
    __table_args__ = (check_in("kind", OrganisationKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    region: Mapped[str] = mapped_column(String(100), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = created_at_column()

    contacts: Mapped[list[Contact]] = relationship(back_populates="organisation")


class Contact(Base):
    """A person at an organisation; personal data, kept only while the organisation takes part."""

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("organisation_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = created_at_column()

    organisation: Mapped[Organisation] = relationship(back_populates="contacts")
    roles: Mapped[list[ContactRoleAssignment]] = relationship(
        back_populates="contact", cascade="all, delete-orphan"
    )


class ContactRoleAssignment(Base):
    """One role a contact has at their organisation; a person may have several."""

    __tablename__ = "contact_roles"
    __table_args__ = (UniqueConstraint("contact_id", "role"), check_in("role", ContactRole))

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(32))

    contact: Mapped[Contact] = relationship(back_populates="roles")

"""A sign-up invitation in a test database, and the web app on it with a settable clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from rvg.db import make_sessionmaker, session_scope
from rvg.models import Cohort, Contact, ContactRoleAssignment, Organisation
from rvg.repositories.invitations import create_signup_invitation
from rvg.settings import Settings
from rvg.web.app import create_app
from tests.utils.flows import cohort_in


@dataclass
class Clock:
    moment: datetime

    def __call__(self) -> datetime:
        return self.moment


def secretary(
    engine: Engine, org_code: str = "GM0855", email: str = "secretaris@tilburg.example"
) -> int:
    with session_scope(make_sessionmaker(engine)) as session:
        org = session.scalar(select(Organisation).where(Organisation.code == org_code))
        contact = Contact(organisation_id=org.id, name="M. de Secretaris", email=email)
        contact.roles = [ContactRoleAssignment(role="secretary")]
        session.add(contact)
        session.flush()
        return contact.id


def invitation_token(
    engine: Engine, org_code: str = "GM0855", expires_at: datetime | None = None
) -> str:
    """Cohort 2027 with a secretary at ``org_code`` and a sign-up invitation; returns the token."""
    from rvg.commitments.service import link_expires_at

    with session_scope(make_sessionmaker(engine)) as session:
        if session.scalar(select(Cohort)) is None:
            cohort_in(engine)
    contact_id = secretary(engine, org_code, email=f"secretaris@{org_code.lower()}.example")
    with session_scope(make_sessionmaker(engine)) as session:
        cohort = session.scalar(select(Cohort))
        org = session.scalar(select(Organisation).where(Organisation.code == org_code))
        contact = session.get(Contact, contact_id)
        _, token = create_signup_invitation(
            cohort,
            org,
            contact,
            session=session,
            expires_at=expires_at or link_expires_at(cohort, Settings().zone),
        )
    return token


def client(engine: Engine, clock: Clock) -> TestClient:
    app = create_app(Settings(), make_sessionmaker(engine), now=clock)
    return TestClient(app, follow_redirects=False)

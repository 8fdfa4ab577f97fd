"""A sign-up invitation in a test database, the web app on it with a settable clock, and
many people posting to it at once while the health page is watched."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from rvg.db import make_sessionmaker, session_scope
from rvg.models import Cohort, Contact, ContactRoleAssignment, InvitationPurpose, Organisation
from rvg.repositories.invitations import create_organisation_invitation, issue_link
from rvg.settings import Settings
from rvg.web.app import create_app
from tests.utils.flows import cohort_in

# An organisation's complete sign-up, as the form posts it.
SIGNUP_ANSWER = {
    "takes_part": "ja",
    "vacancies_ro": "2",
    "vacancies_vm": "1",
    "agrees_to_costs": "ja",
    "signed_by_name": "A. de Vries",
    "signed_by_function": "Gemeentesecretaris",
}


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
    engine: Engine,
    org_code: str = "GM0855",
    expires_at: datetime | None = None,
    purpose: InvitationPurpose = InvitationPurpose.SIGNUP,
) -> str:
    """Cohort 2027 with a secretary at ``org_code`` and an invitation to one of its forms (the
    sign-up unless ``purpose`` says otherwise); returns the token."""
    from rvg.commitments import service as signup
    from rvg.information import profiles

    link_expires_at = (
        profiles.link_expires_at if purpose is InvitationPurpose.PROFILE else signup.link_expires_at
    )
    with session_scope(make_sessionmaker(engine)) as session:
        if session.scalar(select(Cohort)) is None:
            cohort_in(engine)
    contact_id = secretary(engine, org_code, email=f"secretaris@{org_code.lower()}.example")
    with session_scope(make_sessionmaker(engine)) as session:
        cohort = session.scalar(select(Cohort))
        org = session.scalar(select(Organisation).where(Organisation.code == org_code))
        contact = session.get(Contact, contact_id)
        invitation = create_organisation_invitation(
            cohort,
            org,
            contact,
            session=session,
            expires_at=expires_at or link_expires_at(cohort, Settings().zone),
            purpose=purpose,
        )
        issued = issue_link(invitation.id, session=session)
        assert issued is not None
    return issued[1]


def client(engine: Engine, clock: Clock) -> TestClient:
    app = create_app(Settings(), make_sessionmaker(engine), now=clock)
    return TestClient(app, follow_redirects=False)


class HealthWatch:
    """Asks the health page every 50 ms in a thread of its own; keeps the slowest answer."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.slowest = 0.0
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(timeout=30) as client:
            while not self._stop.is_set():
                started = time.monotonic()
                try:
                    status = client.get(f"{self.url}/gezondheid").status_code
                except httpx.HTTPError as exc:
                    status = 0
                    self.failures.append(type(exc).__name__)
                self.slowest = max(self.slowest, time.monotonic() - started)
                if status != 200:
                    self.failures.append(str(status))
                self._stop.wait(0.05)

    def __enter__(self) -> HealthWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=60)


@dataclass(frozen=True)
class Burst:
    statuses: list[int]
    latencies: list[float]  # seconds per post, in the order of the paths
    took: float  # seconds from the first post sent to the last answer


def post_all(url: str, paths: list[str], form: dict[str, str], parallel: bool = True) -> Burst:
    """Post ``form`` to every path, all at once (or one after another)."""

    def post(path: str) -> tuple[int, float]:
        started = time.monotonic()
        with httpx.Client(timeout=120) as client:
            status = client.post(f"{url}{path}", data=form).status_code
        return status, time.monotonic() - started

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(paths) if parallel else 1) as pool:
        answers = list(pool.map(post, paths))
    took = time.monotonic() - started
    return Burst([status for status, _ in answers], [seconds for _, seconds in answers], took)

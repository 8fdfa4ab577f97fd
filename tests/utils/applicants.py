"""Applicants, commitments and preferences put straight into a test database."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.commitments.answer import SignupAnswer
from rvg.models import Applicant, Cohort, Organisation, StageChange
from rvg.repositories.commitments import ensure_commitment, record_signup

MOMENT = datetime.fromisoformat("2026-10-01T10:00:00+02:00")


def add_applicants(
    session: Session,
    cohort: Cohort,
    refs: list[str],
    *,
    track: str = "ro",
    stage: str = "preferences",
) -> list[Applicant]:
    applicants = []
    for ref in refs:
        applicant = Applicant(
            cohort_id=cohort.id,
            applicant_ref=ref,
            first_name=f"Voornaam{ref}",
            last_name="Achternaam",
            email=f"{ref.lower()}@kandidaat.example",
            track_code=track,
            stage=stage,
            stage_date=date(2027, 6, 17),
        )
        applicant.stage_history = [StageChange(stage=stage, entered_on=date(2027, 6, 17))]
        session.add(applicant)
        applicants.append(applicant)
    session.flush()
    return applicants


def commit_vacancies(
    session: Session, cohort: Cohort, vacancies: dict[str, dict[str, int]]
) -> None:
    """``{"GM0855": {"ro": 2, "vm": 0}}``: these organisations signed up with these vacancies."""
    for code, per_track in vacancies.items():
        organisation = session.scalar(select(Organisation).where(Organisation.code == code))
        commitment, _ = ensure_commitment(cohort, organisation, session=session, invited_at=MOMENT)
        answer = SignupAnswer(True, per_track, True, "A. de Vries", "Gemeentesecretaris")
        record_signup(commitment, answer, session=session, source="import", at=MOMENT)


def placed_cohort(engine, refs: list[str], *, starts_on: date = date(2027, 9, 6)) -> None:  # type: ignore[no-untyped-def]
    """Cohort 2027 with these participants placed at Tilburg, each with a buddy and a manager."""
    from rvg.db import make_sessionmaker, session_scope
    from rvg.models import Contact, ContactRoleAssignment
    from rvg.placements.changes import assign_guides
    from rvg.repositories.placements import create_placements
    from tests.utils.flows import cohort_in

    cohort_in(engine)
    with session_scope(make_sessionmaker(engine)) as session:
        cohort = session.scalar(select(Cohort))
        add_applicants(session, cohort, refs)
        create_placements(
            cohort,
            {"ro": dict.fromkeys(refs, "GM0855")},
            session=session,
            starts_on=starts_on,
            matched_on=MOMENT.date(),
        )
        tilburg = session.scalar(select(Organisation).where(Organisation.code == "GM0855"))
        for role, email in (
            ("buddy", "buddy@tilburg.example"),
            ("manager", "manager@tilburg.example"),
        ):
            contact = Contact(organisation_id=tilburg.id, name=role.title(), email=email)
            contact.roles = [ContactRoleAssignment(role=role)]
            session.add(contact)
        session.flush()
        for ref in refs:
            assign_guides(
                cohort,
                ref,
                buddy="buddy@tilburg.example",
                manager="manager@tilburg.example",
                session=session,
            )

"""Commitments of organisations to a cohort: invitation, answers (every version kept), counts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rvg.commitments.answer import SignupAnswer
from rvg.models import (
    Cohort,
    Commitment,
    CommitmentStatus,
    CommitmentVacancy,
    CommitmentVersion,
    Organisation,
)


def find_commitment(
    cohort: Cohort, organisation: Organisation, *, session: Session
) -> Commitment | None:
    return session.scalar(
        select(Commitment)
        .where(Commitment.cohort_id == cohort.id, Commitment.organisation_id == organisation.id)
        .options(selectinload(Commitment.vacancies))
    )


def ensure_commitment(
    cohort: Cohort, organisation: Organisation, *, session: Session, invited_at: datetime
) -> tuple[Commitment, bool]:
    """The organisation's commitment row, created as ``invited`` the first time (True)."""
    existing = find_commitment(cohort, organisation, session=session)
    if existing is not None:
        return existing, False
    commitment = Commitment(
        cohort_id=cohort.id, organisation_id=organisation.id, invited_at=invited_at
    )
    session.add(commitment)
    session.flush()
    return commitment, True


def record_signup(
    commitment: Commitment, answer: SignupAnswer, *, session: Session, source: str, at: datetime
) -> CommitmentVersion:
    """Store an answer as the new current state and keep it as a numbered version."""
    commitment.status = (
        CommitmentStatus.COMMITTED if answer.takes_part else CommitmentStatus.DECLINED
    ).value
    commitment.agrees_to_costs = answer.agrees_to_costs
    commitment.signed_by_name = answer.signed_by_name
    commitment.signed_by_function = answer.signed_by_function
    commitment.comment = answer.comment or None
    commitment.responded_at = at
    commitment.version += 1
    current = {v.track_code: v for v in commitment.vacancies}
    for code, count in answer.vacancies.items():
        if code in current:
            current[code].vacancies = count
        else:
            commitment.vacancies.append(CommitmentVacancy(track_code=code, vacancies=count))
    version = CommitmentVersion(
        commitment_id=commitment.id,
        version=commitment.version,
        source=source,
        payload=answer.as_payload() | {"recorded_at": at.isoformat()},
    )
    session.add(version)
    session.flush()
    return version


def commitments_of(cohort: Cohort, *, session: Session) -> list[Commitment]:
    return list(
        session.scalars(
            select(Commitment)
            .where(Commitment.cohort_id == cohort.id)
            .options(selectinload(Commitment.vacancies))
            .order_by(Commitment.id)
        )
    )


def organisations_by_id(*, session: Session) -> dict[int, Organisation]:
    return {org.id: org for org in session.scalars(select(Organisation))}


def committed_vacancies(cohort: Cohort, *, session: Session) -> dict[str, dict[str, int]]:
    """Organisation code → track → the vacancies it committed, for organisations taking part."""
    vacancies: dict[str, dict[str, int]] = {}
    for code, track, count in session.execute(
        select(Organisation.code, CommitmentVacancy.track_code, CommitmentVacancy.vacancies)
        .join(Commitment, Commitment.organisation_id == Organisation.id)
        .join(CommitmentVacancy)
        .where(
            Commitment.cohort_id == cohort.id,
            Commitment.status == CommitmentStatus.COMMITTED.value,
        )
    ):
        vacancies.setdefault(code, {})[track] = count
    return vacancies

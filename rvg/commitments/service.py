"""What the sign-up form shows and what a submission does, independent of HTTP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.commitments.answer import SignupAnswer
from rvg.dutch import short_date
from rvg.invitations.links import link_context
from rvg.models import (
    BusinessCase,
    BusinessCaseStatus,
    Cohort,
    Commitment,
    CommitmentVersion,
    Contact,
    Invitation,
    Organisation,
    Track,
)
from rvg.notifications import enqueue
from rvg.repositories.commitments import ensure_commitment, record_signup

# A token link keeps working (read-only) this long after the deadline, then it is gone.
READ_ONLY_DAYS = 60


@dataclass(frozen=True)
class SignupView:
    organisation: str
    cohort_code: str
    cohort_name: str
    tracks: list[tuple[str, str]]
    deadline: date
    closes_at: datetime
    contribution: Decimal | None
    commitment: Commitment

    def is_open(self, now: datetime) -> bool:
        return now < self.closes_at


def signup_deadline(cohort: Cohort) -> date:
    deadline = cohort.milestone("signup_deadline")
    if deadline is None:
        raise ValueError(f"cohort {cohort.code} has no signup_deadline")
    return deadline


def closes_at(cohort: Cohort, zone: ZoneInfo) -> datetime:
    """The end of the deadline day in the programme's time zone."""
    return datetime.combine(signup_deadline(cohort) + timedelta(days=1), time.min, tzinfo=zone)


def link_expires_at(cohort: Cohort, zone: ZoneInfo) -> datetime:
    return closes_at(cohort, zone) + timedelta(days=READ_ONLY_DAYS)


def approved_contribution(cohort: Cohort, *, session: Session) -> Decimal | None:
    """The contribution per participant of the latest approved business case, if any."""
    case = approved_case(cohort, session=session)
    return case.contribution_per_participant if case is not None else None


def approved_case(cohort: Cohort, *, session: Session) -> BusinessCase | None:
    """The latest approved version of the cohort's business case, if any."""
    return session.scalar(
        select(BusinessCase)
        .where(
            BusinessCase.cohort_id == cohort.id,
            BusinessCase.status == BusinessCaseStatus.APPROVED.value,
        )
        .order_by(BusinessCase.version.desc())
        .limit(1)
    )


def signup_view(
    invitation: Invitation, *, session: Session, now: datetime, zone: ZoneInfo
) -> SignupView:
    cohort = session.get_one(Cohort, invitation.cohort_id)
    organisation = session.get_one(Organisation, invitation.organisation_id)
    commitment, _ = ensure_commitment(cohort, organisation, session=session, invited_at=now)
    names: dict[str, str] = {
        code: name for code, name in session.execute(select(Track.code, Track.name))
    }
    return SignupView(
        organisation=organisation.name,
        cohort_code=cohort.code,
        cohort_name=cohort.name,
        tracks=[(t.track_code, names[t.track_code]) for t in cohort.tracks],
        deadline=signup_deadline(cohort),
        closes_at=closes_at(cohort, zone),
        contribution=approved_contribution(cohort, session=session),
        commitment=commitment,
    )


def current_answer(commitment: Commitment) -> dict[str, str]:
    """The stored answer as form values, to pre-fill the form."""
    if commitment.version == 0:
        return {}
    values = {
        "takes_part": "ja" if commitment.status == "committed" else "nee",
        "agrees_to_costs": "ja" if commitment.agrees_to_costs else "",
        "signed_by_name": commitment.signed_by_name or "",
        "signed_by_function": commitment.signed_by_function or "",
        "comment": commitment.comment or "",
    }
    values |= {f"vacancies_{v.track_code}": str(v.vacancies) for v in commitment.vacancies}
    return values


def submit_signup(
    invitation: Invitation,
    view: SignupView,
    answer: SignupAnswer,
    *,
    session: Session,
    now: datetime,
) -> CommitmentVersion:
    """Store the answer as a new version and confirm it by e-mail (through the outbox)."""
    version = record_signup(view.commitment, answer, session=session, source="web", at=now)
    invitation.responded_at = now
    contact = session.get(Contact, invitation.contact_id) if invitation.contact_id else None
    if contact is not None:
        enqueue(
            session,
            key=f"signup-confirmation:{view.cohort_code}:{view.commitment.id}:v{version.version}",
            to=contact.email,
            template="signup_confirmation",
            cohort=session.get(Cohort, invitation.cohort_id),
            due_at=now,
            context={
                "contact_name": contact.name,
                "organisation": view.organisation,
                "cohort_name": view.cohort_name,
                "takes_part": answer.takes_part,
                "vacancies": [
                    {"track": name, "count": answer.vacancies.get(code, 0)}
                    for code, name in view.tracks
                ],
                "signed_by": f"{answer.signed_by_name} ({answer.signed_by_function})",
                "comment": answer.comment,
                "deadline": short_date(view.deadline),
                "version": version.version,
                **link_context(invitation.id),
            },
        )
    session.flush()
    return version

"""Inviting organisations, reminding the ones that have not answered, reading the answers.

Idempotent: every e-mail has an outbox key, and an invitation (with its token) is only made
when its e-mail is new. Each e-mail carries a token of its own; all lead to the same
commitment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.commitments.rules import OrganisationAnswer, due_reminder
from rvg.commitments.service import approved_contribution, link_expires_at, signup_deadline
from rvg.invitations.links import signup_link
from rvg.models import Cohort, CommitmentStatus, Contact, ContactRole, Notification, Organisation
from rvg.notifications import enqueue
from rvg.reports.rendering import euro
from rvg.repositories.commitments import commitments_of, ensure_commitment, organisations_by_id
from rvg.repositories.invitations import create_signup_invitation
from rvg.repositories.organisations import contacts_with_role, list_organisations
from rvg.settings import Settings

SEND_TIME = time(9, 0)


@dataclass
class Mailing:
    organisations: int = 0
    emails: int = 0
    without_secretary: list[str] = field(default_factory=list)


def invited_organisations(cohort: Cohort, *, session: Session) -> list[Organisation]:
    """The organisations this cohort invites: all active ones, or those its file names."""
    chosen = cohort.parameters.get("organisations", "all")
    organisations = list_organisations(session=session)
    return organisations if chosen == "all" else [o for o in organisations if o.code in chosen]


def without_secretary(cohort: Cohort, *, session: Session) -> list[str]:
    """The names of the organisations this cohort invites that have no secretary to e-mail."""
    return [
        organisation.name
        for organisation in invited_organisations(cohort, session=session)
        if not contacts_with_role(organisation.code, ContactRole.SECRETARY.value, session=session)
    ]


def _send_at(day: date, settings: Settings) -> datetime:
    return datetime.combine(day, SEND_TIME, tzinfo=settings.zone)


def _mail(
    cohort: Cohort,
    organisation: Organisation,
    contact: Contact,
    key: str,
    *,
    session: Session,
    settings: Settings,
    day: date,
    days_left: int | None,
    contribution: str,
) -> bool:
    """Make an invitation with a fresh token and enqueue its e-mail, unless ``key`` exists."""
    if session.scalar(select(Notification.id).where(Notification.key == key)) is not None:
        return False
    _, token = create_signup_invitation(
        cohort,
        organisation,
        contact,
        session=session,
        expires_at=link_expires_at(cohort, settings.zone),
    )
    enqueue(
        session,
        key=key,
        to=contact.email,
        template="signup_invitation",
        cohort=cohort,
        due_at=_send_at(day, settings),
        context={
            "contact_name": contact.name,
            "organisation": organisation.name,
            "cohort_name": cohort.name,
            "deadline": f"{signup_deadline(cohort):%d-%m-%Y}",
            "minimum": cohort.min_organisations,
            "reminder": days_left is not None,
            "days_left": days_left or 0,
            "contribution": contribution,
            "secret_link": signup_link(settings.web_base_url, token),
        },
    )
    return True


def _contribution_text(cohort: Cohort, *, session: Session) -> str:
    """The approved contribution per participant as the e-mails show it; empty when not set."""
    amount = approved_contribution(cohort, session=session)
    return euro(amount) if amount is not None else ""


def invite(cohort: Cohort, day: date, *, session: Session, settings: Settings) -> Mailing:
    """Invite every organisation's secretaries once, from the day the sign-up opens."""
    mailing = Mailing()
    opens = cohort.milestone("signup_opens")
    if opens is None or day < opens or day > signup_deadline(cohort):
        return mailing
    contribution = _contribution_text(cohort, session=session)
    for organisation in invited_organisations(cohort, session=session):
        secretaries = contacts_with_role(
            organisation.code, ContactRole.SECRETARY.value, session=session
        )
        if not secretaries:  # not invited: it counts as invited only once it is e-mailed
            mailing.without_secretary.append(organisation.name)
            continue
        _, new = ensure_commitment(
            cohort, organisation, session=session, invited_at=_send_at(day, settings)
        )
        mailing.organisations += int(new)
        for contact in secretaries:
            key = f"signup-invite:{cohort.code}:{organisation.code}:{contact.id}"
            mailing.emails += _mail(
                cohort,
                organisation,
                contact,
                key,
                session=session,
                settings=settings,
                day=day,
                days_left=None,
                contribution=contribution,
            )
    return mailing


def remind(
    cohort: Cohort, day: date, offsets: list[int], *, session: Session, settings: Settings
) -> Mailing:
    """Remind the organisations that have not answered, on the configured days before closing."""
    mailing = Mailing()
    deadline = signup_deadline(cohort)
    offset = due_reminder(offsets, deadline, day)
    if offset is None:
        return mailing
    contribution = _contribution_text(cohort, session=session)
    organisations = organisations_by_id(session=session)
    for commitment in commitments_of(cohort, session=session):
        if commitment.status != CommitmentStatus.INVITED.value:
            continue
        organisation = organisations[commitment.organisation_id]
        for contact in contacts_with_role(
            organisation.code, ContactRole.SECRETARY.value, session=session
        ):
            key = f"signup-reminder:{cohort.code}:{organisation.code}:{offset}d:{contact.id}"
            sent = _mail(
                cohort,
                organisation,
                contact,
                key,
                session=session,
                settings=settings,
                day=day,
                days_left=(deadline - day).days,
                contribution=contribution,
            )
            mailing.emails += sent
            mailing.organisations += sent
    return mailing


def answers(cohort: Cohort, *, session: Session) -> list[OrganisationAnswer]:
    organisations = organisations_by_id(session=session)
    return [
        OrganisationAnswer(
            organisation=organisations[c.organisation_id].name,
            region=organisations[c.organisation_id].region,
            status=c.status,
            vacancies={v.track_code: v.vacancies for v in c.vacancies},
        )
        for c in commitments_of(cohort, session=session)
    ]


def is_closed(cohort: Cohort, day: date) -> bool:
    return day > signup_deadline(cohort)

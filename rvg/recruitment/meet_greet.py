"""Invitations to the meet & greet: the selected candidates and the organisations that signed up,
each with a calendar invitation (.ics)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.calendar import CalendarEvent
from rvg.config import ProgrammeConfig
from rvg.dutch import short_date
from rvg.models import (
    Applicant,
    Cohort,
    Commitment,
    CommitmentStatus,
    ContactRole,
    Organisation,
    Stage,
)
from rvg.notifications import enqueue, enqueue_to_role
from rvg.notifications.attachments import CALENDAR_KEY, calendar_context
from rvg.settings import Settings


@dataclass
class Invited:
    candidates: int = 0
    organisations: int = 0


def meet_greet_event(cohort: Cohort, programme: ProgrammeConfig, zone: ZoneInfo) -> CalendarEvent:
    day = cohort.milestone("meet_and_greet")
    if day is None:
        raise ValueError(f"cohort {cohort.code} has no meet_and_greet date")
    event = programme.meet_and_greet
    return CalendarEvent(
        uid=f"meet-greet-{cohort.code}@ruimtevoorgroei",
        summary=f"Meet & greet {cohort.name}",
        starts_at=datetime.combine(day, event.start, tzinfo=zone),
        ends_at=datetime.combine(day, event.end, tzinfo=zone),
        location=event.location,
        description="Kennismaking tussen kandidaten en organisaties; daarna voorkeuren opgeven.",
        categories=("meet_greet",),
    )


def invitations_due(cohort: Cohort, programme: ProgrammeConfig, day: date) -> bool:
    meet = cohort.milestone("meet_and_greet")
    if meet is None:
        return False
    return meet - timedelta(days=programme.meet_and_greet_invitation_days) <= day <= meet


def invite_to_meet_greet(
    cohort: Cohort, programme: ProgrammeConfig, day: date, *, session: Session, settings: Settings
) -> Invited:
    """Once per person: candidates at stage meet_greet, secretaries of organisations taking part."""
    invited = Invited()
    if not invitations_due(cohort, programme, day):
        return invited
    event = meet_greet_event(cohort, programme, settings.zone)
    common = {
        "cohort_name": cohort.name,
        "date": short_date(event.starts_at),
        "start": f"{event.starts_at:%H:%M}",
        "end": f"{event.ends_at:%H:%M}",
        "location": event.location,
        CALENDAR_KEY: calendar_context(event),
    }
    due = programme.mail_hours.send_at(day, settings.zone)
    candidates = session.scalars(
        select(Applicant).where(
            Applicant.cohort_id == cohort.id,
            Applicant.stage == Stage.MEET_GREET.value,
            Applicant.anonymised_at.is_(None),
        )
    )
    for applicant in candidates:
        assert applicant.email is not None
        enqueue(
            session,
            key=f"meet-greet:{cohort.code}:candidate:{applicant.applicant_ref}",
            to=applicant.email,
            template="meet_greet_invitation",
            cohort=cohort,
            due_at=due,
            context=common | {"name": applicant.full_name, "role": "candidate"},
        )
        invited.candidates += 1
    organisations = session.scalars(
        select(Organisation)
        .join(Commitment)
        .where(
            Commitment.cohort_id == cohort.id, Commitment.status == CommitmentStatus.COMMITTED.value
        )
    )
    for organisation in organisations:
        enqueue_to_role(
            session,
            organisation=organisation.code,
            role=ContactRole.SECRETARY,
            key=f"meet-greet:{cohort.code}:organisation:{organisation.code}",
            template="meet_greet_invitation",
            cohort=cohort,
            due_at=due,
            context=common | {"role": "organisation"},
            name_as="name",
        )
        invited.organisations += 1
    return invited

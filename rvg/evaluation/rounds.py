"""Survey rounds of a cohort over time: create them, open them with an invitation per person,
remind those who have not answered (at most the configured number), close them.

Each e-mail carries a link of its own, made when it is sent; a reminder's link is one more
link to the same form, so the first e-mail's link keeps working until the round closes.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.dutch import short_date
from rvg.evaluation.definitions import Round, SurveyDefinitions
from rvg.invitations.links import link_context
from rvg.models import (
    Applicant,
    Cohort,
    Contact,
    Invitation,
    Placement,
    RoundStatus,
    SurveyRound,
)
from rvg.notifications import enqueue, outbox
from rvg.repositories.surveys import create_survey_invitation
from rvg.settings import Settings

LINK_DAYS_AFTER_CLOSE = 60


def ensure_rounds(
    cohort: Cohort, definitions: SurveyDefinitions, *, session: Session
) -> list[SurveyRound]:
    """The cohort's rounds, created from the definitions and the training start (once)."""
    start = cohort.milestone("training_start")
    if start is None:
        raise ValueError(f"cohort {cohort.code} has no training_start")
    stored = {
        r.code: r
        for r in session.scalars(select(SurveyRound).where(SurveyRound.cohort_id == cohort.id))
    }
    for item in definitions.rounds:
        if item.code not in stored:
            stored[item.code] = SurveyRound(
                cohort_id=cohort.id,
                code=item.code,
                title=item.title,
                opens_on=item.opens_on(start),
                closes_on=item.closes_on(start),
            )
            session.add(stored[item.code])
    session.flush()
    return sorted(stored.values(), key=lambda r: r.opens_on)


def _people(placement: Placement, audience: str, *, session: Session) -> tuple[str, str] | None:
    """(e-mail, name) of the participant, buddy or manager of a placement."""
    if audience == "participant":
        applicant = session.get_one(Applicant, placement.applicant_id)
        return (applicant.email, applicant.full_name) if applicant.email else None
    contact_id = placement.buddy_contact_id if audience == "buddy" else placement.manager_contact_id
    contact = session.get(Contact, contact_id) if contact_id else None
    return (contact.email, contact.name) if contact else None


def survey_about(placement_id: int | None, audience: str, *, session: Session) -> str | None:
    """Whom a buddy's or manager's survey is about: the participant's name (a buddy of two
    participants answers twice, once for each); None for the participant's own survey."""
    if audience == "participant" or placement_id is None:
        return None
    placement = session.get(Placement, placement_id)
    applicant = session.get(Applicant, placement.applicant_id) if placement else None
    if applicant is None or not applicant.first_name:
        return None
    return applicant.full_name


def _send(
    invitation: Invitation,
    *,
    to: tuple[str, str],
    key: str,
    cohort: Cohort,
    stored: SurveyRound,
    due: datetime,
    session: Session,
    reminder: bool,
) -> None:
    """The invitation (or reminder) e-mail to ``to`` (address, name) with the token link."""
    address, name = to
    enqueue(
        session,
        key=key,
        to=address,
        template="survey_invitation",
        cohort=cohort,
        due_at=due,
        context={
            "name": name,
            "about": survey_about(
                invitation.placement_id, invitation.audience or "", session=session
            ),
            "round_title": stored.title,
            "cohort_name": cohort.name,
            "closes_on": short_date(stored.closes_on),
            "reminder": reminder,
            **link_context(invitation.id),
        },
    )


def open_round(
    cohort: Cohort,
    stored: SurveyRound,
    item: Round,
    day: date,
    *,
    session: Session,
    settings: Settings,
    due: datetime,
) -> int:
    """An invitation with its own link for each participant, buddy and manager, once."""
    if not stored.opens_on <= day <= stored.closes_on:
        return 0
    stored.status = RoundStatus.OPEN.value
    invited = 0
    expires = datetime.combine(
        stored.closes_on + timedelta(days=LINK_DAYS_AFTER_CLOSE), time.min, tzinfo=settings.zone
    )
    placements = session.scalars(select(Placement).where(Placement.cohort_id == cohort.id))
    for placement in placements:
        if placement.ended_on is not None and placement.ended_on < stored.opens_on:
            continue
        for audience in item.audiences:
            key = f"survey-invite:{cohort.code}:{stored.code}:{placement.id}:{audience}"
            person = _people(placement, audience, session=session)
            if person is None or outbox.exists(session, key):
                continue
            invitation = create_survey_invitation(
                stored, audience, placement.id, session=session, expires_at=expires
            )
            _send(
                invitation,
                to=person,
                key=key,
                cohort=cohort,
                stored=stored,
                due=due,
                session=session,
                reminder=False,
            )
            invited += 1
    return invited


def remind_round(
    cohort: Cohort,
    stored: SurveyRound,
    item: Round,
    day: date,
    *,
    session: Session,
    due: datetime,
) -> int:
    """On a reminder day, one more link to everyone who has not answered, at most max_reminders."""
    days = [
        d
        for d in item.reminder_days[: item.max_reminders]
        if stored.opens_on + timedelta(days=d) <= day
    ]
    if not days or not stored.opens_on <= day <= stored.closes_on:
        return 0
    number = len(days)
    reminded = 0
    waiting = session.scalars(
        select(Invitation).where(
            Invitation.survey_round_id == stored.id,
            Invitation.responded_at.is_(None),
            Invitation.reminders_sent < number,
        )
    )
    for invitation in waiting:
        placement = (
            session.get(Placement, invitation.placement_id) if invitation.placement_id else None
        )
        person = (
            _people(placement, invitation.audience or "", session=session) if placement else None
        )
        if person is None:
            continue
        invitation.reminders_sent = number
        who = f"{invitation.placement_id}:{invitation.audience}"
        key = f"survey-reminder:{cohort.code}:{stored.code}:{who}:{number}"
        _send(
            invitation,
            to=person,
            key=key,
            cohort=cohort,
            stored=stored,
            due=due,
            session=session,
            reminder=True,
        )
        reminded += 1
    return reminded


def close_round(stored: SurveyRound, day: date) -> bool:
    """Close the round the day after its last day; True the first time."""
    if day > stored.closes_on and stored.status != RoundStatus.CLOSED.value:
        stored.status = RoundStatus.CLOSED.value
        return True
    return False

"""People who want to be invited to the Q&A sessions for candidates: an e-mail address given
on the landing page, confirmed through the link sent to it (double opt-in), then invited with
every session still ahead and reminded the day before each. Every e-mail carries the link to
unsubscribe, which deletes the address and forgets what was sent to it.

Nothing tells a visitor whether an address is registered: the page after registering reads
the same either way, and an unconfirmed address is asked again at most once a day, at most
``MAX_CONFIRMATIONS`` times, so the form cannot be used to flood someone's mailbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.commitments.answer import FieldError
from rvg.dutch import dutch_date, weekday
from rvg.information.qa import QaAudience, QaSession, enrol_day, qa_sessions
from rvg.information.requests import taking_part
from rvg.inputs import text_problem
from rvg.invitations.links import link_context
from rvg.models import Cohort, ContactRole, Invitation, InvitationPurpose, QaInterest
from rvg.notifications import enqueue, outbox
from rvg.notifications.addresses import normalise_address
from rvg.notifications.attachments import YEAR_CALENDAR_KEY, year_calendar_context
from rvg.recruitment.config import QaRules
from rvg.repositories.decisions import latest_decision
from rvg.repositories.organisations import contacts_with_role
from rvg.unit import Unit
from rvg.workdays import previous_working_day

CONFIRM_AGAIN_AFTER = timedelta(hours=24)
MAX_CONFIRMATIONS = 3
CALENDAR_FILE = "vragenuren.ics"
KEY_PREFIX = "qa-interest:"


def validate_address(data: dict[str, str]) -> tuple[str | None, list[FieldError]]:
    """The address typed in the form, normalised; else the field's error."""
    text = (data.get("email") or "").strip()
    if not text:
        return None, [FieldError("email", "Vul uw e-mailadres in.")]
    problem = text_problem(text, 254)
    if problem:
        return None, [FieldError("email", problem)]
    try:
        return normalise_address(text), []
    except ValueError:
        return None, [
            FieldError("email", "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.")
        ]


def campaign_end(cohort: Cohort) -> date:
    """The last day an interest is kept: the day of the meet & greet."""
    return cohort.key_date("meet_and_greet")


def _prefix(cohort: Cohort, interest_id: int) -> str:
    """Every e-mail to an interest has its key under this prefix."""
    return f"{KEY_PREFIX}{cohort.code}:{interest_id}:"


def register_interest(u: Unit, address: str, now: datetime) -> None:
    """Ask ``address`` to confirm, unless it did already or was asked within a day (or too
    often): the caller says the same to the visitor whatever happened here."""
    interest = _find(u, QaAudience.CANDIDATES, address)
    if interest is None:
        interest = _new(u, QaAudience.CANDIDATES, address, now)
    elif (
        interest.confirmed_at is not None
        or now - interest.asked_at < CONFIRM_AGAIN_AFTER
        or interest.confirmations_sent >= MAX_CONFIRMATIONS
    ):
        return
    else:
        interest.asked_at = now
        interest.confirmations_sent += 1
    _mail(u, interest, "qa_confirm", f"confirm:{interest.confirmations_sent}", now, {})


def _find(u: Unit, audience: QaAudience, address: str) -> QaInterest | None:
    return u.session.scalar(
        select(QaInterest).where(
            QaInterest.cohort_id == u.cohort.id,
            QaInterest.audience == audience.value,
            QaInterest.email == address,
        )
    )


def _new(
    u: Unit, audience: QaAudience, address: str, now: datetime, contact_id: int | None = None
) -> QaInterest:
    """A new interest and its invitation: the token link of every e-mail to it."""
    cohort = u.cohort
    interest = QaInterest(
        cohort_id=cohort.id,
        audience=audience.value,
        contact_id=contact_id,
        email=address,
        asked_at=now,
    )
    u.session.add(interest)
    u.session.flush()
    u.session.add(
        Invitation(
            purpose=InvitationPurpose.INTEREST.value,
            cohort_id=cohort.id,
            interest_id=interest.id,
            expires_at=datetime.combine(
                campaign_end(cohort) + timedelta(days=1), time.min, tzinfo=u.settings.zone
            ),
        )
    )
    u.session.flush()
    return interest


def enrol_organisations(u: Unit, day: date, now: datetime) -> int:
    """From ``enrol_day`` until the meet & greet: enrol every secretary of every organisation
    signed up (not after a no-go) for the organisations' sessions, once, and invite them;
    returns how many were enrolled now."""
    cohort = u.cohort
    go = latest_decision(cohort, "go_no_go", session=u.session)
    if (
        day < enrol_day(cohort.key_date("recruitment_opens"))
        or day >= campaign_end(cohort)
        or (go and go.outcome != "go")
    ):
        return 0
    enrolled = 0
    for organisation in taking_part(cohort, session=u.session):
        for contact in contacts_with_role(
            organisation.code, ContactRole.SECRETARY.value, session=u.session
        ):
            address = contact.email.lower()
            if _find(u, QaAudience.ORGANISATIONS, address) is not None:
                continue
            interest = _new(u, QaAudience.ORGANISATIONS, address, now, contact.id)
            confirm_interest(u, interest, now)  # enrolled by the team: no opt-in to ask
            enrolled += 1
    return enrolled


def _invitation_id(interest: QaInterest, session: Session) -> int:
    found = session.scalar(select(Invitation.id).where(Invitation.interest_id == interest.id))
    if found is None:
        raise ValueError("an interest without its invitation")
    return found


def _mail(
    u: Unit,
    interest: QaInterest,
    template: str,
    key: str,
    due: datetime,
    context: dict[str, object],
) -> None:
    enqueue(
        u.session,
        key=_prefix(u.cohort, interest.id) + key,
        to=interest.email,
        template=template,
        cohort=u.cohort,
        due_at=due,
        context={
            "cohort_name": u.cohort.name,
            **context,
            **link_context(_invitation_id(interest, u.session)),
        },
    )


@dataclass(frozen=True)
class InterestView:
    interest: QaInterest
    cohort_name: str
    sessions: list[QaSession]  # the candidates' sessions still ahead


def interest_view(u: Unit, invitation: Invitation, today: date) -> InterestView | None:
    interest = u.session.get(QaInterest, invitation.interest_id)
    if interest is None:
        return None
    cohort = u.session.get_one(Cohort, interest.cohort_id)
    audience = QaAudience(interest.audience)
    return InterestView(interest, cohort.name, _ahead(u, cohort, today, audience))


def _rules(u: Unit, cohort: Cohort) -> QaRules:
    return u.config_of(cohort).recruitment.information.qa


def _ahead(u: Unit, cohort: Cohort, today: date, audience: QaAudience) -> list[QaSession]:
    opens, meet = cohort.milestone("recruitment_opens"), cohort.milestone("meet_and_greet")
    if opens is None or meet is None:
        return []
    sessions = qa_sessions(opens, meet, _rules(u, cohort), u.settings.zone, audience)
    return [s for s in sessions if s.day >= today]


def session_line(item: QaSession) -> str:
    """``woensdag 10 maart 2027, 19.30–20.30 uur``."""
    return (
        f"{weekday(item.day)} {dutch_date(item.day)}, "
        f"{item.starts_at:%H.%M}–{item.ends_at:%H.%M} uur"
    )


def confirm_interest(u: Unit, interest: QaInterest, now: datetime) -> bool:
    """Confirm the address and queue its invitation (every session still ahead, as a
    calendar) and a reminder the working day before each; False when it was confirmed already."""
    if interest.confirmed_at is not None:
        return False
    interest.confirmed_at = now
    cohort = u.session.get_one(Cohort, interest.cohort_id)
    unit = Unit(u.settings, u.session, cohort)
    rules = _rules(u, cohort)
    audience = QaAudience(interest.audience)
    sessions = _ahead(unit, cohort, now.date(), audience)
    join = str(rules.join_url) if rules.join_url else ""
    _mail(
        unit,
        interest,
        "qa_invitation",
        "invitation",
        unit.send_at(now) if audience is QaAudience.ORGANISATIONS else now,
        {
            "audience": audience.value,
            "sessions": [session_line(s) for s in sessions],
            "location": rules.location,
            "join_url": join,
            YEAR_CALENDAR_KEY: year_calendar_context(
                f"Vragenuren {cohort.name}",
                [s.event(cohort.code, rules) for s in sessions],
                CALENDAR_FILE,
            ),
        },
    )
    for item in sessions:
        due = unit.send_at(previous_working_day(item.day - timedelta(days=1)))
        if due <= now:
            continue  # the invitation is the reminder
        _mail(
            unit,
            interest,
            "qa_reminder",
            f"reminder:{item.day.isoformat()}",
            due,
            {
                "audience": audience.value,
                "session": session_line(item),
                "location": rules.location,
                "join_url": join,
            },
        )
    return True


def withdraw_interest(u: Unit, interest: QaInterest) -> None:
    """Unsubscribe: the e-mails not yet sent are cancelled, those sent forget the address,
    and the address itself is deleted (its link with it)."""
    forget_interests([interest], session=u.session)


def after_campaign(day: date, *, session: Session) -> list[QaInterest]:
    """The interests of every cohort whose campaign is over by ``day`` (its meet & greet has
    passed): due for deletion."""
    over = [
        cohort.id
        for cohort in session.scalars(
            select(Cohort).where(Cohort.id.in_(select(QaInterest.cohort_id)))
        )
        if (meet := cohort.milestone("meet_and_greet")) is not None and meet < day
    ]
    return list(
        session.scalars(
            select(QaInterest).where(QaInterest.cohort_id.in_(over)).order_by(QaInterest.id)
        )
    )


def forget_interests(interests: list[QaInterest], *, session: Session) -> None:
    """Delete ``interests`` (their links with them) and forget what was sent to them."""
    codes = {cohort_id: code for cohort_id, code in session.execute(select(Cohort.id, Cohort.code))}
    for interest in interests:
        outbox.forget(session, key_prefix=f"{KEY_PREFIX}{codes[interest.cohort_id]}:{interest.id}:")
        session.delete(interest)
    session.flush()


def first_erasure_day(*, session: Session) -> date | None:
    """The first day on which an interest is due for deletion."""
    days = [
        meet + timedelta(days=1)
        for cohort in session.scalars(
            select(Cohort).where(Cohort.id.in_(select(QaInterest.cohort_id)))
        )
        if (meet := cohort.milestone("meet_and_greet")) is not None
    ]
    return min(days, default=None)

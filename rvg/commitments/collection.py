"""Inviting organisations, reminding the ones that have not answered, counting the answers,
and recording the steering group's go/no-go.

Idempotent: every e-mail has an outbox key, and an invitation (with its token) is only made
when its e-mail is new. Each e-mail carries a token of its own; all lead to the same
commitment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy.orm import Session

from rvg import clock
from rvg.commitments.rules import (
    CommitmentCounts,
    GoNoGoDecision,
    OrganisationAnswer,
    committed_of_kinds,
    count_answers,
    due_reminder,
    go_by_rule,
    kinds_in_dutch,
)
from rvg.commitments.service import approved_contribution, link_expires_at, signup_deadline
from rvg.dutch import counted, euro, short_date
from rvg.invitations.links import link_context
from rvg.models import Cohort, CommitmentStatus, Contact, ContactRole, Organisation
from rvg.notifications import enqueue, outbox
from rvg.phases import Phase
from rvg.repositories.commitments import commitments_of, ensure_commitment, organisations_by_id
from rvg.repositories.decisions import latest_decision, record_decision
from rvg.repositories.invitations import create_organisation_invitation
from rvg.repositories.organisations import contacts_with_role, list_organisations
from rvg.unit import Unit


class CommitmentSummary(BaseModel):
    """Where the collection stands, as the flow returns it."""

    cohort: str
    as_of: date
    invited: int
    responded: int
    committed: int
    declined: int
    vacancies: dict[str, int]
    minimum: int
    closed: bool
    go_by_rule: bool
    counted: int  # the committed organisations of the kinds the rule counts
    counted_kinds: list[str]
    decision: str | None = None
    without_contact: list[str] = []  # organisations not invited: no secretary to e-mail

    @property
    def nothing_to_decide(self) -> bool:
        """No organisation could be invited: a no-go would be a verdict on missing contacts."""
        return self.invited == 0

    @property
    def rule_line(self) -> str:
        """In Dutch: what takes part against what the rule asks, both counts shown."""
        return (
            f"{counted(self.committed, 'organisatie doet', 'organisaties doen')} mee, "
            f"waarvan {kinds_in_dutch(self.counted_kinds, self.counted)} (minimaal "
            f"{kinds_in_dutch(self.counted_kinds, self.minimum)} nodig)"
        )


@dataclass
class Mailing:
    organisations: int = 0
    emails: int = 0
    without_secretary: list[str] = field(default_factory=list)
    with_secretary: int = 0  # organisations that can be (or were) invited

    @property
    def nobody_to_invite(self) -> bool:
        return bool(self.without_secretary) and self.with_secretary == 0


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


@dataclass(frozen=True)
class _Letter:
    """What every sign-up e-mail of one run shares."""

    cohort: Cohort
    session: Session
    zone: ZoneInfo
    due: datetime  # when the e-mails go
    contribution: str  # the approved contribution per participant; empty when not set
    needed: str  # the go/no-go's minimum in words: "12 gemeenten"


def _letter(u: Unit, day: date) -> _Letter:
    amount = approved_contribution(u.cohort, session=u.session)
    kinds = u.config.programme.go_kinds
    return _Letter(
        cohort=u.cohort,
        session=u.session,
        zone=u.settings.zone,
        due=u.send_at(day),
        contribution=euro(amount) if amount is not None else "",
        needed=kinds_in_dutch(kinds, u.cohort.min_organisations),
    )


def _mail(
    letter: _Letter, organisation: Organisation, contact: Contact, key: str, days_left: int | None
) -> bool:
    """Make an invitation with a fresh token and enqueue its e-mail, unless ``key`` exists."""
    cohort, session = letter.cohort, letter.session
    if outbox.exists(session, key):
        return False
    invitation = create_organisation_invitation(
        cohort,
        organisation,
        contact,
        session=session,
        expires_at=link_expires_at(cohort, letter.zone),
    )
    enqueue(
        session,
        key=key,
        to=contact.email,
        template="signup_invitation",
        cohort=cohort,
        due_at=letter.due,
        context={
            "contact_name": contact.name,
            "organisation": organisation.name,
            "cohort_name": cohort.name,
            "deadline": short_date(signup_deadline(cohort)),
            "minimum": cohort.min_organisations,
            "minimum_needed": letter.needed,
            "reminder": days_left is not None,
            "days_left": days_left or 0,
            "contribution": letter.contribution,
            **link_context(invitation.id),
        },
    )
    return True


def invite(u: Unit, day: date) -> Mailing:
    """Invite every organisation's secretaries once, from the day the sign-up opens; the
    e-mails go in the mail hours (``Unit.send_at``)."""
    mailing = Mailing()
    cohort, session = u.cohort, u.session
    opens = cohort.milestone("signup_opens")
    if opens is None or day < opens or day > signup_deadline(cohort):
        return mailing
    letter = _letter(u, day)
    for organisation in invited_organisations(cohort, session=session):
        secretaries = contacts_with_role(
            organisation.code, ContactRole.SECRETARY.value, session=session
        )
        if not secretaries:  # not invited: it counts as invited only once it is e-mailed
            mailing.without_secretary.append(organisation.name)
            continue
        mailing.with_secretary += 1
        _, new = ensure_commitment(cohort, organisation, session=session, invited_at=letter.due)
        mailing.organisations += int(new)
        for contact in secretaries:
            key = f"signup-invite:{cohort.code}:{organisation.code}:{contact.id}"
            mailing.emails += _mail(letter, organisation, contact, key, days_left=None)
    return mailing


def remind(u: Unit, day: date, offsets: list[int]) -> Mailing:
    """Remind the organisations that have not answered, on the configured days before closing;
    the e-mails go in the mail hours and count the days left from then."""
    mailing = Mailing()
    cohort, session = u.cohort, u.session
    deadline = signup_deadline(cohort)
    offset = due_reminder(offsets, deadline, day)
    if offset is None:
        return mailing
    letter = _letter(u, day)
    organisations = organisations_by_id(session=session)
    for commitment in commitments_of(cohort, session=session):
        if commitment.status != CommitmentStatus.INVITED.value:
            continue
        organisation = organisations[commitment.organisation_id]
        for contact in contacts_with_role(
            organisation.code, ContactRole.SECRETARY.value, session=session
        ):
            key = f"signup-reminder:{cohort.code}:{organisation.code}:{offset}d:{contact.id}"
            days_left = (deadline - letter.due.date()).days
            sent = _mail(letter, organisation, contact, key, days_left=days_left)
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
            kind=organisations[c.organisation_id].kind,
        )
        for c in commitments_of(cohort, session=session)
    ]


def is_closed(cohort: Cohort, day: date) -> bool:
    return day > signup_deadline(cohort)


def summarise(u: Unit, day: date) -> tuple[CommitmentSummary, CommitmentCounts]:
    """The answers counted by region and in total, on ``day``."""
    given = answers(u.cohort, session=u.session)
    counts = count_answers(given)
    decided = latest_decision(u.cohort, "go_no_go", session=u.session)
    total, minimum = counts.total, u.cohort.min_organisations
    kinds = u.config.programme.go_kinds
    counted_now = committed_of_kinds(given, kinds)
    summary = CommitmentSummary(
        cohort=u.cohort.code,
        as_of=day,
        invited=total.invited,
        responded=total.responded,
        committed=total.yes,
        declined=total.no,
        vacancies={t.track_code: total.vacancies.get(t.track_code, 0) for t in u.cohort.tracks},
        minimum=minimum,
        closed=is_closed(u.cohort, day),
        go_by_rule=go_by_rule(counted_now, minimum),
        counted=counted_now,
        counted_kinds=kinds,
        decision=decided.outcome if decided else None,
        without_contact=without_secretary(u.cohort, session=u.session),
    )
    return summary, counts


def record_go_no_go(
    u: Unit, decision: GoNoGoDecision, summary: CommitmentSummary, as_of: date | None
) -> str:
    """The steering group's go/no-go with who, when, why and the counts it was based on."""
    outcome = "go" if decision.go else "no_go"
    record_decision(
        u.cohort,
        Phase.COMMITMENTS,
        session=u.session,
        kind="go_no_go",
        outcome=outcome,
        decided_by=decision.decided_by,
        decided_at=clock.utcnow(as_of, u.settings.zone),
        reason=decision.comment,
        payload={
            "committed": summary.committed,
            "counted": summary.counted,
            "counted_kinds": summary.counted_kinds,
            "minimum": summary.minimum,
            "go_by_rule": summary.go_by_rule,
            "vacancies": summary.vacancies,
        },
    )
    return outcome

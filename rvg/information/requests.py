"""Asking the organisations taking part for their information page: one invitation once they
have signed up (unless the steering group said no-go), reminders on working days before the
recruitment opens, and who is still missing.

Idempotent like the sign-up's mailings: every e-mail has an outbox key; each contact has one
invitation to the page, and every e-mail about it carries a link of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.dutch import short_date
from rvg.information.profiles import link_expires_at, recruitment_opens, reminder_days
from rvg.invitations.links import link_context
from rvg.models import (
    Cohort,
    Commitment,
    CommitmentStatus,
    Contact,
    ContactRole,
    Invitation,
    InvitationPurpose,
    Organisation,
    OrganisationProfile,
    OrganisationProfileVersion,
)
from rvg.notifications import enqueue, outbox
from rvg.repositories.decisions import latest_decision
from rvg.repositories.invitations import create_organisation_invitation
from rvg.repositories.organisations import contacts_with_role
from rvg.unit import Unit

TEMPLATE = "profile_invitation"


@dataclass(frozen=True)
class ProfileStatus:
    """Where the information pages stand: organisation names by state."""

    published: list[str] = field(default_factory=list)
    draft: list[str] = field(default_factory=list)  # saved, never published
    missing: list[str] = field(default_factory=list)  # nothing saved

    @property
    def taking_part(self) -> int:
        return len(self.published) + len(self.draft) + len(self.missing)


def taking_part(cohort: Cohort, *, session: Session) -> list[Organisation]:
    """The organisations committed to the cohort, by name."""
    return list(
        session.scalars(
            select(Organisation)
            .join(Commitment, Commitment.organisation_id == Organisation.id)
            .where(
                Commitment.cohort_id == cohort.id,
                Commitment.status == CommitmentStatus.COMMITTED.value,
            )
            .order_by(Organisation.name)
        )
    )


def profile_status(cohort: Cohort, *, session: Session) -> ProfileStatus:
    # per organisation: whether its page is published, and whether anything was saved
    saved = (
        select(OrganisationProfileVersion.id)
        .where(OrganisationProfileVersion.profile_id == OrganisationProfile.id)
        .exists()
    )
    states = {
        organisation_id: (published is not None, bool(any_saved))
        for organisation_id, published, any_saved in session.execute(
            select(
                OrganisationProfile.organisation_id, OrganisationProfile.published_version, saved
            ).where(OrganisationProfile.cohort_id == cohort.id)
        )
    }
    status = ProfileStatus()
    for organisation in taking_part(cohort, session=session):
        published, any_saved = states.get(organisation.id, (False, False))
        if published:
            status.published.append(organisation.name)
        elif any_saved:
            status.draft.append(organisation.name)
        else:
            status.missing.append(organisation.name)
    return status


@dataclass
class ProfileMailing:
    invited: int = 0
    reminded: int = 0
    without_secretary: list[str] = field(default_factory=list)


def request_profiles(u: Unit, day: date) -> ProfileMailing:
    """Until the recruitment opens, unless the cohort is a no-go: invite the secretaries of
    every organisation signed up to fill its page, once; on a reminder day remind those whose
    page is not yet published. The e-mails go in the mail hours."""
    mailing = ProfileMailing()
    cohort, session = u.cohort, u.session
    opens = recruitment_opens(cohort)
    go = latest_decision(cohort, "go_no_go", session=session)
    if day >= opens or (go is not None and go.outcome != "go"):
        return mailing
    offsets = u.config.recruitment.information.profile_reminder_days
    due = [o for o, d in reminder_days(opens, offsets).items() if d <= day]
    reminder = min(due) if due else None  # the latest one due; earlier ones are not sent late
    published = set(profile_status(cohort, session=session).published)
    for organisation in taking_part(cohort, session=session):
        secretaries = contacts_with_role(
            organisation.code, ContactRole.SECRETARY.value, session=session
        )
        if not secretaries:
            mailing.without_secretary.append(organisation.name)
            continue
        for contact in secretaries:
            base = f"{cohort.code}:{organisation.code}:{contact.id}"
            invitation = _invitation(u, organisation, contact)
            if not outbox.exists(session, f"profile-invite:{base}"):
                _mail(u, day, invitation, organisation, contact, f"profile-invite:{base}", None)
                mailing.invited += 1
            elif reminder is not None and organisation.name not in published:
                key = f"profile-reminder:{base}:{reminder}d"
                if not outbox.exists(session, key):
                    _mail(u, day, invitation, organisation, contact, key, (opens - day).days)
                    mailing.reminded += 1
    return mailing


def _invitation(u: Unit, organisation: Organisation, contact: Contact) -> Invitation:
    """The contact's invitation to the organisation's page, made the first time."""
    found = u.session.scalar(
        select(Invitation).where(
            Invitation.purpose == InvitationPurpose.PROFILE.value,
            Invitation.cohort_id == u.cohort.id,
            Invitation.organisation_id == organisation.id,
            Invitation.contact_id == contact.id,
        )
    )
    return found or create_organisation_invitation(
        u.cohort,
        organisation,
        contact,
        session=u.session,
        expires_at=link_expires_at(u.cohort, u.settings.zone),
        purpose=InvitationPurpose.PROFILE,
    )


def _mail(
    u: Unit,
    day: date,
    invitation: Invitation,
    organisation: Organisation,
    contact: Contact,
    key: str,
    days_left: int | None,
) -> None:
    cohort = u.cohort
    opens = recruitment_opens(cohort)
    enqueue(
        u.session,
        key=key,
        to=contact.email,
        template=TEMPLATE,
        cohort=cohort,
        due_at=u.send_at(day),
        context={
            "contact_name": contact.name,
            "organisation": organisation.name,
            "cohort_name": cohort.name,
            "until": short_date(opens - timedelta(days=1)),
            "reminder": days_left is not None,
            "days_left": days_left or 0,
            **link_context(invitation.id),
        },
    )


def status_markdown(status: ProfileStatus, opens: date) -> str:
    """For the team, in Dutch: which organisations have published, saved or nothing yet."""
    lines = [
        "## Informatiepagina's voor kandidaten",
        "",
        f"{len(status.published)} van {status.taking_part} deelnemende organisaties hebben hun "
        f"pagina gepubliceerd; wijzigen kan tot de start van de werving op {short_date(opens)}.",
    ]
    for title, names in (
        ("Opgeslagen, nog niet gepubliceerd", status.draft),
        ("Nog niets ingevuld", status.missing),
    ):
        if names:
            lines += ["", f"**{title}** ({len(names)}): " + ", ".join(names)]
    return "\n".join(lines)

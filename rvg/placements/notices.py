"""Telling candidates and organisations about their matches, through the outbox."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.models import Applicant, Cohort, ContactRole, Organisation, Placement, Track
from rvg.notifications import enqueue
from rvg.repositories.organisations import contacts_with_role
from rvg.settings import Settings

REPLY_DAYS = 14


def notify_matches(
    cohort: Cohort, placements: list[Placement], *, session: Session, settings: Settings, day: date
) -> int:
    """One e-mail per candidate and one per organisation secretary, asking for buddy and manager."""
    due = datetime.combine(day, time(9, 0), tzinfo=settings.zone)
    orgs = {o.id: o for o in session.scalars(select(Organisation))}
    tracks = {t.code: t.name for t in session.scalars(select(Track))}
    by_org: dict[int, list[tuple[Applicant, Placement]]] = defaultdict(list)
    count = 0
    for placement in placements:
        applicant = session.get_one(Applicant, placement.applicant_id)
        organisation = orgs[placement.organisation_id]
        by_org[organisation.id].append((applicant, placement))
        if applicant.email:
            enqueue(
                session,
                key=f"match-candidate:{cohort.code}:{applicant.applicant_ref}",
                to=applicant.email,
                template="match_candidate",
                cohort=cohort,
                due_at=due,
                context={
                    "first_name": applicant.first_name or "",
                    "organisation": organisation.name,
                    "track": tracks[placement.track_code],
                    "cohort_name": cohort.name,
                    "starts_on": f"{placement.starts_on:%d-%m-%Y}",
                },
            )
            count += 1
    for org_id, matched in by_org.items():
        organisation = orgs[org_id]
        participants = [
            {"name": f"{a.first_name} {a.last_name}", "track": tracks[p.track_code]}
            for a, p in matched
        ]
        for contact in contacts_with_role(
            organisation.code, ContactRole.SECRETARY.value, session=session
        ):
            enqueue(
                session,
                key=f"match-organisation:{cohort.code}:{organisation.code}:{contact.id}",
                to=contact.email,
                template="match_organisation",
                cohort=cohort,
                due_at=due,
                context={
                    "contact_name": contact.name,
                    "organisation": organisation.name,
                    "cohort_name": cohort.name,
                    "count": len(participants),
                    "participants": participants,
                    "starts_on": f"{matched[0][1].starts_on:%d-%m-%Y}",
                    "reply_by": f"{day + timedelta(days=REPLY_DAYS):%d-%m-%Y}",
                },
            )
            count += 1
    return count

"""Telling candidates and organisations about their matches, through the outbox."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.dutch import short_date
from rvg.models import Applicant, Cohort, ContactRole, Organisation, Placement
from rvg.notifications import enqueue, enqueue_to_role
from rvg.repositories.organisations import track_names
from rvg.settings import Settings

REPLY_DAYS = 14


def notify_matches(
    cohort: Cohort, placements: list[Placement], *, session: Session, settings: Settings, day: date
) -> int:
    """One e-mail per candidate and one per organisation secretary, asking for buddy and manager."""
    due = datetime.combine(day, time(9, 0), tzinfo=settings.zone)
    orgs = {o.id: o for o in session.scalars(select(Organisation))}
    tracks = track_names(session=session)
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
                    "starts_on": short_date(placement.starts_on),
                },
            )
            count += 1
    for org_id, matched in by_org.items():
        organisation = orgs[org_id]
        participants = [
            {"name": f"{a.first_name} {a.last_name}", "track": tracks[p.track_code]}
            for a, p in matched
        ]
        count += len(
            enqueue_to_role(
                session,
                organisation=organisation.code,
                role=ContactRole.SECRETARY,
                key=f"match-organisation:{cohort.code}:{organisation.code}",
                template="match_organisation",
                cohort=cohort,
                due_at=due,
                context={
                    "organisation": organisation.name,
                    "cohort_name": cohort.name,
                    "count": len(participants),
                    "participants": participants,
                    "starts_on": short_date(matched[0][1].starts_on),
                    "reply_by": short_date(day + timedelta(days=REPLY_DAYS)),
                },
            )
        )
    return count

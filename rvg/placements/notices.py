"""Telling candidates and organisations about their matches, through the outbox."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.dutch import short_date
from rvg.models import Applicant, Cohort, ContactRole, Organisation, Placement
from rvg.notifications import enqueue, enqueue_to_role
from rvg.repositories.organisations import track_names
from rvg.workdays import next_working_day

REPLY_DAYS = 14


def notify_matches(
    cohort: Cohort, placements: list[Placement], *, session: Session, due: datetime
) -> int:
    """One e-mail per candidate and one per organisation secretary, asking for buddy and manager,
    sent at ``due``; the organisations' reply date is a working day."""
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
                    "name": applicant.full_name,
                    "organisation": organisation.name,
                    "track": tracks[placement.track_code],
                    "cohort_name": cohort.name,
                    "starts_on": short_date(placement.starts_on),
                },
            )
            count += 1
    for org_id, matched in by_org.items():
        organisation = orgs[org_id]
        participants = [{"name": a.full_name, "track": tracks[p.track_code]} for a, p in matched]
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
                    "reply_by": short_date(reply_by(due)),
                },
            )
        )
    return count


def reply_by(sent_at: datetime) -> date:
    """The day organisations name their buddy and manager by: ``REPLY_DAYS`` after the e-mail,
    on the next working day when that is a weekend or a holiday."""
    return next_working_day(sent_at.date() + timedelta(days=REPLY_DAYS))

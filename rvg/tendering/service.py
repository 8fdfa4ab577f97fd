"""The tendering steps on the database that the task and the CLI share."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime

from sqlalchemy.orm import Session

from rvg.dutch import short_date
from rvg.models import Cohort, ContactRole
from rvg.notifications import enqueue_to_role, reschedule
from rvg.repositories.organisations import contacts_with_role
from rvg.tendering.labels import MILESTONE_LABELS, PATH_LABELS
from rvg.tendering.reminders import milestone_reminders
from rvg.tendering.status import TenderingSummary


def enqueue_milestone_reminders(
    cohort: Cohort,
    summary: TenderingSummary,
    *,
    days_before: Iterable[int],
    programme_organisation: str,
    send_at: Callable[[date], datetime],
    session: Session,
) -> int | None:
    """Remind the programme's procurement contacts before each milestone still ahead of a
    planned lot, at ``send_at`` of the reminder's day; a reminder already queued moves with its
    milestone. The number planned, or
    None when the programme organisation has no procurement contact."""
    if not contacts_with_role(
        programme_organisation, ContactRole.PROCUREMENT.value, session=session
    ):
        return None
    count = 0
    for lot in summary.lots:
        if lot.status != "planned":
            continue
        for reminder in milestone_reminders(
            summary.cohort, lot.lot, lot.milestones, days_before, summary.as_of
        ):
            due_at = send_at(reminder.due_on)
            rows = enqueue_to_role(
                session,
                organisation=programme_organisation,
                role=ContactRole.PROCUREMENT,
                key=reminder.key,
                template="tender_milestone",
                cohort=cohort,
                due_at=due_at,
                context={
                    "cohort": summary.cohort,
                    "lot_description": lot.description,
                    "milestone_label": MILESTONE_LABELS.get(reminder.milestone, reminder.milestone),
                    "milestone_date": short_date(reminder.milestone_on),
                    "days_before": reminder.days_before,
                    "path_label": PATH_LABELS.get(lot.path, lot.path),
                },
            )
            for row in rows:
                if row.due_at != due_at:
                    reschedule(session, key=row.key, due_at=due_at)
            count += len(rows)
    return count

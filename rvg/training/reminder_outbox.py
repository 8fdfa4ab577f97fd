"""Keeping the outbox in line with the year's plan: enqueue what is due soon, move what moved,
cancel what no longer applies. Idempotent: every reminder has a stable outbox key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg import clock
from rvg.models import (
    Applicant,
    Cohort,
    Contact,
    NotificationStatus,
    Placement,
    PlacementStatus,
)
from rvg.notifications import cancel, enqueue, outbox, reschedule
from rvg.training.calendars import session_uid
from rvg.training.reminder_plan import PlannedReminder, plan_reminders
from rvg.training.reminder_rules import ReminderRules
from rvg.training.schedule import GUIDES_ONLY
from rvg.training.service import stored_sessions

PENDING = NotificationStatus.PENDING.value


@dataclass
class ReminderRun:
    enqueued: int = 0
    moved: int = 0
    cancelled: int = 0
    without_guide: int = 0


def _recipients(placement: Placement, *, session: Session) -> dict[str, tuple[str, str] | None]:
    applicant = session.get_one(Applicant, placement.applicant_id)
    guides = {
        role: session.get(Contact, contact_id) if contact_id else None
        for role, contact_id in (
            ("buddy", placement.buddy_contact_id),
            ("manager", placement.manager_contact_id),
        )
    }
    participant = (applicant.email, applicant.full_name) if applicant.email else None
    return {
        "participant": participant,
        **{role: (c.email, c.name) if c else None for role, c in guides.items()},
    }


def keep_reminders(
    cohort: Cohort,
    day: date,
    horizon_days: int,
    rules: ReminderRules,
    zone: ZoneInfo,
    *,
    session: Session,
) -> ReminderRun:
    """Enqueue the reminders due in [day, day + horizon), reschedule moved ones, cancel stale.

    A session for buddies and managers only (their intervision) is one reminder per person,
    however many participants they guide; every other reminder is about one participant."""
    run = ReminderRun()
    sessions = stored_sessions(cohort, session=session)
    sequence = {item.key: seq for item, seq in sessions}
    guides_only = {item.key for item, _ in sessions if item.audience == GUIDES_ONLY}
    reminded: set[tuple[str, str]] = set()  # (address, session) of the guides' own sessions
    window_start = clock.start_of_day(day, zone)
    window_end = window_start + timedelta(days=horizon_days)
    existing = outbox.by_prefix(session, f"training:{cohort.code}:")
    pending = {key: due for key, (status, due) in existing.items() if status == PENDING}
    planned_keys = set()
    placements = session.scalars(
        select(Placement)
        .where(
            Placement.cohort_id == cohort.id, Placement.status != PlacementStatus.DROPPED_OUT.value
        )
        .order_by(Placement.id)  # the first placement's key carries a shared reminder
    )
    for placement in placements:
        recipients = _recipients(placement, session=session)
        participant_name = (recipients["participant"] or ("", ""))[1]
        for reminder in plan_reminders(
            cohort.code,
            placement.id,
            placement.starts_on,
            placement.ended_on,
            [item for item, _ in sessions],
            rules,
            zone,
            uid_for=partial(session_uid, cohort.code),
            sequence_for=lambda key: sequence.get(key, 0),
        ):
            recipient = recipients[reminder.role]
            if reminder.session_key in guides_only and recipient is not None:
                once = (recipient[0].casefold(), reminder.session_key)
                if once in reminded:
                    continue  # this person's reminder for this session is planned already
                reminded.add(once)
            planned_keys.add(reminder.key)
            if reminder.key in pending:
                if pending[reminder.key] != reminder.due_at:
                    run.moved += reschedule(session, key=reminder.key, due_at=reminder.due_at)
            elif reminder.key not in existing and window_start <= reminder.due_at < window_end:
                run.enqueued += _enqueue(
                    reminder, recipients, participant_name, cohort, session=session
                )
                run.without_guide += recipients[reminder.role] is None
    stale = [key for key in pending if key not in planned_keys]
    run.cancelled = cancel(session, keys=stale)
    return run


def _enqueue(
    reminder: PlannedReminder,
    recipients: dict[str, tuple[str, str] | None],
    participant_name: str,
    cohort: Cohort,
    *,
    session: Session,
) -> int:
    recipient = recipients[reminder.role]
    if recipient is None:
        return 0
    email, name = recipient
    enqueue(
        session,
        key=reminder.key,
        to=email,
        template=reminder.template,
        cohort=cohort,
        due_at=reminder.due_at,
        context=reminder.context | {"recipient_name": name, "participant_name": participant_name},
    )
    return 1

"""The stored programme of a cohort: sessions keep their UID; a moved one counts a SEQUENCE up."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.models import Cohort, TrainingSession
from rvg.training.calendars import session_uid
from rvg.training.schedule import PlannedSession


@dataclass(frozen=True)
class StoredSchedule:
    created: int
    moved: int
    unchanged: int
    cancelled: int
    held: int = 0  # sessions already held, kept as they were whatever the rules now say


def store_schedule(
    cohort: Cohort,
    planned: Iterable[PlannedSession],
    *,
    session: Session,
    held_before: datetime | None = None,
) -> StoredSchedule:
    """Insert new sessions, move changed ones (SEQUENCE + 1), cancel ones no longer planned.

    Sessions before ``held_before`` have been held: the past is not rewritten, so a changed
    rule neither moves, cancels nor adds a session there."""
    stored = {s.uid: s for s in sessions_of(cohort, session=session, include_cancelled=True)}
    created = moved = unchanged = held = 0
    seen = set()

    def past(moment: datetime) -> bool:
        return held_before is not None and moment < held_before

    for item in planned:
        uid = session_uid(cohort.code, item.key)
        seen.add(uid)
        row = stored.get(uid)
        if (row is not None and past(row.starts_at)) or past(item.starts_at):
            held += row is not None
            continue
        if row is None:
            session.add(
                TrainingSession(
                    cohort_id=cohort.id,
                    uid=uid,
                    session_type=item.session_type,
                    title=item.title,
                    audience=item.audience,
                    location=item.location,
                    starts_at=item.starts_at,
                    ends_at=item.ends_at,
                )
            )
            created += 1
        elif (row.starts_at, row.ends_at, row.location, row.title, row.cancelled) != (
            item.starts_at,
            item.ends_at,
            item.location,
            item.title,
            False,
        ):
            row.starts_at, row.ends_at = item.starts_at, item.ends_at
            row.location, row.title, row.cancelled = item.location, item.title, False
            row.sequence += 1
            moved += 1
        else:
            unchanged += 1
    cancelled = 0
    for uid, row in stored.items():
        if uid not in seen and not row.cancelled and past(row.starts_at):
            held += 1
        elif uid not in seen and not row.cancelled:
            row.cancelled, row.sequence = True, row.sequence + 1
            cancelled += 1
    session.flush()
    return StoredSchedule(created, moved, unchanged, cancelled, held)


def sessions_of(
    cohort: Cohort, *, session: Session, include_cancelled: bool = False
) -> list[TrainingSession]:
    query = select(TrainingSession).where(TrainingSession.cohort_id == cohort.id)
    if not include_cancelled:
        query = query.where(TrainingSession.cancelled.is_(False))
    return list(session.scalars(query.order_by(TrainingSession.starts_at)))


def session_key(cohort: Cohort, row: TrainingSession) -> str:
    """The planning key back from a stored UID (``rvg-<cohort>-<key>@…``)."""
    prefix = session_uid(cohort.code, "")
    local, _, domain = prefix.partition("@")
    return row.uid.removeprefix(local).removesuffix("@" + domain)

"""Claiming due e-mails under a lease, and recording what happened to them.

A claim is one UPDATE … RETURNING over a sub-select of due rows; on PostgreSQL the sub-select
locks with ``FOR UPDATE SKIP LOCKED``, so dispatchers on several machines never claim the same
row. A row whose lease expired (its dispatcher died) is due again. Outcomes are only recorded
by the dispatcher that holds the claim.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from rvg.models import Notification, NotificationStatus

PENDING = NotificationStatus.PENDING.value
SENDING = NotificationStatus.SENDING.value

OutcomeKind = Literal["sent", "retry", "failed"]


@dataclass(frozen=True)
class Claimed:
    id: int
    key: str
    to_address: str
    template: str
    context: dict[str, Any]
    attempts: int


@dataclass(frozen=True)
class Outcome:
    claimed: Claimed
    kind: OutcomeKind
    code: int | None = None
    error: str | None = None
    message_id: str | None = None


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base_seconds: float = 60.0
    cap_seconds: float = 6 * 3600.0

    def delay(self, attempt: int, rng: random.Random | None = None) -> timedelta:
        """Exponential backoff with equal jitter: between half and all of base·2^(attempt-1)."""
        ceiling = min(self.cap_seconds, self.base_seconds * 2 ** max(attempt - 1, 0))
        return timedelta(seconds=ceiling / 2 + (rng or random).uniform(0, ceiling / 2))


def claim_due(
    session: Session, *, now: datetime, lease_seconds: int, limit: int, worker: str
) -> list[Claimed]:
    """Claim up to ``limit`` due rows for ``worker`` and commit the claim."""
    due = or_(
        and_(Notification.status == PENDING, Notification.due_at <= now),
        and_(Notification.status == SENDING, Notification.lease_until < now),
    )
    candidates = select(Notification.id).where(due).order_by(Notification.due_at, Notification.id)
    candidates = candidates.limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    rows = session.execute(
        update(Notification)
        .where(Notification.id.in_(candidates.scalar_subquery()))
        .values(
            status=SENDING,
            lease_until=now + timedelta(seconds=lease_seconds),
            claimed_by=worker,
            attempts=Notification.attempts + 1,
        )
        .returning(
            Notification.id,
            Notification.key,
            Notification.to_address,
            Notification.template,
            Notification.context,
            Notification.attempts,
        )
        .execution_options(synchronize_session=False)
    ).all()
    session.commit()
    return sorted((Claimed(*row) for row in rows), key=lambda c: c.id)


def record_outcomes(
    session: Session,
    outcomes: Sequence[Outcome],
    *,
    now: datetime,
    worker: str,
    policy: RetryPolicy,
) -> None:
    """Store each outcome in one transaction; rows claimed by someone else are left alone."""
    changes = [_changes(outcome, now, policy) for outcome in outcomes]
    if changes:
        session.execute(
            update(Notification)
            .where(Notification.claimed_by == worker, Notification.status == SENDING)
            .execution_options(synchronize_session=None),
            changes,
        )
    session.commit()


def _changes(outcome: Outcome, now: datetime, policy: RetryPolicy) -> dict[str, Any]:
    claimed = outcome.claimed
    base: dict[str, Any] = {"id": claimed.id, "lease_until": None, "smtp_code": outcome.code}
    if outcome.kind == "sent":
        return base | {
            "status": NotificationStatus.SENT.value,
            "sent_at": now,
            "message_id": outcome.message_id,
            "last_error": None,
        }
    if outcome.kind == "retry" and claimed.attempts < policy.max_attempts:
        return base | {
            "status": PENDING,
            "due_at": now + policy.delay(claimed.attempts),
            "last_error": outcome.error,
        }
    reason = outcome.error or "unknown error"
    if outcome.kind == "retry":
        reason = f"gave up after {claimed.attempts} attempts: {reason}"
    return base | {"status": NotificationStatus.FAILED.value, "last_error": reason}

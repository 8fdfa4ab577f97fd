"""Claiming due e-mails under a lease, and recording what happened to them.

A claim is one UPDATE … RETURNING over a sub-select of due rows; on PostgreSQL the sub-select
locks with ``FOR UPDATE SKIP LOCKED``, so dispatchers on several machines never claim the same
row. A row whose lease expired (its dispatcher died) is due again. Outcomes are only recorded
by the dispatcher that holds the claim.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Literal, cast

from sqlalchemy import Table, and_, bindparam, or_, select, update
from sqlalchemy.orm import Session

from rvg.invitations.links import LINK_KEY, LINK_VALUE, form_link
from rvg.models import Notification, NotificationStatus
from rvg.repositories.invitations import SECRET_PREFIX, issue_link, revoke_links

PENDING = NotificationStatus.PENDING.value
SENDING = NotificationStatus.SENDING.value
OUTBOX = cast(Table, Notification.__table__)
OUTCOME_COLUMNS = (
    "status",
    "lease_until",
    "smtp_code",
    "sent_at",
    "message_id",
    "last_error",
    "due_at",
    "context",
)


def without_secrets(context: dict[str, Any]) -> dict[str, Any]:
    """The context minus ``secret_*`` values (token links): dropped once an e-mail is sent,
    has failed for good or is cancelled, so the outbox never keeps a working link."""
    return {key: value for key, value in context.items() if not key.startswith(SECRET_PREFIX)}


OutcomeKind = Literal["sent", "retry", "failed"]


@dataclass(frozen=True)
class Claimed:
    id: int
    key: str
    to_address: str
    template: str
    context: dict[str, Any]
    attempts: int
    due_at: datetime


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
            Notification.due_at,
        )
        .execution_options(synchronize_session=False)
    ).all()
    session.commit()
    return sorted((Claimed(*row) for row in rows), key=lambda c: c.id)


def issue_links(claimed: list[Claimed], *, session: Session, base_url: str) -> list[Claimed]:
    """The claimed e-mails, those that link to a form with a new link in their context: its
    token is made now, its hash stored, and the URL lives only in memory until it is sent
    (``without_secrets`` drops it from every context written back). An e-mail whose
    invitation is gone keeps no link, and fails when it is prepared."""
    issued = []
    for item in claimed:
        invitation_id = item.context.get(LINK_KEY)
        made = issue_link(invitation_id, session=session) if invitation_id else None
        if made is not None:
            invitation, token = made
            url = form_link(base_url, invitation.purpose, token)
            item = replace(item, context=item.context | {LINK_VALUE: url})
        issued.append(item)
    return issued


def record_outcomes(
    session: Session,
    outcomes: Sequence[Outcome],
    *,
    now: datetime,
    worker: str,
    policy: RetryPolicy,
) -> None:
    """Store each outcome in one transaction; rows claimed by someone else are left alone."""
    # Core executemany with one statement shape: cheaper than the ORM's bulk update, and
    # the dispatcher waits for this commit before a worker sends its next message.
    rows = [_changes(outcome, now, policy) for outcome in outcomes]
    if rows:
        session.execute(
            update(OUTBOX)
            .where(
                OUTBOX.c.id == bindparam("row_id"),
                OUTBOX.c.claimed_by == worker,
                OUTBOX.c.status == SENDING,
            )
            .values({column: bindparam(column) for column in OUTCOME_COLUMNS}),
            rows,
        )
        failed = NotificationStatus.FAILED.value
        given_up = [
            o.claimed.context
            for o, row in zip(outcomes, rows, strict=True)
            if row["status"] == failed
        ]
        revoke_links(given_up, session=session)  # their links were never delivered
    session.commit()


def _changes(outcome: Outcome, now: datetime, policy: RetryPolicy) -> dict[str, Any]:
    claimed = outcome.claimed
    row: dict[str, Any] = {
        "row_id": claimed.id,
        "status": NotificationStatus.FAILED.value,
        "lease_until": None,
        "smtp_code": outcome.code,
        "sent_at": None,
        "message_id": None,
        "last_error": outcome.error or "unknown error",
        "due_at": claimed.due_at,
        "context": claimed.context,
    }
    if outcome.kind == "sent":
        row |= {
            "status": NotificationStatus.SENT.value,
            "sent_at": now,
            "last_error": None,
            "message_id": outcome.message_id,
            "context": without_secrets(claimed.context),
        }
    elif outcome.kind == "retry" and claimed.attempts < policy.max_attempts:
        row |= {"status": PENDING, "due_at": now + policy.delay(claimed.attempts)}
    else:
        if outcome.kind == "retry":
            row["last_error"] = f"gave up after {claimed.attempts} attempts: {row['last_error']}"
        row["context"] = without_secrets(claimed.context)  # failed for good: the link goes
    return row

"""The outbox: producers enqueue e-mails here and never send them; the dispatcher does.

The key is unique, so enqueueing is repeatable: the same key again returns the existing row
and changes nothing. The template is rendered once at enqueue time as a check, so a missing
variable fails in the producer rather than at 3 a.m. in the dispatcher.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from rvg.errors import UserError
from rvg.invitations.links import with_link
from rvg.models import Cohort, ContactRole, Notification, NotificationStatus
from rvg.notifications.addresses import normalise_address
from rvg.notifications.attachments import calendar_event
from rvg.notifications.claims import OUTBOX, without_secrets
from rvg.notifications.rendering import COHORT_LABEL, render
from rvg.repositories.invitations import revoke_links
from rvg.repositories.organisations import contacts_with_role

MAX_KEY_LENGTH = 255
WAITING = (NotificationStatus.PENDING.value, NotificationStatus.SENDING.value)


def enqueue(
    session: Session,
    *,
    key: str,
    to: str,
    template: str,
    context: dict[str, Any],
    due_at: datetime,
    cohort: Cohort | None = None,
) -> Notification:
    """Add one e-mail to the outbox, or return the row already enqueued under ``key``."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise UserError(f"outbox key must be 1 to {MAX_KEY_LENGTH} characters, got {len(key)}")
    if due_at.tzinfo is None:
        raise UserError(f"outbox {key}: due_at must be timezone-aware")
    try:
        address = normalise_address(to)
    except ValueError as exc:
        raise UserError(f"outbox {key}: field 'to': {exc}") from None
    stored_context = to_jsonable_python(context)
    if cohort is not None:
        stored_context.setdefault(COHORT_LABEL, cohort.label)
    render(template, with_link(stored_context))  # the link itself is made when it is sent
    try:
        calendar_event(stored_context)
    except ValueError as exc:
        raise UserError(f"outbox {key}: {exc}") from None

    values = {
        "key": key,
        "to_address": address,
        "template": template,
        "context": stored_context,
        "due_at": due_at,
        "cohort_id": cohort.id if cohort else None,
    }
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(Notification).values(**values).on_conflict_do_nothing(index_elements=["key"])
    )
    row = session.scalar(select(Notification).where(Notification.key == key))
    assert row is not None  # inserted or already there
    return row


def enqueue_to_role(
    session: Session,
    *,
    organisation: str,
    role: ContactRole,
    key: str,
    template: str,
    context: dict[str, Any],
    due_at: datetime,
    cohort: Cohort | None = None,
    name_as: str = "contact_name",
) -> list[Notification]:
    """One e-mail to each contact of ``organisation`` (its code) with ``role``: the key gets
    ``:<contact id>``, the context the contact's name under ``name_as``. No contacts, no rows."""
    return [
        enqueue(
            session,
            key=f"{key}:{contact.id}",
            to=contact.email,
            template=template,
            cohort=cohort,
            due_at=due_at,
            context=context | {name_as: contact.name},
        )
        for contact in contacts_with_role(organisation, role.value, session=session)
    ]


def cancel(session: Session, *, keys: Iterable[str] = (), key_prefix: str | None = None) -> int:
    """Cancel e-mails not yet sent, by key or key prefix; returns how many were cancelled.

    A cancelled e-mail's token links are dropped from the outbox and revoked, so a link
    that was never delivered cannot be used by whoever reads the outbox later.
    """
    keys = list(keys)
    if not keys and key_prefix is None:
        return 0
    condition = (
        Notification.key.in_(keys)
        if keys
        else Notification.key.startswith(key_prefix or "", autoescape=True)
    )
    cancelled = session.execute(
        update(Notification)
        .where(condition, Notification.status == NotificationStatus.PENDING.value)
        .values(status=NotificationStatus.CANCELLED.value)
        .returning(Notification.id, Notification.context)
        .execution_options(synchronize_session=False)
    ).all()
    with_links = [
        (row_id, context) for row_id, context in cancelled if context != without_secrets(context)
    ]
    if with_links:
        revoke_links([context for _, context in with_links], session=session)
        session.execute(
            update(OUTBOX)
            .where(OUTBOX.c.id == bindparam("row_id"))
            .values(context=bindparam("clean")),
            [
                {"row_id": row_id, "clean": without_secrets(context)}
                for row_id, context in with_links
            ],
        )
    return len(cancelled)


ERASED_ADDRESS = "gewist@invalid"  # RFC 2606: a domain that never receives mail


def forget(session: Session, *, key_prefix: str) -> int:
    """The e-mails under ``key_prefix`` lose their address and context (name, links); those
    not yet sent are cancelled first. Template, status and dates stay for the counts."""
    cancel(session, key_prefix=key_prefix)
    result = session.execute(
        update(Notification)
        .where(Notification.key.startswith(key_prefix, autoescape=True))
        .values(to_address=ERASED_ADDRESS, context={})
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def reschedule(session: Session, *, key: str, due_at: datetime) -> bool:
    """Move a pending e-mail to a new moment; False when it was already sent or cancelled."""
    result = session.execute(
        update(Notification)
        .where(Notification.key == key, Notification.status == NotificationStatus.PENDING.value)
        .values(due_at=due_at)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def counts_by_template(session: Session) -> dict[str, dict[str, int]]:
    """``{template: {status: count}}`` over the whole outbox."""
    rows = session.execute(
        select(Notification.template, Notification.status, func.count()).group_by(
            Notification.template, Notification.status
        )
    )
    counts: dict[str, dict[str, int]] = {}
    for template, status, count in rows:
        counts.setdefault(template, {})[status] = count
    return counts


def waiting_count(session: Session) -> int:
    """E-mails not yet delivered nor given up: pending, or claimed by a dispatcher."""
    return int(session.scalar(select(func.count()).where(Notification.status.in_(WAITING))) or 0)


def exists(session: Session, key: str) -> bool:
    """Whether an e-mail was ever enqueued under ``key`` (in any status)."""
    return session.scalar(select(Notification.id).where(Notification.key == key)) is not None


def next_due(session: Session) -> datetime | None:
    """When the earliest pending e-mail is due; None when nothing waits."""
    return session.scalar(
        select(func.min(Notification.due_at)).where(
            Notification.status == NotificationStatus.PENDING.value
        )
    )


def by_prefix(session: Session, prefix: str) -> dict[str, tuple[str, datetime]]:
    """Status and due time of every e-mail whose key starts with ``prefix``, by key."""
    rows = session.execute(
        select(Notification.key, Notification.status, Notification.due_at).where(
            Notification.key.startswith(prefix, autoescape=True)
        )
    )
    return {key: (status, due_at) for key, status, due_at in rows}

"""Invitations: one token link per e-mail, found again only through the token's hash."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.invitations.tokens import hash_token, looks_like_token, new_token
from rvg.models import Cohort, Contact, Invitation, InvitationPurpose, Organisation

SECRET_PREFIX = "secret_"  # noqa: S105 (a context key prefix, not a password)


def create_signup_invitation(
    cohort: Cohort,
    organisation: Organisation,
    contact: Contact | None,
    *,
    session: Session,
    expires_at: datetime,
) -> tuple[Invitation, str]:
    """A new invitation and its token; the token itself is never stored."""
    token = new_token()
    invitation = Invitation(
        purpose=InvitationPurpose.SIGNUP.value,
        cohort_id=cohort.id,
        organisation_id=organisation.id,
        contact_id=contact.id if contact else None,
        token_hash=hash_token(token),
        expires_at=expires_at,
    )
    session.add(invitation)
    session.flush()
    return invitation, token


def find_invitation(
    token: str, purpose: str, *, session: Session, now: datetime, lock: bool = False
) -> Invitation | None:
    """The live invitation for ``token``, or None when unknown, expired or of another kind.
    ``lock`` holds its row until the transaction ends, so two saves through the same link
    take turns (PostgreSQL; SQLite locks the whole database for a writer anyway)."""
    if not looks_like_token(token):
        return None
    query = select(Invitation).where(Invitation.token_hash == hash_token(token))
    invitation = session.scalar(query.with_for_update() if lock else query)
    if invitation is None or invitation.purpose != purpose or invitation.expires_at <= now:
        return None
    return invitation


def revoke_links(contexts: Iterable[Mapping[str, Any]], *, session: Session) -> int:
    """Make the token links in e-mails that will never be sent (``secret_*`` values) useless:
    each such invitation gets the hash of a fresh token nobody has, so the link in the
    outbox row opens nothing and a later reminder's rotation still gives a working one.
    Returns how many invitations were changed."""
    hashes = {
        hash_token(token)
        for context in contexts
        for key, value in context.items()
        if key.startswith(SECRET_PREFIX) and isinstance(value, str)
        for token in (value.rstrip("/").rsplit("/", 1)[-1],)
        if looks_like_token(token)
    }
    if not hashes:
        return 0
    invitations = session.scalars(select(Invitation).where(Invitation.token_hash.in_(hashes)))
    changed = 0
    for invitation in invitations:
        invitation.token_hash = hash_token(new_token())
        changed += 1
    session.flush()
    return changed

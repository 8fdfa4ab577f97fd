"""Invitations: one token link per e-mail, found again only through the token's hash."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.invitations.tokens import hash_token, looks_like_token, new_token
from rvg.models import (
    Cohort,
    Contact,
    Invitation,
    InvitationLink,
    InvitationPurpose,
    Organisation,
)

SECRET_PREFIX = "secret_"  # noqa: S105 (a context key prefix, not a password)


def create_organisation_invitation(
    cohort: Cohort,
    organisation: Organisation,
    contact: Contact | None,
    *,
    session: Session,
    expires_at: datetime,
    purpose: InvitationPurpose = InvitationPurpose.SIGNUP,
) -> Invitation:
    """A new invitation to an organisation's form (its sign-up, its information page); its
    links are made when e-mails about it are sent (``issue_link``)."""
    invitation = Invitation(
        purpose=purpose.value,
        cohort_id=cohort.id,
        organisation_id=organisation.id,
        contact_id=contact.id if contact else None,
        expires_at=expires_at,
    )
    session.add(invitation)
    session.flush()
    return invitation


def issue_link(invitation_id: int, *, session: Session) -> tuple[Invitation, str] | None:
    """A new token for the invitation, its hash stored as one more link (earlier links keep
    working); None when the invitation is gone. The token itself is never stored."""
    invitation = session.get(Invitation, invitation_id)
    if invitation is None:
        return None
    token = new_token()
    add_link(invitation, hash_token(token), session=session)
    return invitation, token


def add_link(invitation: Invitation, token_hash: str, *, session: Session) -> None:
    session.add(InvitationLink(invitation_id=invitation.id, token_hash=token_hash))
    session.flush()


def invitation_by_hash(
    token_hash: str, *, session: Session, lock: bool = False
) -> Invitation | None:
    query = (
        select(Invitation)
        .join(InvitationLink, InvitationLink.invitation_id == Invitation.id)
        .where(InvitationLink.token_hash == token_hash)
    )
    return session.scalar(query.with_for_update(of=Invitation) if lock else query)


def find_invitation(
    token: str, purpose: str, *, session: Session, now: datetime, lock: bool = False
) -> Invitation | None:
    """The live invitation for ``token``, or None when unknown, expired or of another kind.
    ``lock`` holds its row until the transaction ends, so two saves through the same
    invitation take turns (PostgreSQL; SQLite locks the whole database for a writer anyway)."""
    if not looks_like_token(token):
        return None
    invitation = invitation_by_hash(hash_token(token), session=session, lock=lock)
    if invitation is None or invitation.purpose != purpose or invitation.expires_at <= now:
        return None
    return invitation


def revoke_links(contexts: Iterable[Mapping[str, Any]], *, session: Session) -> int:
    """Make the token links in e-mails that will never be sent useless. Only e-mails queued
    before links were made at sending carry one (a ``secret_*`` URL in their context): the link
    with that token's hash is removed, so it opens nothing. Returns how many were removed."""
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
    links = list(
        session.scalars(select(InvitationLink).where(InvitationLink.token_hash.in_(hashes)))
    )
    for link in links:
        session.delete(link)
    session.flush()
    return len(links)

"""Tombstones: an erased applicant stays erased when an old agency export is imported again.

When retention anonymises an applicant it leaves a ``Tombstone`` with the erasure date and two
keyed hashes (HMAC-SHA256): of the cohort with the agency's reference, and of the cohort with
the normalised e-mail address. Every applicant import refuses a row that matches either. A
tombstone holds no personal data: without the key the hashes cannot be tested against a list
of addresses. The same person may apply to a later cohort, because the cohort is in the hash.

The key is ``RVG_ERASURE_KEY``; without it a random key is created once in
``<data_dir>/erasure.key`` (readable by its owner only). Every machine that imports or erases
must use the same key: each tombstone records which key made it (``key_id``), and a different
key is refused with a clear message instead of silently letting erased applicants back in.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.errors import UserError
from rvg.models import Applicant, Tombstone
from rvg.notifications.addresses import normalise_address
from rvg.settings import Settings, load_settings

KEY_FILE = "erasure.key"


@dataclass(frozen=True)
class ErasureKey:
    secret: bytes

    @property
    def id(self) -> str:
        """A short fingerprint naming the key (not revealing it)."""
        return self._digest("rvg-tombstone-key")[:16]

    def ref_digest(self, cohort_code: str, ref: str) -> str:
        return self._digest(f"ref\x00{cohort_code}\x00{ref.strip()}")

    def email_digest(self, cohort_code: str, email: str) -> str:
        return self._digest(f"email\x00{cohort_code}\x00{normalise_address(email).casefold()}")

    def _digest(self, text: str) -> str:
        return hmac.new(self.secret, text.encode(), hashlib.sha256).hexdigest()


def erasure_key(settings: Settings | None = None) -> ErasureKey:
    """The configured key, or the one in the data folder (created on first use)."""
    settings = settings or load_settings()
    if settings.erasure_key is not None:
        secret = settings.erasure_key.get_secret_value().encode()
        if len(secret) < 32:
            raise UserError("RVG_ERASURE_KEY: use at least 32 characters (e.g. 64 hex digits)")
        return ErasureKey(secret)
    return ErasureKey(_key_file(settings.data_dir / KEY_FILE))


def _key_file(path: Path) -> bytes:
    try:
        return bytes.fromhex(path.read_text().strip())
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as exc:
        raise UserError(
            f"{path}: not a readable erasure key ({exc}); set RVG_ERASURE_KEY"
        ) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(32)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return bytes.fromhex(path.read_text().strip())
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secret.hex() + "\n")
    return secret


def check_key(key: ErasureKey, session: Session) -> None:
    """Refuse to work with a key other than the one the stored tombstones were made with."""
    others = session.scalars(
        select(Tombstone.key_id).where(Tombstone.key_id != key.id).distinct()
    ).all()
    if others:
        raise UserError(
            f"the erasure key (id {key.id}) is not the one the tombstones were made with "
            f"(id {', '.join(others)}): set RVG_ERASURE_KEY to that key on this machine, "
            "or erased applicants could be imported again"
        )


def bury(applicant: Applicant, cohort_code: str, key: ErasureKey, on: date) -> Tombstone:
    """The tombstone of ``applicant``; call it before the personal data is dropped."""
    email = applicant.email
    return Tombstone(
        cohort_id=applicant.cohort_id,
        ref_digest=key.ref_digest(cohort_code, applicant.applicant_ref),
        email_digest=key.email_digest(cohort_code, email) if email else None,
        key_id=key.id,
        erased_on=on,
    )


class Graveyard:
    """The tombstones of one cohort, loaded once for an import."""

    def __init__(self, session: Session, cohort_id: int, cohort_code: str) -> None:
        self.key = erasure_key()
        check_key(self.key, session)
        self.cohort_code = cohort_code
        self.by_ref: dict[str, date] = {}
        self.by_email: dict[str, date] = {}
        rows = session.execute(
            select(Tombstone.ref_digest, Tombstone.email_digest, Tombstone.erased_on).where(
                Tombstone.cohort_id == cohort_id
            )
        )
        for ref_digest, email_digest, erased_on in rows:
            self.by_ref[ref_digest] = erased_on
            if email_digest:
                self.by_email[email_digest] = erased_on

    def erased_on(self, ref: str, email: str) -> date | None:
        """When the applicant with this reference or address was erased; None if never."""
        if not self.by_ref and not self.by_email:
            return None
        found = self.by_ref.get(self.key.ref_digest(self.cohort_code, ref))
        if found is None and email:
            found = self.by_email.get(self.key.email_digest(self.cohort_code, email))
        return found

"""Organisations and tracks: idempotent loading from config and look-ups."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rvg.config import OrganisationRow, TrackConfig
from rvg.models import Contact, ContactRoleAssignment, Organisation, Track
from rvg.tally import Tally


def sync_tracks(tracks: Iterable[TrackConfig], *, session: Session) -> Tally:
    tally = Tally()
    existing = {track.code: track for track in session.scalars(select(Track))}
    for config in tracks:
        track = existing.get(config.code)
        if track is None:
            session.add(Track(code=config.code, name=config.name))
            tally.count("imported")
        elif track.name != config.name:
            track.name = config.name
            tally.count("updated")
        else:
            tally.count("unchanged")
    session.flush()
    return tally


def sync_organisations(rows: Iterable[OrganisationRow], *, session: Session) -> Tally:
    """Insert new organisations and update changed ones, matched by code; never deletes."""
    tally = Tally()
    existing = {org.code: org for org in session.scalars(select(Organisation))}
    for row in rows:
        org = existing.get(row.code)
        if org is None:
            session.add(
                Organisation(code=row.code, name=row.name, kind=row.kind, region=row.region)
            )
            tally.count("imported")
            continue
        changes = {"name": row.name, "kind": row.kind.value, "region": row.region}
        if any(getattr(org, field) != value for field, value in changes.items()):
            for field, value in changes.items():
                setattr(org, field, value)
            tally.count("updated")
        else:
            tally.count("unchanged")
    session.flush()
    return tally


def find_organisation(code_or_name: str, *, session: Session) -> Organisation | None:
    """An organisation by code or by name, ignoring case (in Python: SQLite folds ASCII only)."""
    wanted = code_or_name.strip().casefold()
    for org in session.scalars(select(Organisation)):
        if wanted in (org.code.casefold(), org.name.casefold()):
            return org
    return None


def track_names(*, session: Session) -> dict[str, str]:
    """Each track's name by its code (``ro`` -> ``Ruimtelijke Ordening``)."""
    return dict(session.execute(select(Track.code, Track.name)).all())


def contacts_with_role(organisation_code: str, role: str, *, session: Session) -> list[Contact]:
    """The contacts of an organisation that have ``role`` (e.g. ``procurement``)."""
    return list(
        session.scalars(
            select(Contact)
            .join(Organisation)
            .join(ContactRoleAssignment)
            .where(Organisation.code == organisation_code, ContactRoleAssignment.role == role)
            .order_by(Contact.id)
        )
    )


def list_organisations(*, session: Session, active_only: bool = True) -> list[Organisation]:
    query = select(Organisation).order_by(Organisation.region, Organisation.name)
    if active_only:
        query = query.where(Organisation.active.is_(True))
    return list(session.scalars(query))


def count_by_region_and_kind(*, session: Session) -> dict[tuple[str, str], int]:
    rows = session.execute(
        select(Organisation.region, Organisation.kind, func.count()).group_by(
            Organisation.region, Organisation.kind
        )
    )
    return {(region, kind): count for region, kind, count in rows}

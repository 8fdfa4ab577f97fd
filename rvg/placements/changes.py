"""Changes to a placement during the year: its buddy and manager, and a drop-out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg import clock
from rvg.dutch import short_date
from rvg.errors import NotFound, UserError
from rvg.models import (
    Applicant,
    Cohort,
    Contact,
    ContactRole,
    Organisation,
    Placement,
    PlacementStatus,
)
from rvg.notifications import cancel, enqueue, enqueue_to_role
from rvg.repositories.organisations import contacts_with_role
from rvg.unit import unit

TRAINING_PREFIX = "training:{cohort}:{placement}:"


def placement_of(cohort: Cohort, participant_ref: str, *, session: Session) -> Placement:
    placement = session.scalar(
        select(Placement)
        .join(Applicant, Placement.applicant_id == Applicant.id)
        .where(Placement.cohort_id == cohort.id, Applicant.applicant_ref == participant_ref)
    )
    if placement is None:
        raise NotFound(f"no placement for participant {participant_ref!r} in cohort {cohort.code}")
    return placement


def _contact(organisation: Organisation, email: str, role: str, *, session: Session) -> Contact:
    wanted = email.strip().casefold()
    for contact in contacts_with_role(organisation.code, role, session=session):
        if contact.email.casefold() == wanted:
            return contact
    raise UserError(
        f"{email!r} is not a {role} contact of {organisation.name}; import it first "
        f"(rvg import contacts, role {role})"
    )


def assign_guides(
    cohort: Cohort, participant_ref: str, *, buddy: str, manager: str, session: Session
) -> Placement:
    """Link the buddy and the manager (contacts of the placement's organisation)."""
    placement = placement_of(cohort, participant_ref, session=session)
    organisation = session.get_one(Organisation, placement.organisation_id)
    placement.buddy_contact_id = _contact(
        organisation, buddy, ContactRole.BUDDY.value, session=session
    ).id
    placement.manager_contact_id = _contact(
        organisation, manager, ContactRole.MANAGER.value, session=session
    ).id
    if placement.status == PlacementStatus.PLANNED.value:
        placement.status = PlacementStatus.ACTIVE.value
    session.flush()
    return placement


@dataclass(frozen=True)
class DropOut:
    placement_id: int
    cancelled: int
    team_told: int
    replacement_asked: bool


def drop_out(
    cohort: Cohort,
    participant_ref: str,
    *,
    on: date,
    reason: str,
    session: Session,
    at: datetime,
    team_organisation: str,
    agency_email: str | None,
) -> DropOut:
    """Close the placement, cancel its pending reminders (participant, buddy and manager of this
    placement only), tell the project team, and ask the agency for a replacement if wanted;
    the e-mails go at ``at``."""
    reason = reason.strip()
    if not reason:
        raise UserError("give the reason of the drop-out")
    placement = placement_of(cohort, participant_ref, session=session)
    if placement.status == PlacementStatus.DROPPED_OUT.value:
        raise UserError(f"{participant_ref} already dropped out on {placement.ended_on}")
    if on < placement.starts_on:
        raise UserError(f"the drop-out date {on} lies before the start {placement.starts_on}")
    placement.status, placement.ended_on = PlacementStatus.DROPPED_OUT.value, on
    placement.drop_out_reason = reason
    cancelled = cancel(
        session, key_prefix=TRAINING_PREFIX.format(cohort=cohort.code, placement=placement.id)
    )
    organisation = session.get_one(Organisation, placement.organisation_id)
    context = {
        "cohort_name": cohort.name,
        "participant": participant_ref,
        "organisation": organisation.name,
        "date": short_date(on),
        "reason": reason,
        "cancelled": cancelled,
    }
    team = enqueue_to_role(
        session,
        organisation=team_organisation,
        role=ContactRole.PROJECT_TEAM,
        key=f"dropout:{cohort.code}:{placement.id}:team",
        template="dropout_team",
        cohort=cohort,
        due_at=at,
        context=context,
    )
    if agency_email:
        enqueue(
            session,
            key=f"dropout:{cohort.code}:{placement.id}:replacement",
            to=agency_email,
            template="replacement_request",
            cohort=cohort,
            due_at=at,
            context={key: context[key] for key in ("cohort_name", "organisation", "date")},
        )
    session.flush()
    return DropOut(placement.id, cancelled, len(team), bool(agency_email))


def record_drop_out(
    cohort_code: str, participant_ref: str, on: date, reason: str, *, ask_replacement: bool
) -> DropOut:
    """``drop_out`` in its own transaction, with the programme's team and agency from config."""
    with unit(cohort_code) as u:
        programme = u.config.programme
        return drop_out(
            u.cohort,
            participant_ref,
            on=on,
            reason=reason,
            session=u.session,
            at=u.send_at(clock.now(tz=u.settings.zone)),
            team_organisation=programme.programme_organisation,
            agency_email=programme.agency_email if ask_replacement else None,
        )


def record_outcome(
    cohort: Cohort,
    participant_ref: str,
    *,
    session: Session,
    permanent_appointment: bool | None = None,
    permanent_on: date | None = None,
    public_12m: bool | None = None,
    public_24m: bool | None = None,
) -> Placement:
    """What became of a placement after the year: a permanent job, still in public service."""
    placement = placement_of(cohort, participant_ref, session=session)
    if permanent_appointment is not None:
        placement.permanent_appointment = permanent_appointment
        placement.permanent_appointment_on = permanent_on if permanent_appointment else None
    if public_12m is not None:
        placement.working_in_public_sector_12m = public_12m
    if public_24m is not None:
        placement.working_in_public_sector_24m = public_24m
    if placement.status in (PlacementStatus.PLANNED.value, PlacementStatus.ACTIVE.value) and (
        permanent_appointment is not None or public_12m is not None
    ):
        placement.status = PlacementStatus.COMPLETED.value
    session.flush()
    return placement

"""From preferences to placements: the matching market of a cohort, per track, and its result."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rvg.models import (
    Applicant,
    CandidatePreference,
    Cohort,
    Organisation,
    OrganisationPreference,
    Placement,
    PlacementStatus,
    Stage,
    StageChange,
)
from rvg.repositories.commitments import committed_vacancies


@dataclass(frozen=True)
class Market:
    """One track's matching market: string ids (applicant refs, organisation codes) only."""

    track: str
    candidate_prefs: dict[str, list[str]]
    organisation_prefs: dict[str, list[str]]
    capacities: dict[str, int]


def markets(cohort: Cohort, *, session: Session) -> list[Market]:
    """Candidates rank organisations within their own track; capacities are the vacancies
    the organisations committed for that track."""
    refs = {a.id: (a.applicant_ref, a.track_code) for a in _applicants(cohort, session=session)}
    codes = {o.id: o.code for o in session.scalars(select(Organisation))}
    capacities: dict[str, dict[str, int]] = defaultdict(dict)
    for code, per_track in committed_vacancies(cohort, session=session).items():
        for track, vacancies in per_track.items():
            capacities[track][code] = vacancies
    candidate_prefs: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for pref in session.scalars(
        select(CandidatePreference)
        .where(CandidatePreference.cohort_id == cohort.id)
        .order_by(CandidatePreference.applicant_id, CandidatePreference.rank)
    ):
        if pref.applicant_id in refs:
            ref, track = refs[pref.applicant_id]
            candidate_prefs[track].setdefault(ref, []).append(codes[pref.organisation_id])
    organisation_prefs: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for opref in session.scalars(
        select(OrganisationPreference)
        .where(OrganisationPreference.cohort_id == cohort.id)
        .order_by(OrganisationPreference.organisation_id, OrganisationPreference.rank)
    ):
        if opref.applicant_id in refs:
            ref, track = refs[opref.applicant_id]
            organisation_prefs[track].setdefault(codes[opref.organisation_id], []).append(ref)
    tracks = sorted(set(capacities) | set(candidate_prefs))
    return [
        Market(track, candidate_prefs[track], organisation_prefs[track], capacities[track])
        for track in tracks
    ]


def _applicants(cohort: Cohort, *, session: Session) -> list[Applicant]:
    """Applicants still in the procedure (not rejected, withdrawn or anonymised)."""
    return list(
        session.scalars(
            select(Applicant).where(
                Applicant.cohort_id == cohort.id,
                Applicant.anonymised_at.is_(None),
                Applicant.stage.not_in([Stage.REJECTED.value, Stage.WITHDRAWN.value]),
            )
        )
    )


def has_placements(cohort: Cohort, *, session: Session) -> bool:
    return (
        session.scalar(select(Placement.id).where(Placement.cohort_id == cohort.id).limit(1))
        is not None
    )


def create_placements(
    cohort: Cohort,
    matches: dict[str, dict[str, str | None]],
    *,
    session: Session,
    starts_on: date,
    matched_on: date,
) -> list[Placement]:
    """A placement per matched candidate (once), and the candidate's stage set to ``matched``
    on ``matched_on`` (the local day of the approval: a UTC moment's date would be the day
    before for an approval made after midnight in Amsterdam)."""
    orgs = {o.code: o for o in session.scalars(select(Organisation))}
    applicants = {a.applicant_ref: a for a in _applicants(cohort, session=session)}
    existing = set(
        session.scalars(select(Placement.applicant_id).where(Placement.cohort_id == cohort.id))
    )
    created = []
    # In a defined order, so the placements' ids (in outbox keys, in reports) do not depend
    # on how the database stored the matches: PostgreSQL's JSONB keeps no key order.
    for track, pairs in sorted(matches.items()):
        for ref, code in sorted(pairs.items()):
            applicant = applicants.get(ref)
            if code is None or applicant is None or applicant.id in existing:
                continue
            placement = Placement(
                cohort_id=cohort.id,
                applicant_id=applicant.id,
                organisation_id=orgs[code].id,
                track_code=track,
                starts_on=starts_on,
            )
            session.add(placement)
            created.append(placement)
            if applicant.stage != Stage.MATCHED.value:
                applicant.stage, applicant.stage_date = Stage.MATCHED.value, matched_on
                applicant.stage_history.append(
                    StageChange(stage=Stage.MATCHED.value, entered_on=matched_on)
                )
    session.flush()
    return created


def start_placements(cohort: Cohort, as_of: date, *, session: Session) -> int:
    """Matched candidates whose placement has started are ``placed`` from its start day; the
    number that became placed now (none on a second run)."""
    started = session.execute(
        select(Applicant, Placement.starts_on)
        .join(Placement, Placement.applicant_id == Applicant.id)
        .where(
            Placement.cohort_id == cohort.id,
            Placement.starts_on <= as_of,
            Placement.status.in_([PlacementStatus.PLANNED.value, PlacementStatus.ACTIVE.value]),
            Applicant.stage == Stage.MATCHED.value,
        )
        .options(selectinload(Applicant.stage_history))
    ).all()
    for applicant, starts_on in started:
        applicant.stage, applicant.stage_date = Stage.PLACED.value, starts_on
        applicant.stage_history.append(StageChange(stage=Stage.PLACED.value, entered_on=starts_on))
    session.flush()
    return len(started)

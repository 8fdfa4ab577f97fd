"""Cohorts: idempotent creation from a cohort file, look-ups and phase bookkeeping."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rvg.config import CohortConfig, ProgrammeConfig
from rvg.config.cohort import OutcomeFigure
from rvg.errors import NotFound, UserError
from rvg.models import (
    Cohort,
    CohortMilestone,
    CohortOutcome,
    CohortTrack,
    Decision,
    Measure,
    PhaseTick,
)
from rvg.phases import Phase

Outcome = Literal["imported", "updated", "unchanged"]


def find_cohort(code: str, *, session: Session) -> Cohort | None:
    return session.scalar(
        select(Cohort)
        .where(Cohort.code == code)
        .options(
            selectinload(Cohort.tracks),
            selectinload(Cohort.milestones),
            selectinload(Cohort.outcomes),
        )
    )


def get_cohort(code: str, *, session: Session) -> Cohort:
    cohort = find_cohort(code, session=session)
    if cohort is None:
        raise NotFound(
            f"unknown cohort {code!r}; create it with `rvg cohort create {code} --config FILE`"
        )
    return cohort


def live_cohort(code: str, *, session: Session) -> Cohort:
    """The cohort, refused when it is a past cohort recorded as history (no phase runs for it)."""
    cohort = get_cohort(code, session=session)
    if cohort.historical:
        raise UserError(f"cohort {code} is a past cohort recorded as history; no phase runs for it")
    return cohort


def list_cohorts(*, session: Session, historical: bool | None = None) -> list[Cohort]:
    """Every cohort by code; ``historical`` False (True) keeps only the live (past) ones."""
    query = select(Cohort).order_by(Cohort.code).options(selectinload(Cohort.milestones))
    if historical is not None:
        query = query.where(Cohort.historical.is_(historical))
    return list(session.scalars(query))


def unfinished_cohorts(*, session: Session) -> list[Cohort]:
    """The live cohorts whose cycle is not over (their redesign not yet accepted), by code:
    the ones the daily tick looks at."""
    finished = set(
        session.scalars(
            select(Decision.cohort_id).where(
                Decision.kind == PHASE_COMPLETED, Decision.phase == Phase.REDESIGN.value
            )
        )
    )
    return [c for c in list_cohorts(session=session, historical=False) if c.id not in finished]


# An ongoing cohort (created with some key dates past) runs from this day on: what was due
# before it is not run after the fact (``rvg.cycle.plan_cycle``).
LIVE_FROM = "live_from"


def _desired_state(
    config: CohortConfig, programme: ProgrammeConfig, historical: bool, kept: dict[str, Any]
) -> dict[str, Any]:
    return {
        "historical": historical,
        "name": config.name,
        "region": programme.region,
        "min_organisations": config.min_organisations or programme.min_organisations,
        "target_participants_min": config.target.min,
        "target_participants_max": config.target.max,
        "parameters": {**kept, "organisations": config.organisations},
    }


def upsert_cohort(
    config: CohortConfig,
    programme: ProgrammeConfig,
    *,
    session: Session,
    historical: bool = False,
) -> tuple[Cohort, Outcome]:
    """Create the cohort or bring it in line with its file; loading it again changes nothing."""
    cohort = find_cohort(config.code, session=session)
    kept = (
        {LIVE_FROM: cohort.parameters[LIVE_FROM]}
        if cohort and LIVE_FROM in cohort.parameters
        else {}
    )
    state = _desired_state(config, programme, historical, kept)
    outcome: Outcome = "unchanged"
    if cohort is None:
        cohort = Cohort(code=config.code, **state)
        session.add(cohort)
        outcome = "imported"
    elif any(getattr(cohort, field) != value for field, value in state.items()):
        for field, value in state.items():
            setattr(cohort, field, value)
        outcome = "updated"

    synced = (
        _sync_tracks(cohort, config.tracks)
        | _sync_milestones(cohort, config.key_dates)
        | _sync_outcomes(cohort, config.outcomes)
    )
    if synced:
        outcome = "updated" if outcome == "unchanged" else outcome
    session.flush()
    return cohort, outcome


def _sync_tracks(cohort: Cohort, codes: list[str]) -> bool:
    current = {track.track_code for track in cohort.tracks}
    if current == set(codes):
        return False
    cohort.tracks[:] = [t for t in cohort.tracks if t.track_code in codes]
    cohort.tracks.extend(CohortTrack(track_code=code) for code in codes if code not in current)
    return True


def _sync_milestones(cohort: Cohort, dates: dict[str, date]) -> bool:
    current = {m.name: m for m in cohort.milestones}
    changed = False
    for name, on in dates.items():
        milestone = current.get(name)
        if milestone is None:
            cohort.milestones.append(CohortMilestone(name=name, on=on))
            changed = True
        elif milestone.on != on:
            milestone.on = on
            changed = True
    for name, milestone in current.items():
        if name not in dates:
            cohort.milestones.remove(milestone)
            changed = True
    return changed


def _sync_outcomes(cohort: Cohort, figures: dict[Measure, OutcomeFigure]) -> bool:
    current = {o.measure: o for o in cohort.outcomes}
    changed = False
    for measure, figure in figures.items():
        values = {"value": figure.value, "source": figure.source, "derived": figure.derived}
        stored = current.get(measure.value)
        if stored is None:
            cohort.outcomes.append(CohortOutcome(measure=measure.value, **values))
            changed = True
        elif any(getattr(stored, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(stored, key, value)
            changed = True
    wanted = {measure.value for measure in figures}
    for name, stored in current.items():
        if name not in wanted:
            cohort.outcomes.remove(stored)
            changed = True
    return changed


PHASE_COMPLETED = "phase_completed"


def mark_phase_completed(cohort: Cohort, phase: Phase, *, session: Session, at: datetime) -> bool:
    """Record that ``phase`` is done; False when it was already done. What runs next follows
    from the phases done (``rvg.cycle.phase_states``)."""
    done = session.scalar(
        select(Decision.id).where(
            Decision.cohort_id == cohort.id,
            Decision.kind == PHASE_COMPLETED,
            Decision.phase == phase.value,
        )
    )
    if done is not None:
        return False
    session.add(
        Decision(
            cohort_id=cohort.id,
            phase=phase.value,
            kind=PHASE_COMPLETED,
            outcome="completed",
            decided_by="system",
            decided_at=at,
            payload={},
        )
    )
    session.flush()
    return True


def phase_ticks(cohorts: Sequence[Cohort], *, session: Session) -> dict[str, dict[Phase, date]]:
    """The last day the daily tick started each phase of ``cohorts``, by cohort code."""
    codes = {c.id: c.code for c in cohorts}
    ticks: dict[str, dict[Phase, date]] = {code: {} for code in codes.values()}
    rows = session.scalars(select(PhaseTick).where(PhaseTick.cohort_id.in_(codes)))
    for tick in rows:
        ticks[codes[tick.cohort_id]][Phase(tick.phase)] = tick.last_day
    return ticks


def record_ticks(started: Iterable[tuple[Cohort, Phase]], day: date, *, session: Session) -> None:
    """Record that the daily tick of ``day`` started these phases (a later day is kept)."""
    for cohort, phase in started:
        tick = session.get(PhaseTick, (cohort.id, phase.value))
        if tick is None:
            session.add(PhaseTick(cohort_id=cohort.id, phase=phase.value, last_day=day))
        elif tick.last_day < day:
            tick.last_day = day
    session.flush()

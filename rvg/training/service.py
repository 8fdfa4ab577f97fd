"""The training year of a cohort in the database: plan and store the sessions, write calendars."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg import clock
from rvg.calendar import Organizer
from rvg.dutch import short_date
from rvg.inputs import file_slug
from rvg.models import Applicant, Cohort, Placement, PlacementStatus
from rvg.repositories.training import StoredSchedule, session_key, sessions_of, store_schedule
from rvg.training.calendars import CALENDAR_TITLES, for_audience, sessions_ics
from rvg.training.config import TrainingRules
from rvg.training.schedule import PlannedSession, generate_schedule
from rvg.unit import Unit


def plan_and_store(
    cohort: Cohort,
    rules: TrainingRules,
    *,
    session: Session,
    zone: ZoneInfo,
    as_of: date | None = None,
) -> StoredSchedule:
    """Generate the year from the rules and store it; re-running changes only what moved.
    With ``as_of``, the sessions before that day have been held and stay as they were."""
    start = cohort.milestone("training_start")
    if start is None:
        raise ValueError(f"cohort {cohort.code} has no training_start date")
    held_before = datetime.combine(as_of, time.min, tzinfo=zone) if as_of else None
    planned = generate_schedule(start, rules, zone=zone)
    return store_schedule(cohort, planned, session=session, held_before=held_before)


def stored_sessions(cohort: Cohort, *, session: Session) -> list[tuple[PlannedSession, int]]:
    """The stored sessions as planned sessions with their SEQUENCE, by start."""
    return [
        (
            PlannedSession(
                key=session_key(cohort, row),
                session_type=row.session_type,
                title=row.title,
                audience=row.audience,
                location=row.location or "",
                starts_at=row.starts_at,
                ends_at=row.ends_at,
            ),
            row.sequence,
        )
        for row in sessions_of(cohort, session=session)
    ]


def write_calendars(
    cohort: Cohort,
    sessions: list[tuple[PlannedSession, int]],
    folder: Path,
    *,
    session: Session,
    organizer: Organizer,
    stamp: datetime,
) -> list[Path]:
    """programme.ics; with placements also one file per participant and one for buddies and
    managers. Participants' files are named by applicant reference, not by name; the file of
    someone no longer taking part (a drop-out) is removed."""
    folder.mkdir(parents=True, exist_ok=True)
    sequence = {item.key: seq for item, seq in sessions}
    planned = [item for item, _ in sessions]

    def render(items: list[PlannedSession], title: str) -> bytes:
        items_with_sequence = [(i, sequence[i.key]) for i in items]
        return sessions_ics(
            cohort.code, items_with_sequence, title, organizer=organizer, stamp=stamp
        )

    def write(name: str, ics: bytes) -> Path:
        path = folder / name
        path.write_bytes(ics)
        return path

    paths = [write("programme.ics", render(planned, f"Ruimte voor Groei {cohort.name}"))]
    refs = session.scalars(
        select(Applicant.applicant_ref)
        .join(Placement, Placement.applicant_id == Applicant.id)
        .where(
            Placement.cohort_id == cohort.id,
            Placement.status != PlacementStatus.DROPPED_OUT.value,
        )
        .order_by(Applicant.applicant_ref)
    ).all()
    if refs:
        # every participant's year is the same: rendered once, one file each
        mine = render(
            for_audience(planned, "participant"),
            CALENDAR_TITLES["participant"].format(cohort=cohort.name),
        )
        paths += [write(f"deelnemer-{file_slug(ref)}.ics", mine) for ref in refs]
        paths.append(
            write(
                "buddies-leidinggevenden.ics",
                render(
                    for_audience(planned, "buddy_manager"),
                    CALENDAR_TITLES["buddy_manager"].format(cohort=cohort.name),
                ),
            )
        )
    for stale in set(folder.glob("deelnemer-*.ics")) - set(paths):
        stale.unlink()
    return paths


class TrainingSummary(BaseModel):
    """What a run of the training-year flow did, as the flow returns it."""

    cohort: str
    as_of: date
    sessions: int
    moved: int
    reminders_enqueued: int
    reminders_moved: int
    reminders_cancelled: int
    progress_percent: float
    year_over: bool


@dataclass(frozen=True)
class YearProgress:
    percent: float  # of the twelve months from the start, 0 to 100
    over: bool
    coming: list[dict[str, str]]  # the sessions of the coming days, a row each, in Dutch


def year_progress(u: Unit, day: date, *, coming_days: int) -> YearProgress:
    """How far the cohort's training year is on ``day``, and its sessions in the coming days."""
    start = u.cohort.milestone("training_start")
    if start is None:
        raise ValueError(f"cohort {u.cohort.code} has no training_start date")
    zone = u.settings.zone
    end = start + relativedelta(months=12)
    percent = min(max((day - start).days / (end - start).days, 0.0), 1.0) * 100
    soon = clock.start_of_day(day, zone)
    coming = [
        {
            "datum": short_date(s.starts_at.astimezone(zone)),
            "tijd": f"{s.starts_at.astimezone(zone):%H:%M}-{s.ends_at.astimezone(zone):%H:%M}",
            "onderdeel": s.title,
            "soort": s.session_type,
            "voor": s.audience,
            "locatie": s.location,
        }
        for s, _ in stored_sessions(u.cohort, session=u.session)
        if soon <= s.starts_at < soon + timedelta(days=coming_days)
    ]
    return YearProgress(percent, day > end, coming)

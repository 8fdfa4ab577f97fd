"""Phase 6: the training year — the programme, and reminders that keep everyone on it."""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows._tags import tagged
from rvg import clock
from rvg.phases import Phase
from rvg.training.service import TrainingSummary
from tasks.phases import complete_phase, refuse_unsafe_as_of
from tasks.training import keep_training_year, record_drop_out


@flow(name="training-year", flow_run_name="training-year-{cohort}")
@tagged(Phase.TRAINING_YEAR)
def training_year(cohort: str, as_of: date | None = None, horizon_days: int = 7) -> TrainingSummary:
    """Keep the schedule, enqueue the reminders due in the coming days, show the progress."""
    refuse_unsafe_as_of(Phase.TRAINING_YEAR, as_of)
    day = as_of or clock.today()
    kept = keep_training_year(cohort, day, horizon_days)
    if kept.over:
        complete_phase(cohort, Phase.TRAINING_YEAR, as_of)
    return TrainingSummary(
        cohort=cohort,
        as_of=day,
        sessions=kept.sessions,
        moved=kept.moved,
        reminders_enqueued=kept.enqueued,
        reminders_moved=kept.reminders_moved,
        reminders_cancelled=kept.cancelled,
        progress_percent=round(kept.progress, 1),
        year_over=kept.over,
    )


@flow(name="drop-out", flow_run_name="drop-out-{cohort}-{participant}")
@tagged(Phase.TRAINING_YEAR)
def placement_drop_out(
    cohort: str, participant: str, on: date, reason: str, ask_replacement: bool = False
) -> int:
    """A participant stops: close the placement, cancel reminders, tell the team."""
    return record_drop_out(cohort, participant, on, reason, ask_replacement)

"""Phase 7: survey rounds on schedule, reminders to whoever has not answered, and a report
the steering group can use without exposing anyone."""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows._tags import tagged
from rvg import clock
from rvg.evaluation.service import EvaluationProgress
from rvg.phases import Phase
from tasks.evaluation import publish_evaluation, run_survey_rounds, schedule_coming_rounds
from tasks.phases import complete_phase, refuse_unsafe_as_of
from tasks.redesign import start_interim_redesigns


@flow(name="evaluation", flow_run_name="evaluation-{cohort}")
@tagged(Phase.EVALUATION)
def evaluation(
    cohort: str, as_of: date | None = None, schedule_rounds: bool = True
) -> EvaluationProgress:
    """Open, remind and close the rounds that are due; publish the report when a round closed;
    start the interim redesign due after a closed round.

    ``schedule_rounds``: put the coming rounds on the evaluation deployment's schedule and
    start the interim redesigns as runs of the redesign deployment (off in a dry run of the
    cycle, which runs both itself).
    """
    refuse_unsafe_as_of(Phase.EVALUATION, as_of)
    day = as_of or clock.today()
    progress = run_survey_rounds(cohort, day)
    if schedule_rounds:
        schedule_coming_rounds(progress)
        if progress.interim_redesigns:
            start_interim_redesigns(cohort, progress.interim_redesigns, day)
    if progress.closed_now:
        publish_evaluation(cohort, day)
    if progress.all_closed:
        complete_phase(cohort, Phase.EVALUATION, as_of)
    return progress

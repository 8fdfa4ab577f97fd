"""Phase 4: the agency recruits and selects; the team watches the funnel and invites to the
meet & greet."""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows._tags import tagged
from rvg import clock
from rvg.phases import Phase
from rvg.recruitment.service import FunnelSummary
from tasks.phases import complete_phase, refuse_unsafe_as_of
from tasks.recruitment import keep_recruitment


@flow(name="recruitment", flow_run_name="recruitment-{cohort}")
@tagged(Phase.RECRUITMENT)
def recruitment(cohort: str, as_of: date | None = None) -> FunnelSummary:
    """Publish the funnel and stuck applicants, invite to the meet & greet when it is near."""
    refuse_unsafe_as_of(Phase.RECRUITMENT, as_of)
    day = as_of or clock.today()
    summary, done = keep_recruitment(cohort, day)
    if done:
        complete_phase(cohort, Phase.RECRUITMENT, as_of)
    return summary

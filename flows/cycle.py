"""The whole cohort cycle in one run: every phase as a subflow on the days it has work, the
outbox delivered day by day, decisions given as parameters — a dry run of a year."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
from pydantic import BaseModel

from flows.business_case import business_case
from flows.commitments import commitments
from flows.evaluation import evaluation
from flows.matching import matching
from flows.recruitment import recruitment
from flows.redesign import redesign
from flows.retention import retention
from flows.tendering import tendering
from flows.training_year import training_year
from rvg import clock
from rvg.cycle import TRAINING_HORIZON_DAYS, CycleDecisions, CyclePlan
from rvg.demo.simulation import Simulation
from rvg.phases import Phase
from rvg.settings import load_settings
from tasks.cycle import (
    CycleProgress,
    check_mail_is_local,
    count_runs,
    cycle_end,
    cycle_plan,
    outside_world,
)
from tasks.notifications import send_due_notifications

if TYPE_CHECKING:
    from rvg.demo.world import World

END_OF_DAY = time(23, 59)
PHASE_NAMES = tuple(p.cli_name for p in Phase)


class CycleSummary(BaseModel):
    """How the cycle went, as the flow returns it."""

    cohort: str
    first_day: date
    last_day: date
    completed: list[str]
    waiting_on: list[str]
    phase_runs: dict[str, int]
    retention_runs: int = 0
    emails_sent: int
    flow_runs: int
    task_runs: int


def _run_phase(phase: Phase, cohort: str, day: date, decisions: CycleDecisions) -> Any:
    """One phase as a subflow, as of ``day``, with its decision when one was given."""
    if phase is Phase.BUSINESS_CASE:
        return business_case(cohort, day, decision=decisions.business_case)
    if phase is Phase.COMMITMENTS:
        return commitments(cohort, day, decision=decisions.go_no_go)
    if phase is Phase.TENDERING:
        return tendering(cohort, day, decision=decisions.tender_awards)
    if phase is Phase.RECRUITMENT:
        return recruitment(cohort, day)
    if phase is Phase.MATCHING:
        return matching(cohort, day, decision=decisions.match_approval)
    if phase is Phase.TRAINING_YEAR:
        return training_year(cohort, day, horizon_days=TRAINING_HORIZON_DAYS)
    if phase is Phase.EVALUATION:
        return evaluation(cohort, day, schedule_rounds=False)
    return redesign(cohort, day, decision=decisions.redesign)


@dataclass
class _Walk:
    """The cycle's state as it steps through the days."""

    plan: CyclePlan
    last_run: dict[Phase, date] = field(default_factory=dict)
    runs: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PHASE_NAMES, 0))
    sent: int = 0
    erasure_runs: int = 0
    last_erasure: date | None = None


def _walk(cohort: str, decisions: CycleDecisions, until: date | None, world: World | None) -> _Walk:
    """Step from day to day; on each, the outside world, the phases due, then the outbox."""
    logger = get_run_logger()
    zone = load_settings().zone
    walk = _Walk(plan=cycle_plan(cohort))
    progress = CycleProgress(cohort, walk.plan.first_day, cycle_end(cohort))
    day: date | None = walk.plan.first_day
    while day is not None and not walk.plan.finished and (until is None or day <= until):
        if world and day in world.events:
            outside_world(world, day)
            walk.plan = cycle_plan(cohort)
        while due := walk.plan.phases_due(day, walk.last_run):
            logger.info("%s: %s", day, ", ".join(p.cli_name for p in due))
            for phase in due:
                _run_phase(phase, cohort, day, decisions)
                walk.last_run[phase] = day
                walk.runs[phase.cli_name] += 1
            walk.plan = cycle_plan(cohort)
        erasure = walk.plan.erasure_due
        if erasure is not None and erasure <= day and walk.last_erasure != day:
            summary = retention(day)  # daily in production; in the dry run on the days it works
            logger.info("%s: retention %s", day, summary.line())
            walk.erasure_runs, walk.last_erasure = walk.erasure_runs + 1, day
            walk.plan = cycle_plan(cohort)
        _deliver(walk, cohort, day, zone)
        progress.update(day)
        if world:
            world.show_progress(day, progress.fraction(day))
        following = [walk.plan.next_day(day, walk.last_run), world.next_day(day) if world else None]
        day = min((d for d in following if d is not None), default=None)
    if world:
        world.show_progress(max(walk.last_run.values(), default=walk.plan.first_day), 1.0)
    return walk


def _deliver(walk: _Walk, cohort: str, day: date, zone: ZoneInfo) -> None:
    """Send the day's e-mail at the moments it is due (mostly the start of the mail hours), so
    each message is dated when a dispatcher running every few minutes would have sent it. A
    message still waiting at a moment already sent (a retry) goes at the end of the day."""
    end = datetime.combine(day, END_OF_DAY, tzinfo=zone)
    last: datetime | None = None
    while (due := walk.plan.mail_due_at) is not None and due <= end and last != end:
        moment = max(due, datetime.combine(day, time.min, tzinfo=zone))
        moment = moment if last is None or moment > last else end
        walk.sent += send_due_notifications(moment, None, None).summary().sent
        walk.plan, last = cycle_plan(cohort), moment


@flow(name="cohort-cycle", flow_run_name="cycle-{cohort}")
def cohort_cycle(
    cohort: str,
    decisions: CycleDecisions | None = None,
    until: date | None = None,
    simulation: Simulation | None = None,
) -> CycleSummary:
    """Run all phases in order, day by day through the cycle; e-mail goes to a local sink only."""
    logger = get_run_logger()
    check_mail_is_local()
    started = clock.utcnow()
    world = None
    if simulation:
        from rvg.demo.world import World  # Faker and HTTP only for a simulated cycle

        world = World(cohort, simulation, load_settings())
    # The phases run as subflows in this run's own process, which already sends heartbeats;
    # Prefect 3.9 waits up to a second for each subflow's heartbeat thread when it ends.
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        walk = _walk(cohort, decisions or CycleDecisions(), until, world)
    plan = walk.plan
    last_day = max(walk.last_run.values(), default=plan.first_day)
    if plan.finished:
        logger.info("Cycle %s finished on %s: the redesign was accepted", cohort, last_day)
    else:
        logger.warning("Cycle %s stopped; waiting on %s", cohort, ", ".join(plan.waiting_on()))
    flow_runs, task_runs = count_runs(started - timedelta(seconds=1))
    return CycleSummary(
        cohort=cohort,
        first_day=plan.first_day,
        last_day=last_day,
        completed=[p.cli_name for p in plan.completed],
        waiting_on=plan.waiting_on(),
        phase_runs=walk.runs,
        retention_runs=walk.erasure_runs,
        emails_sent=walk.sent,
        flow_runs=flow_runs,
        task_runs=task_runs,
    )

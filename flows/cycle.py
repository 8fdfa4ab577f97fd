"""The whole cohort cycle in one run: every phase as a subflow on the days it has work, the
outbox delivered day by day, decisions given as parameters — a dry run of a year."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from prefect import flow, get_run_logger, tags
from prefect.runtime import flow_run as runtime_flow_run
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
from pydantic import BaseModel

from flows._overview import publish_overview, publish_programme
from flows._tags import phase_tags, tag_this_run
from flows.business_case import business_case
from flows.commitments import commitments
from flows.evaluation import evaluation
from flows.matching import matching
from flows.recruitment import recruitment
from flows.redesign import redesign
from flows.tendering import tendering
from flows.training_year import training_year
from rvg import clock
from rvg.cycle import TRAINING_HORIZON_DAYS, CalendarPlan, CycleDecisions
from rvg.demo.simulation import Simulation
from rvg.errors import UserError
from rvg.phases import Phase, cohort_tag
from rvg.settings import load_settings
from tasks.cycle import (
    CycleProgress,
    calendar_plan,
    check_mail_is_local,
    count_runs,
    cycle_end,
    cycle_key,
    next_cohorts,
    outside_world,
)
from tasks.notifications import deliver_due
from tasks.retention import erase_and_report

if TYPE_CHECKING:
    from rvg.demo.world import World

END_OF_DAY = time(23, 59)
OVERVIEW_EVERY = timedelta(days=7)
PHASE_NAMES = tuple(p.cli_name for p in Phase)


class CohortSummary(BaseModel):
    """How one cohort's cycle went."""

    cohort: str
    first_day: date
    last_day: date
    completed: list[str]
    waiting_on: list[str]
    phase_runs: dict[str, int]


class CycleSummary(BaseModel):
    """How the walk went, as the flow returns it: each cohort's cycle, then what was shared."""

    cohorts: list[CohortSummary]
    retention_runs: int = 0
    emails_sent: int
    flow_runs: int
    task_runs: int


def _run_phase(phase: Phase, cohort: str, day: date, decisions: CycleDecisions) -> Any:
    """One phase as a subflow, as of ``day``, with its decision when one was given; the run
    is created with its cohort's and phase's tags."""
    with tags(*phase_tags(cohort, phase)):
        return _phase_flow(phase, cohort, day, decisions)


def _phase_flow(phase: Phase, cohort: str, day: date, decisions: CycleDecisions) -> Any:
    if phase is Phase.BUSINESS_CASE:
        return business_case(cohort, day, decision=decisions.business_case)
    if phase is Phase.COMMITMENTS:
        return commitments(cohort, day, decision=decisions.go_no_go)
    if phase is Phase.TENDERING:
        return tendering(cohort, day, decision=decisions.awards_for(cohort))
    if phase is Phase.RECRUITMENT:
        return recruitment(cohort, day)
    if phase is Phase.MATCHING:
        return matching(cohort, day, decision=decisions.match_approval)
    if phase is Phase.TRAINING_YEAR:
        return training_year(cohort, day, horizon_days=TRAINING_HORIZON_DAYS)
    if phase is Phase.EVALUATION:
        progress = evaluation(cohort, day, schedule_rounds=False)
        for stage in progress.interim_redesigns:
            redesign(cohort, day, decision=decisions.interim_redesign, stage=stage)
        return progress
    return redesign(cohort, day, decision=decisions.redesign)


@dataclass
class _Walk:
    """The state of the walk as it steps through the days.

    A walk that follows (``follow`` > 0) takes in the next cohort of a cohort it walks once
    that exists (an accepted redesign creates it), up to ``follow`` cohorts. It ends when
    every cohort is finished, except the last one taken in: that one is walked only as long
    as the cohorts before it, as far as a year of the rolling calendar brings it.
    """

    cohorts: list[str]
    follow: int = 0
    followed: list[str] = field(default_factory=list)
    plan: CalendarPlan = field(init=False)
    last_run: dict[str, dict[Phase, date]] = field(default_factory=dict)
    runs: dict[str, dict[str, int]] = field(default_factory=dict)
    sent: int = 0
    erasure_runs: int = 0
    last_erasure: date | None = None
    shown: dict[str, tuple[date, int]] = field(default_factory=dict)  # overview: day, phases done

    def __post_init__(self) -> None:
        for cohort in self.cohorts:
            self._track(cohort)
        self.refresh()

    def _track(self, cohort: str) -> None:
        self.last_run[cohort] = {}
        self.runs[cohort] = dict.fromkeys(PHASE_NAMES, 0)

    def refresh(self) -> None:
        self.plan = calendar_plan(self.cohorts)

    @property
    def done(self) -> bool:
        """Every cohort finished, but the last one taken in once the walk follows no more."""
        last = self.followed[-1] if self.follow and len(self.followed) == self.follow else None
        return all(plan.finished for plan in self.plan.cohorts if plan.cohort != last)

    def take_in(self) -> list[str]:
        """Take in the next cohorts that exist by now, while the walk follows."""
        if len(self.followed) >= self.follow:
            return []
        added = next_cohorts(self.cohorts)[: self.follow - len(self.followed)]
        for cohort in added:
            self.cohorts.append(cohort)
            self.followed.append(cohort)
            self._track(cohort)
        if added:
            self.refresh()
        return added

    def show(self, cohort: str, day: date, *, last: bool = False) -> None:
        """Refresh the cohort's overview when a phase of it completed, a week after the last
        refresh, or at the end of the walk: a production tick refreshes it daily, a walk
        through a year would spend its time on it."""
        done = len(self.plan.of(cohort).completed)
        before = self.shown.get(cohort)
        if last or before is None or before[1] != done or day - before[0] >= OVERVIEW_EVERY:
            publish_overview(cohort, day)
            self.shown[cohort] = (day, done)

    def summary(self, cohort: str) -> CohortSummary:
        plan = self.plan.of(cohort)
        return CohortSummary(
            cohort=cohort,
            first_day=plan.first_day,
            last_day=max(self.last_run[cohort].values(), default=plan.first_day),
            completed=[p.cli_name for p in plan.completed],
            waiting_on=plan.waiting_on(),
            phase_runs=self.runs[cohort],
        )


def _walk(walk: _Walk, decisions: CycleDecisions, until: date | None, world: World | None) -> None:
    """Step from day to day over every cohort side by side; on each day the outside world,
    each cohort's phases due, then retention and the outbox, once for all cohorts."""
    logger = get_run_logger()
    zone = load_settings().zone
    # a walk that follows n cohorts ends when the n - 1 after the first are finished too
    end = cycle_end(walk.cohorts) + relativedelta(years=max(walk.follow - 1, 0))
    progress = CycleProgress(walk.cohorts, walk.plan.first_day, end)
    day: date | None = walk.plan.first_day
    while day is not None and not walk.done and (until is None or day <= until):
        if world and world.acts_on(day):
            outside_world(world, day)
            walk.refresh()
        worked: set[str] = set()
        while due := walk.plan.due(day, walk.last_run):
            logger.info("%s: %s", day, ", ".join(f"{c} {p.cli_name}" for c, p in due))
            for cohort, phase in due:
                _run_phase(phase, cohort, day, decisions)
                walk.last_run[cohort][phase] = day
                walk.runs[cohort][phase.cli_name] += 1
                worked.add(cohort)
            walk.refresh()
        for cohort in walk.take_in() if worked else []:
            logger.info("%s: cohort %s exists now; the walk takes it in", day, cohort)
            tag_this_run([cohort_tag(cohort)])
            if world:
                world.join(cohort)
        for cohort in sorted(worked):
            walk.show(cohort, day)
        erasure = walk.plan.erasure_due
        if erasure is not None and erasure <= day and walk.last_erasure != day:
            # daily in production, its own flow; in the dry run on the days it works, within
            # the walk's run (a flow or task run per day would cost more than the erasure)
            erase_and_report(day, None, False)
            walk.erasure_runs, walk.last_erasure = walk.erasure_runs + 1, day
            walk.refresh()
        _deliver(walk, day, zone)
        progress.update(day)
        if world:
            world.show_progress(day, progress.fraction(day))
        following = [walk.plan.next_day(day, walk.last_run), world.next_day(day) if world else None]
        day = min((d for d in following if d is not None), default=None)
    last = max((d for runs in walk.last_run.values() for d in runs.values()), default=None)
    for cohort in walk.cohorts:
        walk.show(cohort, last or walk.plan.first_day, last=True)
    publish_programme(last or walk.plan.first_day)
    if world:
        world.show_progress(last or walk.plan.first_day, 1.0)


def _deliver(walk: _Walk, day: date, zone: ZoneInfo) -> None:
    """Send the day's e-mail at the moments it is due (mostly the start of the mail hours), so
    each message is dated when a dispatcher running every few minutes would have sent it. A
    message still waiting at a moment already sent (a retry) goes at the end of the day."""
    end = datetime.combine(day, END_OF_DAY, tzinfo=zone)
    last: datetime | None = None
    while (due := walk.plan.mail_due_at) is not None and due <= end and last != end:
        moment = max(due, datetime.combine(day, time.min, tzinfo=zone))
        moment = moment if last is None or moment > last else end
        walk.sent += deliver_due(moment).summary().sent
        walk.refresh()
        last = moment


def _run_name() -> str:
    return cycle_key(runtime_flow_run.parameters["cohorts"])


@flow(name="cohort-cycle", flow_run_name=_run_name)
def cohort_cycle(
    cohorts: list[str],
    decisions: CycleDecisions | None = None,
    until: date | None = None,
    simulation: Simulation | None = None,
    follow: int = 0,
) -> CycleSummary:
    """Run every phase of each cohort day by day, the cohorts side by side on one calendar;
    e-mail goes to a local sink only. ``decisions`` answer every cohort's questions alike
    (tender awards may differ per cohort). ``follow``: take in up to that many next cohorts as
    the redesigns create them; the last one taken in is walked as long as those before it."""
    logger = get_run_logger()
    check_mail_is_local()
    codes = tuple(dict.fromkeys(cohorts))
    tag_this_run([cohort_tag(code) for code in codes])
    if not codes:
        raise UserError("name at least one cohort to walk")
    if follow < 0:
        raise UserError(f"follow must be 0 or more, not {follow}")
    started = clock.utcnow()
    walk = _Walk(list(codes), follow)
    world = None
    if simulation:
        from rvg.demo.world import World  # Faker and HTTP only for a simulated cycle

        world = World(simulation, load_settings())
        for code in codes:
            world.join(code)
    # The phases run as subflows in this run's own process, which already sends heartbeats;
    # Prefect 3.9 waits up to a second for each subflow's heartbeat thread when it ends.
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        _walk(walk, decisions or CycleDecisions(), until, world)
    summaries = [walk.summary(cohort) for cohort in walk.cohorts]
    for summary in summaries:
        if walk.plan.of(summary.cohort).finished:
            logger.info(
                "Cycle %s finished on %s: the redesign was accepted",
                summary.cohort,
                summary.last_day,
            )
        elif walk.followed[-1:] == [summary.cohort] and walk.done:
            logger.info(
                "Cycle %s walked as long as the cohorts before it: %s running",
                summary.cohort,
                ", ".join(summary.waiting_on),
            )
        else:
            logger.warning(
                "Cycle %s stopped; waiting on %s", summary.cohort, ", ".join(summary.waiting_on)
            )
    flow_runs, task_runs = count_runs(started - timedelta(seconds=1))
    return CycleSummary(
        cohorts=summaries,
        retention_runs=walk.erasure_runs,
        emails_sent=walk.sent,
        flow_runs=flow_runs,
        task_runs=task_runs,
    )

"""The cohort cycle as one run: which phase has work on which day.

Every phase flow is time-driven and idempotent (docs/architecture.md, "Time"): run on any day
it does what is due and nothing twice. Running all eight every day of an 18-month cycle would
work, but would spend nearly all the time on runs that find nothing to do. This module knows,
per phase, the days on which something can happen (an invitation, a reminder, a deadline, a
milestone, a survey round, a week of training reminders), so the cycle can step through the
calendar day by day and start a phase only on those days.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rvg.business_case.decision import BusinessCaseDecision
from rvg.commitments.rules import GoNoGoDecision
from rvg.config.programme import ProgrammeConfig
from rvg.errors import UserError
from rvg.evaluation.definitions import SurveyDefinitions
from rvg.information.profiles import request_days
from rvg.models import CandidatePreference, Cohort, Decision
from rvg.notifications import outbox
from rvg.phases import PHASES, Phase
from rvg.placements.approval import MatchApproval
from rvg.recruitment.config import InformationRules
from rvg.recruitment.retention import first_erasure_day
from rvg.redesign.decision import RedesignDecision
from rvg.repositories.cohorts import LIVE_FROM, PHASE_COMPLETED
from rvg.repositories.tenders import tenders_of
from rvg.tendering.award import TenderDecisions
from rvg.tendering.status import AWARD_MILESTONE

# A phase starts once all the phases it needs are completed (the event chain of the deployments).
NEEDS: dict[Phase, tuple[Phase, ...]] = {phase: spec.needs for phase, spec in PHASES.items()}
RECRUITMENT_EVERY = timedelta(days=14)  # the agency's exports come fortnightly
TRAINING_EVERY = timedelta(days=28)  # each run enqueues the reminders of the coming period
TRAINING_HORIZON_DAYS = 35  # what a training run enqueues ahead: more than the period above
TRAINING_YEAR = relativedelta(months=13)  # the year, its closing event and the last reviews
DEFAULT_INFORMATION = InformationRules()


@dataclass(frozen=True)
class CyclePlan:
    """Where a cohort's cycle stands: phases completed (and when) and the days each has work."""

    cohort: str
    first_day: date
    completed: dict[Phase, date]
    due: dict[Phase, tuple[date, ...]] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        return Phase.REDESIGN in self.completed

    def phases_due(self, day: date, last_run: Mapping[Phase, date]) -> list[Phase]:
        """Phases, in cycle order, with a due day after their last run and not after ``day``:
        a due day missed (no run since) is still due, so a run that did not happen catches up."""
        return [
            phase
            for phase in Phase
            if any(last_run.get(phase, date.min) < d <= day for d in self.due.get(phase, ()))
        ]

    def next_day(self, after: date, last_run: Mapping[Phase, date]) -> date | None:
        """The first day after ``after`` on which a phase has work; None when idle."""
        days = [
            d
            for phase, due in self.due.items()
            for d in due
            if d > after or last_run.get(phase, date.min) < d
        ]
        return min((max(d, after + timedelta(days=1)) for d in days), default=None)

    def missed(self, phase: Phase, day: date, last_run: Mapping[Phase, date]) -> list[date]:
        """The due days of ``phase`` after its last run and before ``day``: days a run that
        should have happened did not (the phase catches them up when it runs on ``day``)."""
        since = last_run.get(phase, date.min)
        return [d for d in self.due.get(phase, ()) if since < d < day]

    def started_on(self, phase: Phase) -> date | None:
        """The day ``phase`` could start: when the last phase it needs was completed (whose
        completed event starts it at once); None for the first phase and one not started."""
        needs = NEEDS[phase]
        if not needs or not _started(phase, self.completed):
            return None
        return max(self.completed[n] for n in needs)

    def waiting_on(self) -> list[str]:
        """What keeps the cycle from going on: phases started but not completed."""
        return [
            p.cli_name for p in Phase if p not in self.completed and _started(p, self.completed)
        ]


# The last day each phase of each cohort ran (or was started): by cohort code, then phase.
LastRuns = Mapping[str, Mapping[Phase, date]]


@dataclass(frozen=True)
class CalendarPlan:
    """The rolling calendar: the plan of every cohort walked side by side, and the work that
    is no cohort's (delivering the outbox, erasing expired personal data), planned once."""

    cohorts: tuple[CyclePlan, ...]
    mail_due_at: datetime | None = None  # when the earliest waiting e-mail is due
    mail_due: date | None = None  # the local day of mail_due_at
    erasure_due: date | None = None  # retention runs daily in production; here when it has work

    @property
    def first_day(self) -> date:
        return min(plan.first_day for plan in self.cohorts)

    @property
    def finished(self) -> bool:
        return all(plan.finished for plan in self.cohorts)

    def of(self, cohort: str) -> CyclePlan:
        return next(plan for plan in self.cohorts if plan.cohort == cohort)

    def due(self, day: date, last_run: LastRuns) -> list[tuple[str, Phase]]:
        """What is due by ``day``: each unfinished cohort's phases with a due day after their
        last run, the oldest cohort first and each cohort's phases in cycle order."""
        return [
            (plan.cohort, phase)
            for plan in self.cohorts
            if not plan.finished
            for phase in plan.phases_due(day, last_run.get(plan.cohort, {}))
        ]

    def next_day(self, after: date, last_run: LastRuns) -> date | None:
        """The first day after ``after`` on which a cohort's phase, the outbox or retention
        has work; None when idle."""
        days = [plan.next_day(after, last_run.get(plan.cohort, {})) for plan in self.cohorts]
        days += [max(d, after + timedelta(days=1)) for d in (self.mail_due, self.erasure_due) if d]
        return min((d for d in days if d is not None), default=None)


def tick_last_runs(plan: CalendarPlan, ticks: LastRuns) -> dict[str, dict[Phase, date]]:
    """The last run of every phase as the daily tick sees it: the last day it started the
    phase (``ticks``), else the day the phase started on its predecessor's completed event.
    Every due day after that and not after today is due: a missed tick is caught up."""
    last_runs: dict[str, dict[Phase, date]] = {}
    for cohort in plan.cohorts:
        ticked = ticks.get(cohort.cohort, {})
        last_runs[cohort.cohort] = {}
        for phase in cohort.due:
            last = ticked.get(phase) or cohort.started_on(phase)
            if last is not None:
                last_runs[cohort.cohort][phase] = last
    return last_runs


def plan_calendar(plans: Sequence[CyclePlan], *, session: Session, zone: ZoneInfo) -> CalendarPlan:
    """The calendar of ``plans`` (one per cohort, each from ``plan_cycle``), with the outbox's
    and retention's next work looked up once for all of them."""
    mail_due = outbox.next_due(session)
    return CalendarPlan(
        cohorts=tuple(plans),
        mail_due_at=mail_due,
        mail_due=mail_due.astimezone(zone).date() if mail_due is not None else None,
        erasure_due=first_erasure_day(session=session),
    )


def _started(phase: Phase, completed: Mapping[Phase, date]) -> bool:
    return all(need in completed for need in NEEDS[phase])


# The key date from which a started phase has work; before it, the phase is ahead.
STARTS_ON = {
    Phase.COMMITMENTS: "signup_opens",
    Phase.RECRUITMENT: "recruitment_opens",
    Phase.TRAINING_YEAR: "training_start",
    Phase.EVALUATION: "training_start",
}


@dataclass(frozen=True)
class PhaseStates:
    """Where a cohort stands: phases overlap (commitments beside tendering, the evaluation
    beside the training year), so there is no one current phase but a set of them."""

    done: tuple[Phase, ...]
    running: tuple[Phase, ...]  # its phases before it are done and its first day has come
    ahead: tuple[tuple[Phase, date], ...] = ()  # may start, but its first day lies ahead

    def line(self) -> str:
        """``running: commitments, tendering; done: business-case`` for the command line."""
        parts = []
        if self.running:
            parts.append("running: " + ", ".join(p.cli_name for p in self.running))
        if self.ahead:
            parts.append(
                "from " + ", ".join(f"{day.isoformat()}: {p.cli_name}" for p, day in self.ahead)
            )
        if self.done:
            parts.append(
                "all done"
                if len(self.done) == len(Phase)
                else "done: " + ", ".join(p.cli_name for p in self.done)
            )
        return "; ".join(parts)


def phase_states(
    completed: Mapping[Phase, date], key_dates: Mapping[str, date], as_of: date
) -> PhaseStates:
    """The phases done, running and ahead on ``as_of``, from the phases completed and the
    cohort's key dates."""
    running, ahead = [], []
    for phase in Phase:
        if phase in completed or not _started(phase, completed):
            continue
        first = key_dates.get(STARTS_ON.get(phase, ""))
        if first is not None and first > as_of:
            ahead.append((phase, first))
        else:
            running.append(phase)
    done = tuple(phase for phase in Phase if phase in completed)
    return PhaseStates(done, tuple(running), tuple(ahead))


def cohort_phases(cohort: Cohort, as_of: date, *, session: Session, zone: ZoneInfo) -> PhaseStates:
    completed = completed_phases(cohort, session=session, zone=zone)
    return phase_states(completed, {m.name: m.on for m in cohort.milestones}, as_of)


def completed_phases(cohort: Cohort, *, session: Session, zone: ZoneInfo) -> dict[Phase, date]:
    """Each completed phase and the (local) day it was completed."""
    rows = session.execute(
        select(Decision.phase, Decision.decided_at).where(
            Decision.cohort_id == cohort.id, Decision.kind == PHASE_COMPLETED
        )
    )
    return {Phase(phase): at.astimezone(zone).date() for phase, at in rows}


def plan_cycle(
    cohort: Cohort,
    programme: ProgrammeConfig,
    surveys: SurveyDefinitions,
    *,
    session: Session,
    zone: ZoneInfo,
    information: InformationRules = DEFAULT_INFORMATION,
) -> CyclePlan:
    """The days each started, unfinished phase has work, from the cohort's dates and configs
    (``information``: the cohort's rules for the information pages, in recruitment.yaml)."""
    if cohort.historical:
        raise UserError(f"cohort {cohort.code} is a past cohort recorded as history; no cycle")
    completed = completed_phases(cohort, session=session, zone=zone)
    first_day = _key(cohort, "business_case_decision")
    live_from = cohort.parameters.get(LIVE_FROM)  # an ongoing cohort: nothing after the fact
    not_before = date.fromisoformat(live_from) if live_from else date.min
    first_day = max(first_day, not_before)
    due: dict[Phase, tuple[date, ...]] = {}
    for phase in Phase:
        if phase in completed or not _started(phase, completed):
            continue
        since = max((completed[n] for n in NEEDS[phase]), default=first_day)
        days = _due_days(phase, cohort, programme, surveys, information, since, session=session)
        due[phase] = tuple(sorted({max(d, since) for d in days if d >= not_before}))
    return CyclePlan(cohort=cohort.code, first_day=first_day, completed=completed, due=due)


def _key(cohort: Cohort, name: str) -> date:
    day = cohort.milestone(name)
    if day is None:
        raise ValueError(f"cohort {cohort.code} has no key date {name!r}")
    return day


def _due_days(
    phase: Phase,
    cohort: Cohort,
    programme: ProgrammeConfig,
    surveys: SurveyDefinitions,
    information: InformationRules,
    since: date,
    *,
    session: Session,
) -> list[date]:
    def key(name: str) -> date:
        return _key(cohort, name)

    if phase is Phase.BUSINESS_CASE:
        return [key("business_case_decision")]
    if phase is Phase.COMMITMENTS:
        opens, deadline = key("signup_opens"), key("signup_deadline")
        reminders = [deadline - timedelta(days=d) for d in programme.signup_reminder_days]
        return [opens, *reminders, deadline, deadline + timedelta(days=1)]
    if phase is Phase.TENDERING:
        # the start, the day a stored plan becomes fixed (its first milestone), and the day
        # each lot's award or extension decision is due; reminders are enqueued at the start
        days = [since]
        for tender in tenders_of(cohort, session=session).values():
            milestones = sorted(tender.milestones, key=lambda m: m.due_on)
            award = AWARD_MILESTONE.get(tender.path)
            days += [m.due_on for m in milestones[:1]]
            days += [m.due_on for m in milestones if m.name == award]
        return days
    if phase is Phase.RECRUITMENT:
        opens, meet = key("recruitment_opens"), key("meet_and_greet")
        invite = meet - timedelta(days=programme.meet_and_greet_invitation_days)
        fortnights = _every(opens, invite, RECRUITMENT_EVERY)
        # before the campaign: the information pages asked for at the start, then reminders
        pages = request_days(cohort, information.profile_reminder_days, since)
        return [*pages, *fortnights, invite, meet + timedelta(days=1)]
    if phase is Phase.MATCHING:
        preferences = session.scalar(
            select(func.count())
            .select_from(CandidatePreference)
            .where(CandidatePreference.cohort_id == cohort.id)
        )
        return [key("meet_and_greet") + timedelta(days=1)] if preferences else []
    if phase is Phase.TRAINING_YEAR:
        start = key("training_start")
        return _every(start - timedelta(days=7), start + TRAINING_YEAR, TRAINING_EVERY)
    if phase is Phase.EVALUATION:
        start = key("training_start")
        return [
            day
            for item in surveys.rounds
            for day in (
                item.opens_on(start),
                *(item.opens_on(start) + timedelta(days=d) for d in item.reminder_days),
                item.closes_on(start) + timedelta(days=1),
            )
        ]
    return [since]  # redesign: as soon as the year and its evaluation are done


def _every(first: date, until: date, step: timedelta) -> list[date]:
    days = []
    day = first
    while day <= until:
        days.append(day)
        day += step
    return days


class CycleDecisions(BaseModel):
    """The human decisions of a cycle given in advance; a missing one is asked in the UI."""

    business_case: BusinessCaseDecision | None = None
    go_no_go: GoNoGoDecision | None = None
    tender_awards: TenderDecisions | None = None
    # a cohort's own awards (its contracts' dates differ from another's); else tender_awards
    tender_awards_by_cohort: dict[str, TenderDecisions] = Field(default_factory=dict)
    match_approval: MatchApproval | None = None
    interim_redesign: RedesignDecision | None = None  # each interim redesign's (m03, m06)
    redesign: RedesignDecision | None = None

    def awards_for(self, cohort: str) -> TenderDecisions | None:
        return self.tender_awards_by_cohort.get(cohort, self.tender_awards)


def expected_end(cohort: Cohort) -> date:
    """When the cycle should be over: the training year, its last survey round, the redesign."""
    return _key(cohort, "training_start") + TRAINING_YEAR + timedelta(days=31)

"""Tasks of the cohort cycle: where it stands, the outside world of a dry run, run counts."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from prefect import get_client, get_run_logger
from prefect.artifacts import create_progress_artifact, update_progress_artifact
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterStartTime,
    TaskRunFilter,
    TaskRunFilterStartTime,
)

from rvg.cycle import CalendarPlan, expected_end, plan_calendar, plan_cycle
from rvg.dutch import listed
from rvg.notifications.safety import refuse_real_mail
from rvg.redesign.proposal import next_code
from rvg.repositories.cohorts import find_cohort, live_cohort
from rvg.settings import load_settings
from rvg.unit import unit

if TYPE_CHECKING:  # the world (Faker, HTTP) is loaded only when a simulation runs
    from rvg.demo.world import World


def calendar_plan(cohorts: Sequence[str]) -> CalendarPlan:
    """Which phases of each cohort are done, the days each running phase has work, and when
    the outbox and retention have work next.

    A read the cycle repeats after every step, hundreds of times a cycle; a plain call, not a
    task, so the run's task list shows the work rather than the bookkeeping. Each cohort's
    programme and survey rounds come from its own rule set (read again only when a file
    changes).
    """
    with unit() as u:
        plans = []
        for code in cohorts:
            cohort = live_cohort(code, session=u.session)
            rules = u.config_of(cohort)
            plans.append(
                plan_cycle(
                    cohort,
                    rules.programme,
                    rules.surveys,
                    session=u.session,
                    zone=u.settings.zone,
                    information=rules.recruitment.information,
                )
            )
        return plan_calendar(plans, session=u.session, zone=u.settings.zone)


def next_cohorts(cohorts: Sequence[str]) -> list[str]:
    """The next cohort of each of ``cohorts`` that exists by now (an accepted redesign creates
    it) and is not among them: the cohorts a walk that follows its cohorts takes in."""
    with unit() as u:
        return [
            following
            for following in dict.fromkeys(next_code(code) for code in cohorts)
            if following not in cohorts and find_cohort(following, session=u.session) is not None
        ]


def cycle_end(cohorts: Sequence[str]) -> date:
    """The day by which the last cohort's cycle should be over, for the progress."""
    with unit() as u:
        return max(expected_end(live_cohort(code, session=u.session)) for code in cohorts)


def check_mail_is_local() -> None:
    """Refuse to start a dry run that would e-mail real people."""
    refuse_real_mail(load_settings().smtp_host)


def outside_world(world: World, day: date) -> list[str]:
    """Simulation: what the organisations, agency, candidates and respondents do today,
    logged in the cycle's run (the simulation is not the team's work: no task runs)."""
    actions = world.act(day)
    for line in actions:
        get_run_logger().info("Outside world %s", line)
    return actions


def cycle_key(cohorts: Sequence[str]) -> str:
    """``cycle-2027``, ``cycle-2027-2028``: the name of a walk's run and of its progress."""
    return "cycle-" + "-".join(cohorts)


class CycleProgress:
    """The cycle's progress as a Prefect progress artifact, updated as the days go by."""

    def __init__(self, cohorts: Sequence[str], first: date, last: date) -> None:
        self.first, self.span = first, max((last - first).days, 1)
        self.percent = 0
        self.artifact: UUID = create_progress_artifact(
            0.0,
            key=cycle_key(cohorts),
            description=f"Cyclus lichting {listed(list(cohorts))}: voortgang",
        )  # type: ignore[assignment]

    def fraction(self, day: date) -> float:
        return min(max((day - self.first).days / self.span, 0.0), 1.0)

    def update(self, day: date) -> None:
        percent = int(self.fraction(day) * 100)
        if percent != self.percent:
            self.percent = percent
            update_progress_artifact(self.artifact, float(percent))


SETTLE_POLLS = 3
SETTLE_SECONDS = 1.0
SETTLE_TIMEOUT_SECONDS = 60.0


def count_runs(since: datetime) -> tuple[int, int]:
    """Flow runs and task runs the server recorded since ``since`` (this cycle, on its own).

    The server records task runs from the events the runs send, a moment after they happen:
    the counts are read until they stay the same for ``SETTLE_POLLS`` reads in a row (or a
    minute has passed), so two cycles of the same seed print the same figures. Not a task,
    so it does not count itself.
    """
    task_filter = TaskRunFilter(start_time=TaskRunFilterStartTime(after_=since))
    flow_filter = FlowRunFilter(start_time=FlowRunFilterStartTime(after_=since))
    seen: list[tuple[int, int]] = []
    deadline = time.monotonic() + SETTLE_TIMEOUT_SECONDS
    with get_client(sync_client=True) as client:
        while True:
            flows = client.count_flow_runs(flow_run_filter=flow_filter)
            tasks = client.request(
                "POST", "/task_runs/count", json={"task_runs": task_filter.model_dump(mode="json")}
            ).json()
            seen.append((flows, int(tasks)))
            settled = len(seen) >= SETTLE_POLLS and len(set(seen[-SETTLE_POLLS:])) == 1
            if settled or time.monotonic() > deadline:
                return seen[-1]
            time.sleep(SETTLE_SECONDS)

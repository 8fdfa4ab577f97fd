"""Tags that let the Prefect UI sort and filter runs: every run of a cohort's phase carries
``cohort:<code>`` and ``phase:<n>-<name>``. Its task runs do not: Prefect asks the server for
the concurrency slots of a task run's tags each time one starts, a write that on a server on
SQLite collides with its other writes and then costs a 2-second retry (14 of them in the
two-cohort demo, a quarter of its time); a task run is found through its flow run. A phase
run on its own refreshes its cohort's overview when it ends (:mod:`flows._overview`).

A run started by the daily tick, the cycle or another flow is created with its tags; one
started from the UI or by an event trigger (which cannot set tags) gets the missing ones
when it starts, with one API call.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from datetime import date
from typing import ParamSpec, TypeVar

from prefect.client.orchestration import get_client
from prefect.context import FlowRunContext, TagsContext

from flows._overview import refresh_overview
from rvg.phases import Phase, cohort_tag

P = ParamSpec("P")
R = TypeVar("R")


def phase_tags(cohort: str, phase: Phase) -> list[str]:
    return [cohort_tag(cohort), phase.tag]


def tag_this_run(wanted: list[str]) -> None:
    """Add the ``wanted`` tags the current flow run does not carry yet."""
    context = FlowRunContext.get()
    run = context.flow_run if context else None
    if run is None:
        return
    missing = [tag for tag in wanted if tag not in run.tags]
    if not missing:
        return
    with get_client(sync_client=True) as client:
        client.update_flow_run(run.id, tags=[*run.tags, *missing])
    run.tags = [*run.tags, *missing]


def on_its_own() -> bool:
    """Whether the current flow run is no other run's subflow."""
    context = FlowRunContext.get()
    return bool(context and context.flow_run and not context.flow_run.parent_task_run_id)


def as_of_parameter() -> date | None:
    """The current run's ``as_of`` parameter, if it has one."""
    context = FlowRunContext.get()
    value = (context.parameters or {}).get("as_of") if context else None
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return value if isinstance(value, date) else None


def run_cohort() -> str | None:
    """The cohort the current run is for, from its tag."""
    context = FlowRunContext.get()
    run = context.flow_run if context else None
    found = [t for t in (run.tags if run else []) if t.startswith("cohort:")]
    return found[0].removeprefix("cohort:") if len(found) == 1 else None


def tagged(phase: Phase) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A phase flow's function whose run carries the cohort's and the phase's tags, and whose
    task runs carry none (not those it was created with either); its first parameter is the
    cohort. Put it under ``@flow``."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        signature = inspect.signature(function, eval_str=True)

        @functools.wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            arguments = signature.bind(*args, **kwargs).arguments
            cohort = str(arguments["cohort"])
            wanted = phase_tags(cohort, phase)
            tag_this_run(wanted)
            with TagsContext(current_tags=set()):
                result = function(*args, **kwargs)
            if on_its_own():  # a subflow of the cycle: the cycle refreshes it once a day
                refresh_overview(cohort, as_of_parameter())
            return result

        # Prefect validates the parameters against the signature, resolving its annotations
        # where ``run`` lives: give it the flow's own, resolved in the flow's module
        run.__signature__ = signature  # type: ignore[attr-defined]
        return run

    return decorate

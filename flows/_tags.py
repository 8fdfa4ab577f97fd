"""Tags that let the Prefect UI sort and filter runs: every run of a cohort's phase carries
``cohort:<code>`` and ``phase:<n>-<name>``, and so does every task run inside it.

A run started by the daily tick, the cycle or another flow is created with its tags; one
started from the UI or by an event trigger (which cannot set tags) gets the missing ones
when it starts, with one API call.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from prefect import tags
from prefect.client.orchestration import get_client
from prefect.context import FlowRunContext

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


def tagged(phase: Phase) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A phase flow's function whose run and task runs carry the cohort's and the phase's
    tags; its first parameter is the cohort. Put it under ``@flow``."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            cohort = str(kwargs["cohort"] if "cohort" in kwargs else args[0])
            wanted = phase_tags(cohort, phase)
            tag_this_run(wanted)
            with tags(*wanted):
                return function(*args, **kwargs)

        # Prefect validates the parameters against the signature, resolving its annotations
        # where ``run`` lives: give it the flow's own, resolved in the flow's module
        run.__signature__ = inspect.signature(function, eval_str=True)  # type: ignore[attr-defined]
        return run

    return decorate

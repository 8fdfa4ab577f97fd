"""Asking people for a decision from inside a flow run: a form in the Prefect UI.

A decision may wait days, longer than any serving process should be trusted to live. A
deployment's own run is therefore *suspended*: the run leaves its process (the worker or
`rvg serve` may restart, upgrade or move), the form's answer is stored on the server, and
resuming reschedules the run. The serving process then runs the flow again from the top;
every phase is idempotent up to its decision (the daily tick re-runs them anyway), and at
the same point ``suspend_flow_run`` returns the stored answer instead of suspending again.

Prefect can only suspend a top-level run of a deployment. A phase run as a subflow of the
cycle, or started in the foreground by `rvg run`, *pauses* instead: the process waits,
polling, and the answer reaches it there; if that process ends, run the phase again.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, TypeVar

import pydantic
from prefect import get_run_logger, pause_flow_run, suspend_flow_run
from prefect.context import FlowRunContext
from prefect.input import RunInput

from flows._overview import refresh_overview, run_url
from flows._tags import as_of_parameter, run_cohort
from rvg.overview import Pending

Form = TypeVar("Form", bound=RunInput)

DEFAULT_TIMEOUT_SECONDS = 7 * 24 * 3600
POLL_SECONDS = 5


def can_suspend(context: FlowRunContext | None) -> bool:
    """Whether this flow run may leave its process while it waits (Prefect's own rule)."""
    run = context.flow_run if context else None
    return bool(run and run.deployment_id and not run.parent_task_run_id)


def prefilled(
    form: type[Form],
    *,
    description: str,
    titles: Mapping[str, str] | None = None,
    **initial: object,
) -> type[Form]:
    """``form`` with fields pre-filled and retitled, keeping each field's constraints and
    description (``RunInput.with_initial_data`` would drop them for a pre-filled field)."""
    titles = titles or {}
    fields: dict[str, Any] = {}
    for name in {*initial, *titles}:
        info = copy.copy(form.model_fields[name])
        if name in initial:
            info.default = initial[name]
        if name in titles:
            info.title = titles[name]
        fields[name] = (info.annotation, info)
    model = pydantic.create_model(form.__name__, __base__=form, **fields)
    model._description = description
    return model


def _show_waiting() -> None:
    """The cohort's overview lists this run among the decisions waiting, with its link."""
    context = FlowRunContext.get()
    cohort = run_cohort()
    if context is None or context.flow_run is None or cohort is None:
        return
    run = context.flow_run
    refresh_overview(cohort, as_of_parameter(), Pending(run.name, run_url(run.id)))


def ask(
    form: type[Form],
    *,
    description: str,
    timeout_seconds: int,
    titles: Mapping[str, str] | None = None,
    **initial: object,
) -> Form:
    """Wait until someone submits ``form`` in the UI (or ``resume_flow_run`` is called).

    The description is Markdown shown above the form. ``initial`` pre-fills fields and
    ``titles`` renames them for this question (the lot an award is for, say).
    """
    logger = get_run_logger()
    prefilled_form = prefilled(form, description=description, titles=titles, **initial)
    _show_waiting()
    if can_suspend(FlowRunContext.get()):
        logger.info(
            "Waiting for a decision: %s; the run is suspended and continues, from the top, "
            "when the form is submitted",
            form.__name__,
        )
        answer = suspend_flow_run(wait_for_input=prefilled_form, timeout=timeout_seconds)
    else:
        logger.info("Waiting for a decision: %s; this process waits for it", form.__name__)
        answer = pause_flow_run(
            wait_for_input=prefilled_form, timeout=timeout_seconds, poll_interval=POLL_SECONDS
        )
    logger.info("Decision received: %s", form.__name__)
    return answer

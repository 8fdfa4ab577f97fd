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

from typing import TypeVar

from prefect import get_run_logger, pause_flow_run, suspend_flow_run
from prefect.context import FlowRunContext
from prefect.input import RunInput

Form = TypeVar("Form", bound=RunInput)

DEFAULT_TIMEOUT_SECONDS = 7 * 24 * 3600
POLL_SECONDS = 5


def can_suspend(context: FlowRunContext | None) -> bool:
    """Whether this flow run may leave its process while it waits (Prefect's own rule)."""
    run = context.flow_run if context else None
    return bool(run and run.deployment_id and not run.parent_task_run_id)


def ask(form: type[Form], *, description: str, timeout_seconds: int, **initial: object) -> Form:
    """Wait until someone submits ``form`` in the UI (or ``resume_flow_run`` is called).

    The description is Markdown shown above the form. ``initial`` pre-fills fields.
    """
    logger = get_run_logger()
    prefilled = form.with_initial_data(description=description, **initial)
    if can_suspend(FlowRunContext.get()):
        logger.info(
            "Waiting for a decision: %s; the run is suspended and continues, from the top, "
            "when the form is submitted",
            form.__name__,
        )
        answer = suspend_flow_run(wait_for_input=prefilled, timeout=timeout_seconds)
    else:
        logger.info("Waiting for a decision: %s; this process waits for it", form.__name__)
        answer = pause_flow_run(
            wait_for_input=prefilled, timeout=timeout_seconds, poll_interval=POLL_SECONDS
        )
    logger.info("Decision received: %s", form.__name__)
    return answer

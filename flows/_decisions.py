"""Asking people for a decision from inside a flow run: a form in the Prefect UI."""

from __future__ import annotations

from typing import TypeVar

from prefect import get_run_logger, pause_flow_run
from prefect.input import RunInput

Form = TypeVar("Form", bound=RunInput)

DEFAULT_TIMEOUT_SECONDS = 7 * 24 * 3600
POLL_SECONDS = 5


def ask(form: type[Form], *, description: str, timeout_seconds: int, **initial: object) -> Form:
    """Pause the run until someone submits ``form`` in the UI (or ``resume_flow_run`` is called).

    The description is Markdown shown above the form. ``initial`` pre-fills fields.
    """
    get_run_logger().info("Waiting for a decision: %s", form.__name__)
    return pause_flow_run(
        wait_for_input=form.with_initial_data(description=description, **initial),
        timeout=timeout_seconds,
        poll_interval=POLL_SECONDS,
    )

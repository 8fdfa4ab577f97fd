"""Retries for passing trouble only, each with its reason.

``ON_DATABASE_TROUBLE``: a task that does its work in one unit of work (one transaction,
rolled back on the error) starts clean on a second try, so a dropped PostgreSQL connection,
a deadlock or a locked SQLite file is tried again after a pause. ``ON_API_TROUBLE``: a task
that calls the Prefect API idempotently (scheduling runs under an idempotency key) is tried
again when the server cannot be reached or answers 5xx. Anything else (an unknown cohort, a
bad config, a bug) fails at once: a retry would only repeat it.

Sending e-mail has no task retries: the outbox retries each message on its own schedule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict

import httpx
from prefect.client.schemas.objects import State, TaskRun
from prefect.exceptions import PrefectHTTPStatusError

from rvg.db import is_transient

RETRY_DELAYS = [5.0, 30.0]  # seconds: long enough for a failover or a restart


def _error(state: State[Any]) -> BaseException | None:
    return state.data if isinstance(state.data, BaseException) else None


def database_trouble(task: Any, task_run: TaskRun, state: State[Any]) -> bool:
    error = _error(state)
    return error is not None and is_transient(error)


def api_trouble(task: Any, task_run: TaskRun, state: State[Any]) -> bool:
    error = _error(state)
    if isinstance(error, PrefectHTTPStatusError):
        return error.response.status_code >= 500
    return isinstance(error, httpx.TransportError)


class RetryOptions(TypedDict):
    retries: int
    retry_delay_seconds: list[float]
    retry_condition_fn: Callable[[Any, TaskRun, State[Any]], bool]


def _retrying(condition: Callable[[Any, TaskRun, State[Any]], bool]) -> RetryOptions:
    return {"retries": 2, "retry_delay_seconds": RETRY_DELAYS, "retry_condition_fn": condition}


ON_DATABASE_TROUBLE = _retrying(database_trouble)
ON_API_TROUBLE = _retrying(api_trouble)

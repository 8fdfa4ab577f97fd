"""Loading a flow for a command: Prefect is imported only here, and only when a flow runs.

This module and ``rvg.cli.serve`` are the CLI's composition root, the two places where
``rvg`` reaches up to ``flows`` and ``deployments``. The imports are written out (not made by
string) so the import contracts in ``pyproject.toml`` see them and name them as the only
exceptions to the layers.
"""

from __future__ import annotations

import logging
import os
from types import ModuleType
from typing import Any

from rvg.errors import UserError


class _UserErrorsWithoutTraceback(logging.Filter):
    """On the terminal a user's mistake is the one ``error:`` line the command prints; Prefect
    would print its traceback first, twice (task and flow). The run in the UI keeps it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], UserError):
            record.exc_info, record.exc_text = None, None
        return True


def quiet_user_errors() -> None:
    """Drop tracebacks of user errors from the terminal: Prefect's console handler sits on the
    root logger; its API handler (the run's log in the UI) is elsewhere and keeps them."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, _UserErrorsWithoutTraceback) for f in handler.filters):
            handler.addFilter(_UserErrorsWithoutTraceback())


def _flow_modules() -> dict[str, ModuleType]:
    """Every module of ``flows/``, by its name there; imported late, when a flow runs."""
    import flows.business_case
    import flows.commitments
    import flows.cycle
    import flows.daily
    import flows.dispatch
    import flows.evaluation
    import flows.matching
    import flows.recruitment
    import flows.redesign
    import flows.retention
    import flows.tendering
    import flows.training_year

    return {
        module.__name__.removeprefix("flows."): module
        for module in (
            flows.business_case,
            flows.commitments,
            flows.cycle,
            flows.daily,
            flows.dispatch,
            flows.evaluation,
            flows.matching,
            flows.recruitment,
            flows.redesign,
            flows.retention,
            flows.tendering,
            flows.training_year,
        )
    }


def load_flow(module: str, name: str) -> Any:
    """The flow ``name`` from ``flows.<module>`` as a function that runs it, with Prefect's
    telemetry off unless chosen."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # When no server is configured the flow runs on an ephemeral one, on SQLite, which has one
    # writer: its event persister flushing every 20 events collides with creating subflow runs,
    # and each collision costs a 2-second client retry. Flushing in large batches keeps the
    # event feed and removes most of them. (Only a server this process starts reads these.)
    os.environ.setdefault("PREFECT_SERVER_SERVICES_EVENT_PERSISTER_BATCH_SIZE", "5000")
    os.environ.setdefault("PREFECT_SERVER_SERVICES_EVENT_PERSISTER_FLUSH_INTERVAL", "30")
    # That server takes 13-20 s to start on a 2-core machine, and longer when it is busy:
    # Prefect's default wait of 20 s fails `make demo` on a loaded machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    loaded = getattr(_flow_modules()[module], name)
    quiet_user_errors()
    from flows._api import local_api

    def run(*args: Any, **kwargs: Any) -> Any:
        """The flow on the configured API, or on a temporary server that never outlives this
        command (ended on return, on an error and on Ctrl-C; with the process on SIGKILL)."""
        with local_api():
            return loaded(*args, **kwargs)

    return run

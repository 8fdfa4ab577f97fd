"""Loading a flow for a command: Prefect is imported only here, and only when a flow runs."""

from __future__ import annotations

import importlib
import os
from typing import Any


def load_flow(module: str, name: str) -> Any:
    """The flow ``name`` from ``flows.<module>``, with Prefect's telemetry off unless chosen."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # When no server is configured the flow runs on an ephemeral one, on SQLite, which has one
    # writer: its event persister flushing every 20 events collides with creating subflow runs,
    # and each collision costs a 2-second client retry. Flushing in large batches keeps the
    # event feed and removes most of them. (Only a server this process starts reads these.)
    os.environ.setdefault("PREFECT_SERVER_SERVICES_EVENT_PERSISTER_BATCH_SIZE", "5000")
    os.environ.setdefault("PREFECT_SERVER_SERVICES_EVENT_PERSISTER_FLUSH_INTERVAL", "30")
    return getattr(importlib.import_module(f"flows.{module}"), name)

"""Loading a flow for a command: Prefect is imported only here, and only when a flow runs."""

from __future__ import annotations

import importlib
import os
from typing import Any


def load_flow(module: str, name: str) -> Any:
    """The flow ``name`` from ``flows.<module>``, with Prefect's telemetry off unless chosen."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    return getattr(importlib.import_module(f"flows.{module}"), name)

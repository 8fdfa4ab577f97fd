"""`rvg serve`: every deployment of `deployments/definitions.py`, served from one process."""

from __future__ import annotations

import importlib
from typing import Any

from prefect import serve
from prefect.events import DeploymentEventTrigger
from prefect.schedules import Cron

from deployments.definitions import TIMEZONE, DeploymentSpec, specs


def load_flow(entrypoint: str) -> Any:
    """The flow object behind ``flows/x.py:function``."""
    path, function = entrypoint.split(":")
    module = path.removesuffix(".py").replace("/", ".")
    return getattr(importlib.import_module(module), function)


def runner_deployment(spec: DeploymentSpec) -> Any:
    triggers = []
    if spec.after is not None:
        triggers.append(
            DeploymentEventTrigger(
                expect={spec.after.event_name},
                parameters={"cohort": "{{ event.payload.cohort }}"},
            )
        )
    return load_flow(spec.entrypoint).to_deployment(
        name=spec.name,
        description=spec.description,
        schedules=[Cron(spec.cron, timezone=TIMEZONE)] if spec.cron else None,
        parameters=spec.parameters or None,
        triggers=triggers or None,
        tags=list(spec.tags) or None,
    )


def runner_deployments() -> list[Any]:
    return [runner_deployment(spec) for spec in specs()]


def main() -> None:
    """Serve every deployment until interrupted."""
    serve(*runner_deployments())

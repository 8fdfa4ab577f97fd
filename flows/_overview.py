"""The overview artifacts: ``programme`` with the rolling calendar's picture (drawn by the
daily tick and at the end of a dry-run cycle), and ``cohort-<code>``, refreshed at the end of
every phase run started on its own (a deployment run, the UI, ``rvg run``), when a run starts
waiting for a decision, by the daily tick for every live cohort, and by the dry-run cycle when
a phase completes, weekly and at the end.

They are written from the flow, not as task runs of their own: the orchestration would cost
more than the overview."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from uuid import UUID

from prefect import get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
    FlowRunFilterTags,
)
from prefect.client.schemas.objects import StateType
from prefect.settings import PREFECT_UI_URL

from rvg.overview import (
    Pending,
    artifact_key,
    cohort_overview,
    overview_markdown,
    programme_markdown,
    programme_overview,
)
from rvg.phases import cohort_tag
from rvg.unit import unit


def run_url(run_id: UUID | str) -> str | None:
    """The run's page in the Prefect UI, when the UI's address is known."""
    ui = PREFECT_UI_URL.value()
    return f"{ui.rstrip('/')}/runs/flow-run/{run_id}" if ui else None


def waiting_runs(cohort: str) -> list[Pending]:
    """The cohort's runs paused or suspended on a form, as the UI lists them."""
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(
                tags=FlowRunFilterTags(all_=[cohort_tag(cohort)]),
                state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.PAUSED])),
            )
        )
    return [
        Pending(run.name, run_url(run.id), run.start_time.date() if run.start_time else None)
        for run in runs
    ]


def refresh_overview(cohort: str, as_of: date | None, waiting: Pending | None = None) -> None:
    """:func:`publish_overview` where the overview is a by-product: a run whose work is done
    does not fail because its overview could not be written; it says so in its log."""
    try:
        publish_overview(cohort, as_of, waiting)
    except Exception as exc:  # the overview is secondary to the run's work
        get_run_logger().warning("The overview of cohort %s was not refreshed: %s", cohort, exc)


def refresh_programme(as_of: date | None) -> None:
    """:func:`publish_programme` as a by-product, as :func:`refresh_overview`."""
    try:
        publish_programme(as_of)
    except Exception as exc:  # the overview is secondary to the run's work
        get_run_logger().warning("The programme's overview was not refreshed: %s", exc)


def publish_overview(cohort: str, as_of: date | None, waiting: Pending | None = None) -> str:
    """Write the cohort's overview artifact; ``waiting``: this run, about to wait for its
    decision (not paused yet, so the server does not list it)."""
    pending = waiting_runs(cohort)
    if waiting is not None and all(p.run_name != waiting.run_name for p in pending):
        pending.append(waiting)
    with unit(cohort) as u:
        overview = cohort_overview(u, as_of)
    key = artifact_key(cohort)
    create_markdown_artifact(
        overview_markdown(overview, pending), key=key, description=f"Overzicht {overview.name}"
    )
    return key


PROGRAMME_KEY = "programme"


def publish_programme(as_of: date | None) -> str:
    """Draw the rolling calendar into ``out/programme/`` and write the programme's overview
    artifact: every cohort side by side with the history, the shared contracts, the people in
    more than one cohort, and the link to the calendar's picture."""
    from rvg.reports.gantt import write_programme_calendar  # matplotlib: only here

    with unit() as u:
        lots = {lot.lot.value: lot.description for lot in u.config.procurement.lots}
        overview = programme_overview(u.session, u.settings.zone, lots, as_of)
        _, svg = write_programme_calendar(u, as_of)
    create_markdown_artifact(
        programme_markdown(overview, _shown(svg)),
        key=PROGRAMME_KEY,
        description="Overzicht programma",
    )
    return PROGRAMME_KEY


def _shown(path: Path) -> str:
    """A file's path as the team finds it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)

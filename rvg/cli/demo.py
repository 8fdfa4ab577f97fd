"""``rvg demo``: set up a database and show what the software does with the Brabant data."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from rvg.cli._database import safe_url
from rvg.db import make_engine, make_sessionmaker, session_scope
from rvg.migrate import upgrade
from rvg.programme import create_cohort
from rvg.repositories.organisations import count_by_region_and_kind
from rvg.settings import Settings, load_settings

DEMO_DATABASE = Path("var") / "demo" / "rvg-demo.sqlite"


def _demo_settings() -> Settings:
    """The configured database when RVG_DATABASE_URL is set, else a fresh SQLite file."""
    if os.environ.get("RVG_DATABASE_URL"):
        return load_settings()
    path = DEMO_DATABASE.resolve()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return load_settings().model_copy(update={"database_url": f"sqlite:///{path}"})


def demo(
    cohort: Annotated[
        str, typer.Option("--cohort", help="Cohort code; its file is config/cohorts/CODE.yaml.")
    ] = "2027",
) -> None:
    """Create and migrate a database, load the region and a cohort, and print a summary."""
    settings = _demo_settings()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    typer.echo(f"Database: {safe_url(settings.database_url)} (migrated)")

    cohort_file = settings.config_dir / "cohorts" / f"{cohort}.yaml"
    with session_scope(make_sessionmaker(engine)) as session:
        loaded, outcome = create_cohort(cohort, cohort_file, settings.config_dir, session=session)
        counts = count_by_region_and_kind(session=session)
        typer.echo(f"\nOrganisations in {loaded.region} (municipalities / other):")
        for region in sorted({region for region, _ in counts}):
            municipalities = counts.get((region, "municipality"), 0)
            other = sum(
                n for (r, kind), n in counts.items() if r == region and kind != "municipality"
            )
            typer.echo(f"  {region:<20} {municipalities:>3} / {other}")
        typer.echo(f"\nCohort {loaded.code}: {loaded.name} ({outcome})")
        typer.echo(f"  tracks: {', '.join(t.track_code for t in loaded.tracks)}")
        typer.echo(
            f"  target: {loaded.target_participants_min}-{loaded.target_participants_max}"
            " participants,"
            f" at least {loaded.min_organisations} organisations"
        )
        for milestone in sorted(loaded.milestones, key=lambda m: m.on):
            typer.echo(f"  {milestone.on.isoformat()}  {milestone.name}")
        summary = (
            f"organisations={sum(counts.values())} cohorts=1 key_dates={len(loaded.milestones)}"
        )
    engine.dispose()
    typer.echo(f"\n{summary}")

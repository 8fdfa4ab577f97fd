"""Loading the programme's versioned configuration (``config/``) into the database.

Every file is read and validated completely before the first row is written, so a bad file
leaves the database as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from rvg.config import (
    CohortConfig,
    OrganisationRow,
    ProgrammeConfig,
    load_cohort,
    load_organisations,
    load_programme,
)
from rvg.errors import ConfigError
from rvg.models import Cohort
from rvg.repositories.cohorts import Outcome, upsert_cohort
from rvg.repositories.organisations import sync_organisations, sync_tracks
from rvg.tally import Tally


@dataclass(frozen=True)
class Region:
    programme: ProgrammeConfig
    organisations: list[OrganisationRow]


def read_region(config_dir: Path) -> Region:
    programme = load_programme(config_dir / "programme.yaml")
    organisations = load_organisations(config_dir / "organisations.csv", programme)
    if programme.programme_organisation not in {org.code for org in organisations}:
        raise ConfigError(
            str(config_dir / "programme.yaml"),
            [
                f"field 'programme_organisation': {programme.programme_organisation!r} is not in "
                "organisations.csv"
            ],
        )
    return Region(programme, organisations)


def read_cohort(code: str, path: Path, region: Region) -> CohortConfig:
    cohort = load_cohort(path, region.programme, region.organisations)
    if cohort.code != code:
        raise ConfigError(
            str(path),
            [f"field 'code': {cohort.code!r} differs from the cohort code {code!r} asked for"],
        )
    return cohort


def load_region(region: Region, *, session: Session) -> Tally:
    """Tracks and organisations, inserted or updated; the tally counts organisations."""
    sync_tracks(region.programme.tracks, session=session)
    return sync_organisations(region.organisations, session=session)


def create_cohort(
    code: str, path: Path, config_dir: Path, *, session: Session
) -> tuple[Cohort, Outcome]:
    """Validate the region and the cohort file, then load both; idempotent."""
    region = read_region(config_dir)
    config = read_cohort(code, path, region)
    load_region(region, session=session)
    return upsert_cohort(config, region.programme, session=session)

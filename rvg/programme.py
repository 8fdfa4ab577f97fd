"""Loading the programme's versioned configuration (``config/``) into the database.

Every file is read and validated completely before the first row is written, so a bad file
leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from rvg import clock
from rvg.config import (
    CohortConfig,
    OrganisationRow,
    ProgrammeConfig,
    load_cohort,
    load_organisations,
    load_programme,
)
from rvg.errors import ConfigError
from rvg.lead_times import (
    future_key_dates,
    on_working_days,
    passed_key_dates,
    past_key_dates,
    schedule_warnings,
)
from rvg.models import Cohort
from rvg.repositories.cohorts import LIVE_FROM, Outcome, find_cohort, upsert_cohort
from rvg.repositories.organisations import sync_organisations, sync_tracks
from rvg.rule_sets import checked_rule_files, differing_files, keep_rules, latest_rule_set
from rvg.tally import Tally
from rvg.tendering.status import supply_shortfalls
from rvg.unit import Configs


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


def read_cohort(code: str, path: Path, region: Region, *, history: bool = False) -> CohortConfig:
    cohort = load_cohort(path, region.programme, region.organisations, history=history)
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


@dataclass(frozen=True)
class CohortLoaded:
    cohort: Cohort
    outcome: Outcome
    warnings: tuple[str, ...] = ()  # key dates moved to a working day or leaving too little time


def create_cohort(
    code: str,
    path: Path,
    config_dir: Path,
    *,
    session: Session,
    as_of: date,
    history: bool = False,
    rules: RulesDecided | None = None,
) -> CohortLoaded:
    """Validate the region and the cohort file, then load both; idempotent.

    The cohort takes ``config_dir``'s rule files as its own when it is new; ``rules`` are
    rule files a decision gives it instead (the redesign's revised costs), stored as a new
    version of a cohort that exists unless its training year has started.

    A live cohort's new or moved key dates may not lie before ``as_of``, a past cohort
    (``history``) has none after it; a cohort stays live or past once stored. The warnings
    name the lead times the key dates do not leave (see :mod:`rvg.lead_times`).
    """
    region = read_region(config_dir)
    config = read_cohort(code, path, region, history=history)
    stored = find_cohort(code, session=session)
    if stored is not None and stored.historical != history:
        kind = "a past cohort (history)" if stored.historical else "a live cohort"
        flag = "with" if stored.historical else "without"
        raise ConfigError(
            str(path), [f"cohort {code} is stored as {kind}: load it {flag} --history"]
        )
    moved: list[str] = []
    ongoing: list[str] = []  # a new cohort some of whose dates have passed
    if history:
        problems = future_key_dates(config.key_dates, as_of)
    else:
        key_dates, moved = on_working_days(config.key_dates)
        config = config.model_copy(update={"key_dates": key_dates})
        stored_dates = {m.name: m.on for m in stored.milestones} if stored else {}
        problems = past_key_dates(config.key_dates, stored_dates, as_of)
        if stored is None:
            ongoing = passed_key_dates(config.key_dates, as_of)
    if problems:
        raise ConfigError(str(path), problems)
    warnings = () if history else _lead_time_warnings(config, region, config_dir, as_of, session)
    warnings = (*moved, *ongoing, *warnings)
    files = None
    if not history:
        files = dict(rules.files) if rules is not None else checked_rule_files(config_dir)
    load_region(region, session=session)
    cohort, outcome = upsert_cohort(config, region.programme, session=session, historical=history)
    if files is not None:
        warnings = (*warnings, *_keep_own_rules(cohort, files, session, rules, as_of))
        if outcome == "imported" and ongoing:
            cohort.parameters = {**cohort.parameters, LIVE_FROM: as_of.isoformat()}
    return CohortLoaded(cohort, outcome, warnings)


@dataclass(frozen=True)
class RulesDecided:
    """Rule files a decision gives a cohort, and why (the version's reason)."""

    files: Mapping[str, str]
    reason: str


def _keep_own_rules(
    cohort: Cohort,
    files: dict[str, str],
    session: Session,
    decided: RulesDecided | None = None,
    as_of: date | None = None,
) -> list[str]:
    """A new cohort takes ``files`` as its own (version 1); a stored one keeps its version and
    is told where ``config/`` now differs from it, unless a decision gives it new rules: then
    they are its next version, while its training year has not started."""
    current = latest_rule_set(cohort, session=session)
    differ = differing_files(current.files, files) if current is not None else []
    start = cohort.milestone("training_start")
    running = start is not None and as_of is not None and as_of >= start
    if current is None or (decided is not None and differ and not running):
        reason = decided.reason if decided else "created"
        keep_rules(cohort, files, session=session, reason=reason, at=clock.utcnow())
        return []
    if not differ:
        return []
    if decided is not None:
        return [
            f"cohort {cohort.code}'s training year started on {start}; it keeps its rules "
            f"(version {current.version}) although the decision differs in {', '.join(differ)}"
        ]
    return [
        f"cohort {cohort.code} keeps its own rules (version {current.version}); config/ now "
        f"differs in {', '.join(differ)}: see `rvg cohort rules {cohort.code} --diff config`"
    ]


def _lead_time_warnings(
    config: CohortConfig, region: Region, config_dir: Path, as_of: date, session: Session
) -> tuple[str, ...]:
    files = Configs(config_dir)
    found = [
        *schedule_warnings(config.key_dates, as_of, region.programme),
        *supply_shortfalls(
            config.key_dates,
            config.target.max,
            as_of,
            files.procurement,
            files.costs,
            session=session,
            cohort=config.code,
        ),
    ]
    return tuple(shortfall.english for shortfall in found)

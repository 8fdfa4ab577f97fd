"""The unit of work every step runs in: the settings, the configuration (each file read once
until it changes), a session on the migrated database (checked once per database) and,
when asked for, the cohort.

Tasks, CLI commands and the web handlers open one around a service call::

    with unit(cohort="2027") as u:
        drawn = draw_up(u, u.settings.output_dir / "2027")

The session commits when the block ends without an error and rolls back otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.orm import Session

from rvg.db import session_scope
from rvg.errors import UserError
from rvg.migrate import migrated_sessionmaker
from rvg.models import Cohort, CohortRuleSet
from rvg.repositories.cohorts import get_cohort
from rvg.settings import Settings, load_settings

if TYPE_CHECKING:
    from rvg.business_case.costing import CostModel
    from rvg.config.programme import ProgrammeConfig
    from rvg.evaluation.definitions import SurveyDefinitions
    from rvg.recruitment.config import RecruitmentConfig
    from rvg.redesign.rules import RedesignRules
    from rvg.tendering.config import ProcurementConfig
    from rvg.training.config import TrainingRules
    from rvg.training.reminder_rules import ReminderRules

C = TypeVar("C")


@lru_cache(maxsize=64)
def _read(loader: Callable[[Path], C], path: Path, _stamp: tuple[int, int]) -> C:
    return loader(path)


def _load(loader: Callable[[Path], C], path: Path) -> C:
    """The file through its loader, read again only when its size or modification time
    changed (a long-running worker picks up an edited file); a missing file is the loader's
    error, as before."""
    try:
        status = path.stat()
    except OSError:
        return loader(path)
    return _read(loader, path, (status.st_mtime_ns, status.st_size))


@dataclass(frozen=True)
class Configs:
    """The files of ``config/``, each loaded (and validated) on first use. The loaders are
    imported when used, so a command that needs no pandas does not import it.

    ``rules`` is a cohort's own rule set (:mod:`rvg.rule_sets`): the rule files are read from
    there, the region's files (programme, organisations, contracts) from ``folder``."""

    folder: Path
    rules: Path | None = None

    def _rule(self, name: str) -> Path:
        return (self.rules or self.folder) / name

    @property
    def programme(self) -> ProgrammeConfig:
        from rvg.config.programme import load_programme

        return _load(load_programme, self.folder / "programme.yaml")

    @property
    def surveys(self) -> SurveyDefinitions:
        from rvg.evaluation.definitions import load_surveys

        return _load(load_surveys, self._rule("surveys.yaml"))

    @property
    def training(self) -> TrainingRules:
        from rvg.training.config import load_training

        return _load(load_training, self._rule("training.yaml"))

    @property
    def reminders(self) -> ReminderRules:
        from rvg.training.reminder_rules import load_reminder_rules

        return _load(load_reminder_rules, self._rule("reminders.yaml"))

    @property
    def costs(self) -> CostModel:
        from rvg.business_case.costing import load_cost_model

        return _load(load_cost_model, self._rule("costs.yaml"))

    @property
    def procurement(self) -> ProcurementConfig:
        from rvg.tendering.config import load_procurement

        return _load(load_procurement, self.folder / "contracts.yaml")

    @property
    def recruitment(self) -> RecruitmentConfig:
        from rvg.recruitment.config import load_recruitment

        return _load(load_recruitment, self._rule("recruitment.yaml"))

    @property
    def redesign(self) -> RedesignRules:
        from rvg.redesign.rules import load_rules

        return _load(load_rules, self._rule("redesign.yaml"))


@dataclass(frozen=True)
class Unit:
    settings: Settings
    session: Session
    _cohort: Cohort | None = None
    # the folder of each cohort's rule set, by cohort id, once looked up in this unit
    _rule_folders: dict[int, Path] = field(default_factory=dict, compare=False, repr=False)

    @property
    def config(self) -> Configs:
        """The configuration; with a live cohort, that cohort's own rule set."""
        if self._cohort is None:
            return Configs(self.settings.config_dir)
        return self.config_of(self._cohort)

    def config_of(self, cohort: Cohort) -> Configs:
        """The configuration with ``cohort``'s own rules (a past cohort has none): the unit's
        cohort, or one a step finds on the way (the survey form, through the invitation behind
        its token). Each cohort's rule set is looked up once per unit."""
        if cohort.historical:
            return Configs(self.settings.config_dir)
        if cohort.id not in self._rule_folders:
            from rvg.rule_sets import rules_folder

            root = self.settings.data_dir / "rules"
            self._rule_folders[cohort.id] = rules_folder(self.rule_set(cohort), root)
        return Configs(self.settings.config_dir, self._rule_folders[cohort.id])

    def rule_set(self, cohort: Cohort | None = None) -> CohortRuleSet:
        """The rule set ``cohort`` (default: the unit's) runs on; one stored before rule sets
        existed adopts the files of ``config/`` here."""
        from rvg.rule_sets import adopted_rules

        cohort = cohort or self.cohort
        if cohort.historical:
            raise UserError(f"cohort {cohort.code} is a past cohort (history); it has no rules")
        return adopted_rules(cohort, self.settings.config_dir, session=self.session)

    def send_at(self, when: date | datetime) -> datetime:
        """When e-mail meant for ``when`` goes out to people outside the team: in the
        programme's mail hours on a working day (``config/programme.yaml``, ``mail_hours``)."""
        return self.config.programme.mail_hours.send_at(when, self.settings.zone)

    @property
    def cohort(self) -> Cohort:
        if self._cohort is None:
            raise RuntimeError("this unit of work was opened without a cohort")
        return self._cohort


@contextmanager
def unit(cohort: str | None = None, *, settings: Settings | None = None) -> Iterator[Unit]:
    """Settings from the environment (unless given), a session in one transaction, and the
    cohort (a NotFound user error when ``cohort`` names none)."""
    settings = settings or load_settings()
    with session_scope(migrated_sessionmaker(settings)) as session:
        loaded = get_cohort(cohort, session=session) if cohort is not None else None
        yield Unit(settings, session, loaded)

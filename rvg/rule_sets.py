"""Each cohort's own rules: the rule files it was created (or last decided) with, kept as a
versioned set in the database, so editing ``config/`` for the next cohort changes nothing for
a cohort already running.

The rule files are those that decide how one cohort is run: its costs, recruitment limits,
redesign norms, reminders, survey rounds and questions, and training schedule
(``RULE_FILES``). The region's files stay shared by every cohort: ``programme.yaml`` (tracks,
contact, mail hours), ``organisations.csv`` and ``contracts.yaml`` (the contract register is
one for all cohorts).

The database holds the texts; a worker reads them from a folder named after their digest under
``RVG_DATA_DIR/rules/``, written once (atomically) and never changed, so any process on any
machine reads the same version and the configuration loaders need no second code path.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg import clock
from rvg.errors import ConfigError
from rvg.models import Cohort, CohortRuleSet

RULE_FILES = (
    "costs.yaml",
    "recruitment.yaml",
    "redesign.yaml",
    "reminders.yaml",
    "surveys.yaml",
    "training.yaml",
)
MAX_RULE_FILE_BYTES = 1_000_000


def read_rule_files(config_dir: Path) -> dict[str, str]:
    """The texts of the rule files in ``config_dir``; a missing or unreadable one is named."""
    files, problems = {}, []
    for name in RULE_FILES:
        path = config_dir / name
        try:
            if path.stat().st_size > MAX_RULE_FILE_BYTES:
                problems.append(f"{name}: larger than {MAX_RULE_FILE_BYTES:,} bytes")
                continue
            files[name] = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            problems.append(f"{name}: missing")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{name}: cannot be read ({exc})")
    if problems:
        raise ConfigError(str(config_dir), problems)
    return files


def checked_rule_files(config_dir: Path) -> dict[str, str]:
    """The rule files of ``config_dir`` once each loads and validates (the loaders' own
    errors name the file, the field and the problem), so no cohort takes a broken version."""
    from rvg.unit import Configs  # the unit reads rule sets: imported here, not at the top

    configs = Configs(config_dir)
    _ = (
        configs.costs,
        configs.recruitment,
        configs.redesign,
        configs.reminders,
        configs.surveys,
        configs.training,
    )
    return read_rule_files(config_dir)


def digest_of(files: Mapping[str, str]) -> str:
    """SHA-256 over the files in name order, each name and text length-prefixed."""
    sha = hashlib.sha256()
    for name in sorted(files):
        for part in (name.encode(), files[name].encode("utf-8")):
            sha.update(len(part).to_bytes(8, "big") + part)
    return sha.hexdigest()


def rule_sets_of(cohort: Cohort, *, session: Session) -> list[CohortRuleSet]:
    """Every version of the cohort's rules, oldest first."""
    return list(
        session.scalars(
            select(CohortRuleSet)
            .where(CohortRuleSet.cohort_id == cohort.id)
            .order_by(CohortRuleSet.version)
        )
    )


def latest_rule_set(cohort: Cohort, *, session: Session) -> CohortRuleSet | None:
    return session.scalar(
        select(CohortRuleSet)
        .where(CohortRuleSet.cohort_id == cohort.id)
        .order_by(CohortRuleSet.version.desc())
        .limit(1)
    )


def keep_rules(
    cohort: Cohort, files: Mapping[str, str], *, session: Session, reason: str, at: datetime
) -> tuple[CohortRuleSet, bool]:
    """The cohort's latest rule set when it holds ``files``, else a new version of them;
    True when a version was added."""
    latest = latest_rule_set(cohort, session=session)
    digest = digest_of(files)
    if latest is not None and latest.digest == digest:
        return latest, False
    added = CohortRuleSet(
        cohort=cohort,  # appended to cohort.rule_sets too, so a loaded list is not stale
        version=(latest.version + 1) if latest else 1,
        digest=digest,
        files=dict(files),
        reason=reason[:200],
        taken_at=at,
    )
    session.add(added)
    session.flush()
    return added, True


def rules_folder(rule_set: CohortRuleSet, root: Path) -> Path:
    """The folder holding ``rule_set``'s files, written the first time it is asked for."""
    folder = root / rule_set.digest
    if folder.is_dir():
        return folder
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{rule_set.digest[:12]}-", dir=root))
    try:
        for name, text in rule_set.files.items():
            if name not in RULE_FILES:  # only the known names: never a path from the database
                continue
            (staging / name).write_text(text, encoding="utf-8")
        os.rename(staging, folder)
    except OSError:
        if not folder.is_dir():  # another process wrote it first: use theirs
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def rules_diff(ours: Mapping[str, str], theirs: Mapping[str, str], a: str, b: str) -> list[str]:
    """A unified diff per rule file that differs, labelled ``a/<file>`` and ``b/<file>``."""
    lines: list[str] = []
    for name in sorted(set(ours) | set(theirs)):
        lines += difflib.unified_diff(
            ours.get(name, "").splitlines(keepends=True),
            theirs.get(name, "").splitlines(keepends=True),
            fromfile=f"{a}/{name}",
            tofile=f"{b}/{name}",
        )
    return lines


def differing_files(ours: Mapping[str, str], theirs: Mapping[str, str]) -> list[str]:
    return sorted(name for name in set(ours) | set(theirs) if ours.get(name) != theirs.get(name))


def adopted_rules(cohort: Cohort, config_dir: Path, *, session: Session) -> CohortRuleSet:
    """The cohort's latest rule set; a cohort stored before rule sets existed adopts the
    files of ``config_dir`` it has been running on, once."""
    latest = latest_rule_set(cohort, session=session)
    if latest is not None:
        return latest
    files = read_rule_files(config_dir)
    adopted, _ = keep_rules(
        cohort,
        files,
        session=session,
        reason="adopted: the rules in config/ when first read",
        at=clock.utcnow(),
    )
    return adopted

"""Copies of the real ``config/`` folder that a test may spoil."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from rvg.settings import PROJECT_ROOT

REAL_CONFIG = PROJECT_ROOT / "config"
# A day before cohort 2027's first key date: the day its file is loaded on in tests.
BEFORE_2027 = date(2026, 6, 1)


def copy_config(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(REAL_CONFIG, target)
    return target


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")

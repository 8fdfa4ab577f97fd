"""Running the real ``rvg`` command in a subprocess, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from rvg.settings import PROJECT_ROOT


def run_rvg(
    *args: str, database_url: str, cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "RVG_DATABASE_URL": database_url, **env}
    return subprocess.run(
        [sys.executable, "-m", "rvg", *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=cwd or PROJECT_ROOT,
        timeout=120,
        check=False,
    )


def plain(text: str) -> str:
    """Command output as one line of words: the frame and line breaks of Typer's error box
    (which wraps a long message anywhere) taken out."""
    return " ".join(text.translate(str.maketrans("", "", "│╭╮╰╯─")).split())

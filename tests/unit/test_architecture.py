"""House rules the import contracts (`lint-imports` in `make lint`, pyproject.toml) cannot
see: importing all of rvg at run time loads no Prefect, and only rvg.clock reads the clock."""

import ast
import subprocess
import sys
from pathlib import Path

from rvg.settings import PROJECT_ROOT

LAYERS = ("rvg", "flows", "tasks", "deployments")
CLOCK_CALLS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
}


def _sources(package: str) -> list[Path]:
    return sorted((PROJECT_ROOT / package).rglob("*.py"))


def test_importing_all_of_rvg_does_not_load_prefect():
    script = (
        "import importlib, pkgutil, sys, rvg\n"
        "for m in pkgutil.walk_packages(rvg.__path__, 'rvg.'):\n"
        "    if m.name != 'rvg.__main__': importlib.import_module(m.name)\n"
        "upper = {'prefect', 'flows', 'tasks'}\n"
        "loaded = sorted(n for n in sys.modules if n.split('.')[0] in upper)\n"
        "print(len(list(pkgutil.walk_packages(rvg.__path__, 'rvg.'))), loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    count, loaded = result.stdout.strip().split(" ", 1)
    assert int(count) > 20
    assert loaded == "[]"


def test_only_the_clock_reads_the_time():
    offenders = []
    for package in LAYERS:
        for path in _sources(package):
            if path == PROJECT_ROOT / "rvg" / "clock.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)
                    and (node.func.value.id, node.func.attr) in CLOCK_CALLS
                ):
                    offenders.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}")
    assert offenders == []

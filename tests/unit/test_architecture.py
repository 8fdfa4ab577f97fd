"""The house rules (arrows point down, rvg never imports Prefect), checked on the source itself."""

import ast
import subprocess
import sys
from pathlib import Path

from rvg.settings import PROJECT_ROOT

LAYERS = ("rvg", "flows", "tasks", "deployments")
UPPER_LAYERS = {
    "rvg": {"prefect", "flows", "tasks", "deployments"},
    "tasks": {"flows", "deployments"},
}
CLOCK_CALLS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
}


def _sources(package: str) -> list[Path]:
    return sorted((PROJECT_ROOT / package).rglob("*.py"))


def _imported_roots(tree: ast.AST) -> set[str]:
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_arrows_point_down():
    violations = []
    for package, forbidden in UPPER_LAYERS.items():
        for path in _sources(package):
            wrong = _imported_roots(ast.parse(path.read_text(encoding="utf-8"))) & forbidden
            if wrong:
                violations.append(f"{path.relative_to(PROJECT_ROOT)} imports {sorted(wrong)}")
    assert violations == []


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

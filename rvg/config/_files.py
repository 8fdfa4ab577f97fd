"""Shared file reading for the config loaders: YAML and pydantic errors as ConfigError."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from rvg.errors import ConfigError

M = TypeVar("M", bound=BaseModel)


class _TextDatesLoader(yaml.SafeLoader):
    """Leaves dates as text, so pydantic validates them and names the field when one is wrong."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def describe_errors(exc: ValidationError, prefix: str = "") -> list[str]:
    """Pydantic errors as ``field 'a.b': message`` lines, in the user's terms."""
    problems = []
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"]) or "(file)"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "missing":
            message = "is required but missing"
        elif error["type"] == "extra_forbidden":
            message = "is not a known field"
        problems.append(f"{prefix}field '{field}': {message}")
    return problems


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), ["file not found"]) from None
    except UnicodeDecodeError:
        raise ConfigError(str(path), ["file is not UTF-8 text"]) from None
    try:
        data = yaml.load(text, Loader=_TextDatesLoader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(str(path), [f"{where}not valid YAML ({problem})"]) from None
    if not isinstance(data, dict):
        raise ConfigError(str(path), ["expected a mapping of fields at the top level"])
    return data


def load_model(path: Path, model: type[M], context: dict[str, Any] | None = None) -> M:
    """Validate a YAML file against ``model``; every problem is reported, none written."""
    data = read_yaml(path)
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise ConfigError(str(path), describe_errors(exc)) from None

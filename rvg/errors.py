"""Errors a user can act on: the CLI prints them without a traceback and exits non-zero."""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input or environment, described in words the user can act on."""

    exit_code = 2


class ConfigError(UserError):
    """A configuration or import file is invalid; the message names the file, row and field."""

    def __init__(self, file: str, problems: list[str]) -> None:
        self.file = file
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{file}: {len(problems)} problem(s)\n{lines}")


class NotFound(UserError):
    """A record the user named (a cohort code, an organisation) does not exist."""

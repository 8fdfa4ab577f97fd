"""Options several commands share, parsed in one place."""

from __future__ import annotations

from datetime import datetime

import typer

from rvg import clock
from rvg.settings import load_settings


def as_of_option(value: str | None) -> datetime | None:
    """``--as-of`` as an aware datetime in the programme's time zone; None when not given."""
    if value is None:
        return None
    try:
        return clock.parse_as_of(value, load_settings().zone)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--as-of") from None

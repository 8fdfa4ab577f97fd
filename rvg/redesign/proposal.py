"""The proposal for the next cohort: a cohort file with key dates planned forward from the
day it is made (:func:`rvg.lead_times.forward_key_dates`), sized by this cohort's actuals.

The expected size is the expected number of organisations that sign up
times the placements each signed-up organisation produced this time; the sign-ups continue
their trend when the previous cohort is known. The target range lies ``margin`` percent
around that size and never below the smallest cohort the cost model allows.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from rvg.models import Cohort
from rvg.redesign.rules import Actuals


def cohort_file_content(cohort: Cohort) -> dict[str, Any]:
    """A stored cohort as the content of its cohort file."""
    return {
        "code": cohort.code,
        "name": cohort.name,
        "tracks": [track.track_code for track in cohort.tracks],
        "target_participants": {
            "min": cohort.target_participants_min,
            "max": cohort.target_participants_max,
        },
        "organisations": (cohort.parameters or {}).get("organisations", "all"),
        "key_dates": {m.name: m.on for m in sorted(cohort.milestones, key=lambda m: m.on)},
    }


def next_code(code: str, year_offset: int = 1) -> str:
    """``2027`` → ``2028``; a code that is not a year gets a ``-next`` suffix."""
    return str(int(code) + year_offset) if code.isdigit() else f"{code[:11]}-next"


def expected_size(actuals: Actuals, minimum: int) -> int:
    """Expected sign-ups (with their trend) times placements per sign-up, at least ``minimum``."""
    if actuals.signups and actuals.placements:
        signups = actuals.signups
        if actuals.previous_signups is not None:
            signups = max(1, 2 * actuals.signups - actuals.previous_signups)
        size = round(signups * actuals.placements / actuals.signups)
    else:
        size = actuals.placements or actuals.planned_participants
    return max(size, minimum)


def target_range(actuals: Actuals, minimum: int, margin: float) -> tuple[int, int]:
    """``margin`` percent around the expected size, never below ``minimum``."""
    size = expected_size(actuals, minimum)
    low = max(minimum, round(size * (1 - margin / 100)))
    return low, max(low, round(size * (1 + margin / 100)))


def next_cohort(
    cohort: Cohort | Mapping[str, Any],
    actuals: Actuals,
    key_dates: Mapping[str, date],
    year_offset: int = 1,
    *,
    minimum: int = 12,
    margin: float = 20,
) -> dict[str, Any]:
    """The content of the cohort file ``year_offset`` years on (``rvg cohort create`` accepts
    it), with the ``key_dates`` planned for it."""
    current = cohort_file_content(cohort) if isinstance(cohort, Cohort) else dict(cohort)
    code = str(current["code"])
    new_code = next_code(code, year_offset)
    name = str(current["name"])
    new_name = name.replace(code, new_code) if code in name else f"{name} ({new_code})"
    low, high = target_range(actuals, minimum, margin)
    return {
        "code": new_code,
        "name": new_name,
        "tracks": list(current["tracks"]),
        "target_participants": {"min": low, "max": high},
        "organisations": "all",
        "key_dates": dict(sorted(key_dates.items(), key=lambda kv: (kv[1], kv[0]))),
    }


def key_dates_of(cohort: Cohort | Mapping[str, Any]) -> dict[str, date]:
    """A stored cohort's or a cohort file's key dates, as dates."""
    current = cohort_file_content(cohort) if isinstance(cohort, Cohort) else dict(cohort)
    return {key: _as_date(day) for key, day in current["key_dates"].items()}


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def cohort_file_text(content: Mapping[str, Any], header: str = "") -> str:
    """YAML in the style of ``config/cohorts/*.yaml``: dates ISO, code quoted, keys in order."""
    comments = "".join(f"# {line}\n".replace("# \n", "#\n") for line in header.splitlines())
    body = yaml.safe_dump(
        {**content, "code": str(content["code"])},
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
    )
    return comments + body


def write_cohort_file(content: Mapping[str, Any], path: Path, header: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(cohort_file_text(content, header), encoding="utf-8")
    return path

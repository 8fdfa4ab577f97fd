"""The proposal for the next cohort: a cohort file with key dates planned forward from the
day it is made (:func:`rvg.lead_times.forward_key_dates`), sized by this cohort's actuals.

The expected size is the expected number of organisations that sign up
times the placements each signed-up organisation produced this time; the sign-ups continue
their trend when the previous cohort is known. Without that trend, the cohorts before this
one (recorded history, earlier live cohorts) temper it: the estimate is the mean of this
cohort's and theirs. The target range lies ``margin`` percent around that size and never
below the smallest cohort the cost model allows. The estimate says where it comes from.

A lesson moves a key date: fewer organisations signed up than wanted, so the next sign-up
opens ``signup_weeks_earlier`` weeks earlier (never before the day of the proposal, and a
week after the business case decision at the earliest).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from rvg.dutch import number
from rvg.history import PastCohort
from rvg.models import Cohort
from rvg.redesign.rules import Actuals
from rvg.workdays import next_working_day

LESSON = "lesson"  # a key date a finding moved (next to rvg.lead_times' sources)
CURRENT = "current"  # a running next cohort's key date, as it stands


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


@dataclass(frozen=True)
class SizeEstimate:
    """The next cohort's expected size, and in Dutch where that figure comes from."""

    size: int
    source: str


def size_estimate(
    actuals: Actuals, minimum: int, history: Sequence[PastCohort] = ()
) -> SizeEstimate:
    """Expected sign-ups (with their trend) times placements per sign-up; without a trend,
    the mean of that and the sizes of the cohorts before (``history``); at least ``minimum``."""
    if actuals.signups and actuals.placements:
        per = actuals.placements / actuals.signups
        signups = actuals.signups
        yield_ = f"{number(per, 2)} plaatsingen per aangemelde organisatie"
        if actuals.previous_signups is not None:
            signups = max(1, 2 * actuals.signups - actuals.previous_signups)
            why = (
                f"trend van de aanmeldingen: {actuals.previous_signups} in de vorige "
                f"lichting, {actuals.signups} in deze, dus {signups} verwacht; {yield_}"
            )
        else:
            why = f"{actuals.signups} aanmeldingen van deze lichting; {yield_}"
        size = round(signups * per)
    elif actuals.placements:
        size, why = actuals.placements, f"de {actuals.placements} plaatsingen van deze lichting"
    else:
        size = actuals.planned_participants
        why = f"de geplande omvang van deze lichting ({size}): nog geen plaatsingen"
    sizes = [(c, c.participants) for c in history if c.participants]
    if actuals.previous_signups is None and sizes:
        mean = sum(n for _, n in sizes) / len(sizes)
        listed = ", ".join(f"{c.name} {n}{' (historie)' if c.historical else ''}" for c, n in sizes)
        why += (
            f" ({size} deelnemers), gemiddeld met de lichtingen ervoor ({listed}; gemiddeld "
            f"{number(mean, 1)})"
        )
        size = round((size + mean) / 2)
    if size < minimum:
        why += f"; verhoogd tot het minimum van {minimum} deelnemers (kleinste scenario)"
    return SizeEstimate(max(size, minimum), why)


def expected_size(actuals: Actuals, minimum: int, history: Sequence[PastCohort] = ()) -> int:
    return size_estimate(actuals, minimum, history).size


def target_range(
    actuals: Actuals, minimum: int, margin: float, history: Sequence[PastCohort] = ()
) -> tuple[int, int]:
    """``margin`` percent around the expected size, never below ``minimum``."""
    size = expected_size(actuals, minimum, history)
    low = max(minimum, round(size * (1 - margin / 100)))
    return low, max(low, round(size * (1 + margin / 100)))


def lesson_moves(
    dates: Mapping[str, date], found: Sequence[str], weeks_earlier: int, as_of: date
) -> dict[str, date]:
    """The key dates a finding moves: too few sign-ups open the next sign-up earlier."""
    opens, decided = dates.get("signup_opens"), dates.get("business_case_decision")
    if "signups" not in found or not weeks_earlier or opens is None:
        return {}
    floor = max(as_of, decided + timedelta(days=7) if decided else as_of)
    earlier = max(opens - timedelta(weeks=weeks_earlier), floor)
    moved = next_working_day(earlier)
    return {"signup_opens": moved} if moved < opens else {}


def next_cohort(
    cohort: Cohort | Mapping[str, Any],
    actuals: Actuals,
    key_dates: Mapping[str, date],
    year_offset: int = 1,
    *,
    minimum: int = 12,
    margin: float = 20,
    history: Sequence[PastCohort] = (),
) -> dict[str, Any]:
    """The content of the cohort file ``year_offset`` years on (``rvg cohort create`` accepts
    it), with the ``key_dates`` planned for it."""
    current = cohort_file_content(cohort) if isinstance(cohort, Cohort) else dict(cohort)
    code = str(current["code"])
    new_code = next_code(code, year_offset)
    name = str(current["name"])
    new_name = name.replace(code, new_code) if code in name else f"{name} ({new_code})"
    low, high = target_range(actuals, minimum, margin, history)
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

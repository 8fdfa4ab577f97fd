"""Retention figures per cohort: who still works for a public organisation 12 and 24 months
after the start, permanent appointments after the training year, and drop-outs.

Counts are cohort-level and never list a person: drop-outs are tallied by reason and,
separately, by the month of the training year they left in, so no row pairs a reason with a
moment. Percentages are taken over the *known* answers (``None`` is unknown and reported as a
count of its own) and withheld when fewer than ``min_group_size`` answers are known, the same
small-group rule the survey reports follow. A cohort with fewer placements than that shows
no drop-out reasons or timing at all, only the number of drop-outs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

DROPPED_OUT = "dropped_out"
UNKNOWN_REASON = "onbekend"


@dataclass(frozen=True)
class PlacementOutcome:
    """What retention needs of a placement; no participant, buddy or organisation."""

    cohort: str
    starts_on: date
    status: str
    ended_on: date | None = None
    drop_out_reason: str | None = None
    permanent_appointment: bool | None = None
    working_in_public_sector_12m: bool | None = None
    working_in_public_sector_24m: bool | None = None


def month_of_training_year(starts_on: date, ended_on: date) -> int:
    """1 for leaving in the first month after the start, 12 in the last, 13+ after the year."""
    elapsed = relativedelta(ended_on, starts_on)
    return elapsed.years * 12 + elapsed.months + 1


def known_share(values: list[bool | None], min_group_size: int) -> dict[str, Any]:
    """Yes, no and unknown counts; the percentage yes of the known, if enough are known."""
    yes = sum(v is True for v in values)
    no = sum(v is False for v in values)
    known = yes + no
    percent = round(100 * yes / known, 1) if known >= min_group_size else None
    return {"yes": yes, "no": no, "unknown": len(values) - known, "percent": percent}


def retention_figures(
    outcomes: Iterable[PlacementOutcome], min_group_size: int = 5
) -> list[dict[str, Any]]:
    """One dict per cohort (in code order) with its retention figures."""
    by_cohort: dict[str, list[PlacementOutcome]] = {}
    for outcome in outcomes:
        by_cohort.setdefault(outcome.cohort, []).append(outcome)
    return [
        _cohort_figures(cohort, by_cohort[cohort], min_group_size) for cohort in sorted(by_cohort)
    ]


def _cohort_figures(
    cohort: str, placements: list[PlacementOutcome], min_group_size: int
) -> dict[str, Any]:
    dropped = [p for p in placements if p.status == DROPPED_OUT]
    stayed = [p for p in placements if p.status != DROPPED_OUT]
    detailed = len(placements) >= min_group_size
    reasons = Counter((p.drop_out_reason or "").strip() or UNKNOWN_REASON for p in dropped)
    months = Counter(
        month_of_training_year(p.starts_on, p.ended_on) for p in dropped if p.ended_on is not None
    )
    return {
        "cohort": cohort,
        "placements": len(placements),
        "public_sector_12m": known_share(
            [p.working_in_public_sector_12m for p in placements], min_group_size
        ),
        "public_sector_24m": known_share(
            [p.working_in_public_sector_24m for p in placements], min_group_size
        ),
        "permanent_appointment": known_share(
            [p.permanent_appointment for p in stayed], min_group_size
        ),
        "drop_outs": len(dropped),
        "drop_out_reasons": sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
        if detailed
        else [],
        "drop_out_months": sorted(months.items()) if detailed else [],
        "details_withheld": not detailed and bool(dropped),
    }

"""Rules of commitment collection: when to remind, how to count, go or no-go."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from pydantic import BaseModel, Field


def due_reminder(offsets: Iterable[int], deadline: date, day: date) -> int | None:
    """The most recent reminder due on ``day`` (days before the deadline), or None.

    Reminders missed because the flow did not run are not sent late: only the latest one.
    """
    due = [offset for offset in offsets if deadline - timedelta(days=offset) <= day <= deadline]
    return min(due) if due else None


@dataclass(frozen=True)
class OrganisationAnswer:
    organisation: str
    region: str
    status: str  # invited, committed, declined, withdrawn
    vacancies: dict[str, int] = field(default_factory=dict)


@dataclass
class RegionCount:
    invited: int = 0
    responded: int = 0
    yes: int = 0
    no: int = 0
    vacancies: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class CommitmentCounts:
    regions: dict[str, RegionCount]
    total: RegionCount

    def table(self, tracks: list[str]) -> list[dict[str, object]]:
        """Rows for a table artifact: one per region and a total."""
        rows = []
        for name, count in [*sorted(self.regions.items()), ("Totaal", self.total)]:
            row: dict[str, object] = {
                "regio": name,
                "uitgenodigd": count.invited,
                "gereageerd": count.responded,
                "ja": count.yes,
                "nee": count.no,
            }
            row |= {f"vacatures {track}": count.vacancies.get(track, 0) for track in tracks}
            rows.append(row)
        return rows


def count_answers(answers: Iterable[OrganisationAnswer]) -> CommitmentCounts:
    regions: dict[str, RegionCount] = {}
    total = RegionCount()
    for answer in answers:
        for count in (regions.setdefault(answer.region, RegionCount()), total):
            count.invited += 1
            if answer.status != "invited":
                count.responded += 1
            if answer.status == "committed":
                count.yes += 1
                count.vacancies.update(answer.vacancies)
            elif answer.status in ("declined", "withdrawn"):
                count.no += 1
    return CommitmentCounts(regions=regions, total=total)


def go_by_rule(organisations_committed: int, minimum: int) -> bool:
    """The programme needs at least ``minimum`` organisations (default 12) to go ahead."""
    return organisations_committed >= minimum


class GoNoGoDecision(BaseModel):
    """The steering group's go/no-go after the sign-up deadline."""

    go: bool = Field(description="Gaat de lichting door?")
    comment: str = Field(min_length=1, max_length=2000, description="Toelichting van het besluit")
    decided_by: str = Field(min_length=2, max_length=200, description="Wie besloot (naam, rol)")

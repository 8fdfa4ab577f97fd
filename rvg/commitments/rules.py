"""Rules of commitment collection: when to remind, how to count, go or no-go."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from pydantic import BaseModel, Field

from rvg.dutch import listed


def due_reminder(offsets: Iterable[int], deadline: date, day: date) -> int | None:
    """The most recent reminder due on ``day`` (days before the deadline), or None.

    Reminders missed because the flow did not run are not sent late: only the latest one.
    """
    due = [offset for offset in offsets if deadline - timedelta(days=offset) <= day <= deadline]
    return min(due) if due else None


# The organisation kinds in Dutch, one and many, for the go/no-go's texts.
KIND_NAMES: dict[str, tuple[str, str]] = {
    "municipality": ("gemeente", "gemeenten"),
    "water_board": ("waterschap", "waterschappen"),
    "environmental_service": ("omgevingsdienst", "omgevingsdiensten"),
    "province": ("provincie", "provincies"),
}


def kinds_in_dutch(kinds: Iterable[str], count: int = 2) -> str:
    """``12 gemeenten``, ``1 gemeente``, ``12 gemeenten en waterschappen``, ``1 gemeente of
    waterschap``: a number of the organisation kinds the go/no-go counts."""
    one = count == 1
    names = [KIND_NAMES.get(kind, (kind, kind))[0 if one else 1] for kind in kinds]
    return f"{count} {listed(names, 'of' if one else 'en')}"


@dataclass(frozen=True)
class OrganisationAnswer:
    organisation: str
    region: str
    status: str  # invited, committed, declined, withdrawn
    vacancies: dict[str, int] = field(default_factory=dict)
    kind: str = "municipality"


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


def committed_of_kinds(answers: Iterable[OrganisationAnswer], kinds: Iterable[str]) -> int:
    """How many organisations of ``kinds`` take part: what the go/no-go rule counts."""
    wanted = set(kinds)
    return sum(1 for a in answers if a.status == "committed" and a.kind in wanted)


def go_by_rule(organisations_counted: int, minimum: int) -> bool:
    """The programme needs at least ``minimum`` organisations of the counted kinds (by default
    twelve municipalities: the number of participants depends on the municipalities)."""
    return organisations_counted >= minimum


class GoNoGoDecision(BaseModel):
    """The steering group's go/no-go after the sign-up deadline."""

    go: bool = Field(description="Gaat de lichting door?")
    comment: str = Field(min_length=1, max_length=2000, description="Toelichting van het besluit")
    decided_by: str = Field(min_length=2, max_length=200, description="Wie besloot (naam, rol)")

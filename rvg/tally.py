"""Counts of what an import or load did, printed as the last line of a command."""

from __future__ import annotations

from dataclasses import dataclass

FIELDS = ("imported", "updated", "unchanged", "rejected")


@dataclass
class Tally:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    def count(self, outcome: str) -> None:
        """Add one ``imported``, ``updated``, ``unchanged`` or ``rejected``."""
        setattr(self, outcome, getattr(self, outcome) + 1)

    @classmethod
    def sum(cls, tallies: list[Tally]) -> Tally:
        return cls(*(sum(getattr(t, name) for t in tallies) for name in FIELDS))

    def line(self) -> str:
        return (
            f"imported={self.imported} updated={self.updated} "
            f"unchanged={self.unchanged} rejected={self.rejected}"
        )

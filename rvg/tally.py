"""Counts of what an import or load did, printed as the last line of a command."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Tally:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    def count(self, outcome: str) -> None:
        """Add one ``imported``, ``updated``, ``unchanged`` or ``rejected``."""
        setattr(self, outcome, getattr(self, outcome) + 1)

    def line(self) -> str:
        return (
            f"imported={self.imported} updated={self.updated} "
            f"unchanged={self.unchanged} rejected={self.rejected}"
        )

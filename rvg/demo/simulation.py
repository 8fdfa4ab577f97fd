"""What a simulated cycle is (the flow parameter) and its sizes: light enough for the cycle
flow to import at start-up; the world that plays it (Faker, HTTP) is in ``rvg.demo.world``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

Scale = Literal["brabant", "national"]


@dataclass(frozen=True)
class ScaleFigures:
    """The size of a demo cohort, in line with the programme's published figures."""

    joining: tuple[int, int]  # organisations that sign up
    places: tuple[int, int]  # vacancies they offer in all
    applicants: int


SCALES: dict[str, ScaleFigures] = {
    "brabant": ScaleFigures(joining=(12, 25), places=(26, 30), applicants=300),
    "national": ScaleFigures(joining=(95, 130), places=(400, 430), applicants=5000),
}


MAX_COHORTS = 4  # a demo's overlapping cohorts: each after the first adds a year of calendar


class Simulation(BaseModel):
    """How the cycle's outside world is played: only for ``rvg demo`` and benchmarks."""

    scale: Scale = "brabant"
    seed: int = 2027
    maildir: Path
    show_progress: bool = False


class WebClock:
    """The web app's "now" in the demo, moved along with the simulated days."""

    def __init__(self) -> None:
        self.moment: datetime | None = None

    def __call__(self) -> datetime:
        if self.moment is None:
            raise RuntimeError("the demo's web clock has not been set")
        return self.moment


WEB_CLOCK = WebClock()

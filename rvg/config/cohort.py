"""``config/cohorts/<code>.yaml``: one cohort's tracks, size and key dates.

A past cohort is recorded as history (``config/history/<code>.yaml``, loaded with ``rvg cohort
create --history``): its key dates and size may be unknown, and it carries its published
outcomes, each with the source of the figure and whether it was derived from other figures.
Only a historical cohort has outcomes; a live cohort's figures come from its own records.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from rvg.config._files import load_model
from rvg.config.organisations import OrganisationRow
from rvg.config.programme import ProgrammeConfig
from rvg.models.cohorts import Measure

# The key dates every cohort needs, in the order they must fall.
REQUIRED_KEY_DATES = (
    "signup_opens",
    "signup_deadline",
    "recruitment_opens",
    "meet_and_greet",
    "training_start",
)


class ParticipantRange(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min: int = Field(ge=1)
    max: int = Field(ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> ParticipantRange:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is larger than max ({self.max})")
        return self


class OutcomeFigure(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    value: int = Field(ge=0, le=1_000_000)
    source: str = Field(min_length=2, max_length=500)
    derived: bool = False  # computed from other published figures, not published itself


def _history(info: ValidationInfo) -> bool:
    return bool((info.context or {}).get("history"))


class CohortConfig(BaseModel):
    """A cohort file, checked against the programme (tracks) and the organisations it names.

    Validated with ``context={"history": True}`` it is a past cohort: key dates, tracks and
    the target may be left out, and ``outcomes`` may be given.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$")
    name: str = Field(min_length=2, max_length=200)
    tracks: list[str] = Field(default_factory=list)
    target_participants: ParticipantRange | None = None
    min_organisations: int | None = Field(default=None, ge=1)
    organisations: Literal["all"] | list[str] = "all"
    key_dates: dict[str, date] = Field(default_factory=dict)
    outcomes: dict[Measure, OutcomeFigure] = Field(default_factory=dict)

    @field_validator("code", mode="before")
    @classmethod
    def _code_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value

    @field_validator("key_dates")
    @classmethod
    def _required_and_chronological(
        cls, dates: dict[str, date], info: ValidationInfo
    ) -> dict[str, date]:
        missing = [name for name in REQUIRED_KEY_DATES if name not in dates]
        if missing and not _history(info):
            raise ValueError(f"required key date(s) missing: {', '.join(missing)}")
        known = [name for name in REQUIRED_KEY_DATES if name in dates]
        for earlier, later in pairwise(known):
            if dates[earlier] >= dates[later]:
                raise ValueError(f"{earlier} must fall before {later}")
        return dict(sorted(dates.items(), key=lambda item: (item[1], item[0])))

    @field_validator("outcomes")
    @classmethod
    def _only_for_history(
        cls, outcomes: dict[Measure, OutcomeFigure], info: ValidationInfo
    ) -> dict[Measure, OutcomeFigure]:
        if outcomes and not _history(info):
            raise ValueError(
                "outcomes are recorded only for a past cohort: load the file with --history"
            )
        return outcomes

    @field_validator("tracks")
    @classmethod
    def _known_tracks(cls, tracks: list[str], info: ValidationInfo) -> list[str]:
        programme: ProgrammeConfig | None = (info.context or {}).get("programme")
        codes = []
        for track in tracks:
            known = programme.track(track) if programme else None
            if programme and known is None:
                valid = ", ".join(t.code for t in programme.tracks)
                raise ValueError(f"unknown track {track!r}; valid: {valid}")
            codes.append(known.code if known else track)
        if len(set(codes)) != len(codes):
            raise ValueError("a track is listed twice")
        return codes

    @field_validator("organisations")
    @classmethod
    def _known_organisations(
        cls, organisations: Literal["all"] | list[str], info: ValidationInfo
    ) -> Literal["all"] | list[str]:
        rows: list[OrganisationRow] | None = (info.context or {}).get("organisations")
        if organisations == "all" or rows is None:
            return organisations
        by_key = {r.code.casefold(): r.code for r in rows} | {
            r.name.casefold(): r.code for r in rows
        }
        unknown = [name for name in organisations if name.strip().casefold() not in by_key]
        if unknown:
            raise ValueError(f"unknown organisation(s): {', '.join(map(repr, unknown))}")
        return sorted({by_key[name.strip().casefold()] for name in organisations})

    @model_validator(mode="after")
    def _complete(self, info: ValidationInfo) -> CohortConfig:
        if not _history(info) and not self.tracks:
            raise ValueError("tracks: a cohort needs at least one track")
        if self.target_participants is None and self._reached() is None:
            if not _history(info):
                raise ValueError("target_participants: is required but missing")
            raise ValueError(
                "target_participants: give it, or an outcome 'participants' or 'places' of "
                "at least 1"
            )
        return self

    def _reached(self) -> ParticipantRange | None:
        figure = self.outcomes.get(Measure.PARTICIPANTS) or self.outcomes.get(Measure.PLACES)
        if figure is None or figure.value < 1:
            return None
        return ParticipantRange(min=figure.value, max=figure.value)

    @property
    def target(self) -> ParticipantRange:
        """The target range; for a past cohort without one, what it reached (or offered)."""
        target = self.target_participants or self._reached()
        assert target is not None  # the validator saw to it
        return target


def load_cohort(
    path: Path,
    programme: ProgrammeConfig,
    organisations: list[OrganisationRow],
    *,
    history: bool = False,
) -> CohortConfig:
    return load_model(
        path,
        CohortConfig,
        {"programme": programme, "organisations": organisations, "history": history},
    )

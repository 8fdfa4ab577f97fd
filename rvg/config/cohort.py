"""``config/cohorts/<code>.yaml``: one cohort's tracks, size and key dates."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from rvg.config._files import load_model
from rvg.config.organisations import OrganisationRow
from rvg.config.programme import ProgrammeConfig

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


class CohortConfig(BaseModel):
    """A cohort file, checked against the programme (tracks) and the organisations it names."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$")
    name: str = Field(min_length=2, max_length=200)
    tracks: list[str] = Field(min_length=1)
    target_participants: ParticipantRange
    min_organisations: int | None = Field(default=None, ge=1)
    organisations: Literal["all"] | list[str] = "all"
    key_dates: dict[str, date]

    @field_validator("code", mode="before")
    @classmethod
    def _code_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value

    @field_validator("key_dates")
    @classmethod
    def _required_and_chronological(cls, dates: dict[str, date]) -> dict[str, date]:
        missing = [name for name in REQUIRED_KEY_DATES if name not in dates]
        if missing:
            raise ValueError(f"required key date(s) missing: {', '.join(missing)}")
        for earlier, later in pairwise(REQUIRED_KEY_DATES):
            if dates[earlier] >= dates[later]:
                raise ValueError(f"{earlier} must fall before {later}")
        return dict(sorted(dates.items(), key=lambda item: (item[1], item[0])))

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


def load_cohort(
    path: Path, programme: ProgrammeConfig, organisations: list[OrganisationRow]
) -> CohortConfig:
    return load_model(path, CohortConfig, {"programme": programme, "organisations": organisations})

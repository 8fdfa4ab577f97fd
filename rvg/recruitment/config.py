"""``config/recruitment.yaml``: how long an applicant may wait in a stage before being listed,
and the information for candidates around the campaign."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator, model_validator

from rvg.config._files import load_model
from rvg.models import ENDED_STAGES, Stage

# Stages in which nobody waits for the programme: the procedure has ended or succeeded.
FINAL_STAGES = frozenset({*ENDED_STAGES, Stage.PLACED})


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


class QaTimes(BaseModel):
    """When on its day an audience's Q&A session runs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: time
    end: time

    @model_validator(mode="after")
    def _ends_after_start(self) -> QaTimes:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class QaRules(BaseModel):
    """The weekly online Q&A sessions of the campaign, one for candidates and one for
    organisations, from the week the recruitment opens until the meet & greet."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    weekday: Literal["monday", "tuesday", "wednesday", "thursday", "friday"] = "wednesday"
    candidates: QaTimes = QaTimes(start=time(19, 30), end=time(20, 30))
    organisations: QaTimes = QaTimes(start=time(12, 0), end=time(12, 45))
    location: str = Field(default="Online (Microsoft Teams)", min_length=2, max_length=200)
    join_url: HttpUrl | None = Field(
        default=None, description="the meeting's address, in every invitation and reminder"
    )


class InformationRules(BaseModel):
    """Information for candidates before and during the campaign."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    profile_reminder_days: list[Annotated[int, Field(ge=1, le=120)]] = Field(
        default=[21, 10, 3],
        description="reminders to organisations without a published information page, this "
        "many days before the recruitment opens (on the working day before, if need be)",
    )
    qa: QaRules = QaRules()


class RecruitmentConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    stuck_after_days: dict[Stage, Annotated[int, Field(ge=1, le=365)]]
    information: InformationRules = InformationRules()

    @field_validator("stuck_after_days")
    @classmethod
    def _waiting_stages_only(cls, days: dict[Stage, int]) -> dict[Stage, int]:
        final = sorted(stage.value for stage in days if stage in FINAL_STAGES)
        if final:
            raise ValueError(f"nobody waits in {', '.join(final)}; remove it")
        return days


def load_recruitment(path: Path) -> RecruitmentConfig:
    """The recruitment settings; ConfigError naming the file and field when one is wrong."""
    return load_model(path, RecruitmentConfig)

"""``config/surveys.yaml``: the survey rounds of a cohort and their questions.

Rounds are placed relative to the training start (months), so one file serves every cohort.
Question codes are stable: answers, imports (LimeSurvey column headers) and reports use them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field, model_validator

from rvg.config._files import load_model
from rvg.workdays import next_working_day

Audience = Literal["participant", "buddy", "manager"]
Kind = Literal["likert", "number", "nps", "text"]
THEMES = ("guidance", "information", "training", "workplace")


LIKERT_SCALE = (1, 5)  # a theme is the mean of its likert questions, on this scale


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{1,31}$")
    kind: Kind
    text: str = Field(min_length=5, description="the question or statement, in Dutch")
    theme: Literal["guidance", "information", "training", "workplace"] | None = None
    audiences: list[Audience] = Field(min_length=1)
    required: bool = False
    minimum: float | None = None  # number questions
    maximum: float | None = None
    unit: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        if self.kind == "likert" and self.theme is None:
            raise ValueError(f"likert question {self.code} needs a theme")
        if self.kind == "number" and (self.minimum is None or self.maximum is None):
            raise ValueError(f"number question {self.code} needs minimum and maximum")
        if self.minimum is not None and self.maximum is not None and self.minimum >= self.maximum:
            raise ValueError(f"question {self.code}: minimum must be below maximum")
        return self

    @property
    def scale(self) -> tuple[int, int] | None:
        """The valid whole-number range of scale questions."""
        return {"likert": LIKERT_SCALE, "nps": (0, 10)}.get(self.kind)


class Round(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[a-z0-9_-]{2,32}$")
    title: str = Field(min_length=3)
    month: int = Field(ge=1, le=24, description="opens this many months after the training start")
    open_days: int = Field(default=14, ge=1, le=60)
    reminder_days: list[int] = Field(default=[5, 10], description="days after opening")
    max_reminders: int = Field(default=2, ge=0, le=5)
    audiences: list[Audience] = Field(min_length=1)

    def opens_on(self, training_start: date) -> date:
        return training_start + relativedelta(months=self.month)

    def closes_on(self, training_start: date) -> date:
        """The round's last day: ``open_days`` after it opens, on the next working day when
        that is a weekend or a holiday."""
        return next_working_day(self.opens_on(training_start) + relativedelta(days=self.open_days))


class SurveyDefinitions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min_group_size: int = Field(default=5, ge=2, description="smaller groups are never shown")
    rounds: list[Round] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> SurveyDefinitions:
        for name, codes in (
            ("round", [r.code for r in self.rounds]),
            ("question", [q.code for q in self.questions]),
        ):
            duplicates = sorted({c for c in codes if codes.count(c) > 1})
            if duplicates:
                raise ValueError(f"{name} codes must be unique: {', '.join(duplicates)}")
        return self

    def round(self, code: str) -> Round:
        for item in self.rounds:
            if item.code == code:
                return item
        raise KeyError(code)

    def questions_for(self, audience: str) -> list[Question]:
        return [q for q in self.questions if audience in q.audiences]

    def question(self, code: str) -> Question | None:
        return next((q for q in self.questions if q.code == code), None)


def load_surveys(path: Path) -> SurveyDefinitions:
    return load_model(path, SurveyDefinitions)

"""``config/reminders.yaml``: when buddies, managers and participants are reminded of their part.

Three kinds of rule, each relative to the placement's start or to a dated session:

- *start*: a set number of days before the first day (buddy: workplace and introductions;
  manager: the welcome and the rhythm of one-to-ones; participant: what the year holds), each
  with the whole year's calendar of its reader attached;
- *periodic*: the buddy's check-in every week for the first weeks, then at the start of every
  month of the training year; the manager's monthly one-to-one, which in the months of the
  mid-year and end-of-year review gives way to a reminder of that review;
- *session*: a set number of days before each session of the listed types (or of every type
  whose audience includes the group), with the calendar invitation.

Month ``m`` of the training year runs from ``start + (m - 1)`` to ``start + m`` months.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from rvg.config._files import load_model

SessionType = Annotated[str, Field(pattern=r"^[a-z][a-z_]*$")]
DaysBefore = Annotated[int, Field(ge=0, le=60)]
Month = Annotated[int, Field(ge=1, le=24)]


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StartRule(_Rule):
    days_before: DaysBefore


class CheckInRule(_Rule):
    """Weekly for the first ``weekly_weeks`` weeks, then (if ``monthly``) once a month."""

    weekly_weeks: Annotated[int, Field(ge=0, le=52)]
    monthly: bool = True


class OneToOneRule(_Rule):
    from_month: Month


class ReviewRule(_Rule):
    """The months (of the training year) of the mid-year and the end-of-year review."""

    mid: Month
    end: Month

    @model_validator(mode="after")
    def _ordered(self) -> ReviewRule:
        if self.mid >= self.end:
            raise ValueError("the mid-year review must come before the end-of-year review")
        return self


class SessionRule(_Rule):
    """Sessions of ``types`` (or ``all``), optionally only those whose audience includes a group."""

    types: Literal["all"] | Annotated[tuple[SessionType, ...], Field(min_length=1)]
    audience: Literal["participants", "buddies", "managers"] | None = None
    days_before: DaysBefore

    def applies_to(self, session_type: str, audience: str) -> bool:
        if self.types != "all" and session_type not in self.types:
            return False
        return self.audience is None or self.audience in audience.split("_")


class BuddyRules(_Rule):
    start: StartRule
    check_ins: CheckInRule
    sessions: SessionRule


class ManagerRules(_Rule):
    start: StartRule
    one_to_ones: OneToOneRule
    reviews: ReviewRule
    sessions: SessionRule


class ParticipantRules(_Rule):
    # Optional: configurations written before the participant's start e-mail existed stay valid.
    start: StartRule = StartRule(days_before=7)
    sessions: SessionRule


class ReminderRules(_Rule):
    send_time: time
    training_year_months: Month
    working_days_only: bool = True
    buddy: BuddyRules
    manager: ManagerRules
    participant: ParticipantRules

    @model_validator(mode="after")
    def _within_the_year(self) -> ReminderRules:
        months = self.training_year_months
        problems = [
            f"{field} is month {value}, after the {months} months of the training year"
            for field, value in (
                ("manager.one_to_ones.from_month", self.manager.one_to_ones.from_month),
                ("manager.reviews.end", self.manager.reviews.end),
            )
            if value > months
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def session_types(self) -> set[str]:
        """The session types named in the rules, to check against the training schedule."""
        named: set[str] = set()
        for rule in (self.buddy.sessions, self.manager.sessions, self.participant.sessions):
            if rule.types != "all":
                named.update(rule.types)
        return named


def load_reminder_rules(path: Path) -> ReminderRules:
    """The reminder rules; ConfigError naming the file and field when one is wrong."""
    return load_model(path, ReminderRules)

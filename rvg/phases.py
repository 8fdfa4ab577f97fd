"""The eight phases of the yearly cohort cycle, in order."""

from __future__ import annotations

from enum import StrEnum


class Phase(StrEnum):
    BUSINESS_CASE = "business_case"
    COMMITMENTS = "commitments"
    TENDERING = "tendering"
    RECRUITMENT = "recruitment"
    MATCHING = "matching"
    TRAINING_YEAR = "training_year"
    EVALUATION = "evaluation"
    REDESIGN = "redesign"

    @property
    def cli_name(self) -> str:
        """The name on the command line and in deployment names: ``training-year``."""
        return self.value.replace("_", "-")

    @property
    def sends_mail(self) -> bool:
        """Whether the phase e-mails people outside the team (invitations, reminders)."""
        return self not in (Phase.BUSINESS_CASE, Phase.REDESIGN)

    @property
    def event_name(self) -> str:
        """The event a phase emits when it completes."""
        return f"rvg.phase.{self.value}.completed"

    @classmethod
    def parse(cls, name: str) -> Phase:
        try:
            return cls(name.strip().lower().replace("-", "_"))
        except ValueError:
            valid = ", ".join(phase.cli_name for phase in cls)
            raise ValueError(f"unknown phase {name!r}; valid: {valid}") from None

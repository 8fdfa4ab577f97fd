"""The eight phases of the yearly cohort cycle, in order, and the one registry of what each
needs and which flow runs it: the cycle plan, the cycle flow, `rvg run`, the deployments and
the generated `deployments/prefect.yaml` all read it."""

from __future__ import annotations

from dataclasses import dataclass
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
    def dutch(self) -> str:
        """The phase's name in reports and overviews."""
        return DUTCH_NAMES[self]

    @property
    def number(self) -> int:
        """The phase's place in the cycle, from 1."""
        return list(Phase).index(self) + 1

    @property
    def deployment(self) -> str:
        """Its deployment's name, numbered so the Prefect UI lists the phases in order:
        ``1-business-case``."""
        return f"{self.number}-{self.cli_name}"

    @property
    def deployment_path(self) -> str:
        """``flow/deployment`` as ``run_deployment`` names it (the flow is named as the
        phase on the command line)."""
        return f"{self.cli_name}/{self.deployment}"

    @property
    def tag(self) -> str:
        """The tag on every run of the phase: ``phase:1-business-case``."""
        return f"phase:{self.deployment}"

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


DUTCH_NAMES = {
    Phase.BUSINESS_CASE: "business case",
    Phase.COMMITMENTS: "aanmelding organisaties",
    Phase.TENDERING: "aanbesteding",
    Phase.RECRUITMENT: "werving",
    Phase.MATCHING: "matching",
    Phase.TRAINING_YEAR: "opleidingsjaar",
    Phase.EVALUATION: "evaluatie",
    Phase.REDESIGN: "herontwerp",
}


def cohort_tag(code: str) -> str:
    """The tag on every run for a cohort: ``cohort:2027``."""
    return f"cohort:{code}"


HOUSEKEEPING_TAG = "housekeeping"  # the dispatcher's frequent runs: a UI filter hides them


@dataclass(frozen=True)
class PhaseSpec:
    """What a phase needs completed before it starts (its deployment is triggered by the last
    one's completed event), and its flow as ``path:function`` from the project root."""

    needs: tuple[Phase, ...]
    flow: str

    @property
    def flow_module(self) -> str:
        """The flow's module, importable by name: ``flows.training_year``."""
        return self.flow.split(":")[0].removesuffix(".py").replace("/", ".")

    @property
    def flow_function(self) -> str:
        return self.flow.split(":")[1]


PHASES: dict[Phase, PhaseSpec] = {
    Phase.BUSINESS_CASE: PhaseSpec((), "flows/business_case.py:business_case"),
    Phase.COMMITMENTS: PhaseSpec((Phase.BUSINESS_CASE,), "flows/commitments.py:commitments"),
    Phase.TENDERING: PhaseSpec((Phase.BUSINESS_CASE,), "flows/tendering.py:tendering"),
    Phase.RECRUITMENT: PhaseSpec((Phase.COMMITMENTS,), "flows/recruitment.py:recruitment"),
    Phase.MATCHING: PhaseSpec((Phase.RECRUITMENT,), "flows/matching.py:matching"),
    Phase.TRAINING_YEAR: PhaseSpec((Phase.MATCHING,), "flows/training_year.py:training_year"),
    Phase.EVALUATION: PhaseSpec((Phase.MATCHING,), "flows/evaluation.py:evaluation"),
    Phase.REDESIGN: PhaseSpec(
        (Phase.TRAINING_YEAR, Phase.EVALUATION), "flows/redesign.py:redesign"
    ),
}

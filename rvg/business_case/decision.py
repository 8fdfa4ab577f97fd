"""The steering group's decision on a business case."""

from __future__ import annotations

from pydantic import BaseModel, Field, model_validator


class BusinessCaseDecision(BaseModel):
    """Approve or reject the business case, with the cohort size range that is accepted."""

    approved: bool = Field(
        title="Goedgekeurd", description="Keurt de stuurgroep de business case goed?"
    )
    min_participants: int = Field(
        ge=1, le=500, title="Kleinste omvang (deelnemers)", description="Kleinste toegestane omvang"
    )
    max_participants: int = Field(
        ge=1, le=500, title="Grootste omvang (deelnemers)", description="Grootste toegestane omvang"
    )
    comment: str = Field(
        min_length=1,
        max_length=2000,
        title="Toelichting",
        description="Toelichting van het besluit",
    )
    decided_by: str = Field(
        min_length=2, max_length=200, title="Besloten door", description="Naam en rol"
    )

    @model_validator(mode="after")
    def _ordered(self) -> BusinessCaseDecision:
        if self.min_participants > self.max_participants:
            raise ValueError("min_participants is larger than max_participants")
        return self

"""Recording how a lot was procured: the award of a tender or the exercise of an extension."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field, WithJsonSchema, model_validator


class TenderAward(BaseModel):
    """The contract that covers a lot for this cohort, as the team records it."""

    supplier: str = Field(
        min_length=2, max_length=200, title="Leverancier", description="Gegunde leverancier"
    )
    # A plain number in the form (a Decimal would show as "number or text").
    value_eur: Annotated[Decimal, WithJsonSchema({"type": "number", "minimum": 0})] = Field(
        ge=0, title="Waarde (euro)", description="Waarde van de opdracht in euro, excl. btw"
    )
    starts_on: date = Field(title="Ingangsdatum", description="Ingangsdatum van het contract")
    ends_on: date = Field(
        title="Einddatum", description="Einddatum van het contract (zonder verlengingen)"
    )
    extension_options: int = Field(
        ge=0, le=10, title="Verlengingsopties", description="Aantal verlengingsopties"
    )
    extension_months: int = Field(
        default=12, ge=1, le=60, title="Duur van een verlenging (maanden)"
    )
    notice_days: int = Field(default=90, ge=0, le=365, title="Opzegtermijn (dagen)")
    decided_by: str = Field(
        min_length=2, max_length=200, title="Gegund door", description="Naam en rol"
    )
    comment: str = Field(default="", max_length=2000, title="Toelichting")

    @model_validator(mode="after")
    def _term_ordered(self) -> TenderAward:
        if self.starts_on >= self.ends_on:
            raise ValueError("starts_on must fall before ends_on")
        return self


class TenderDecisions(BaseModel):
    """Awards given in advance, per lot, so the tendering flow can run unattended."""

    awards: dict[str, TenderAward] = Field(default_factory=dict)


def award_warnings(award: TenderAward) -> list[str]:
    """What the team should be warned about when recording this award."""
    if award.extension_options == 0:
        return [
            "Dit contract heeft geen verlengingsoptie: voor de volgende lichting is een "
            "volledig nieuwe aanbesteding nodig. Dat is de gepubliceerde les uit de "
            "eerste lichtingen."
        ]
    return []

"""The project team's decision on a redesign proposal."""

from __future__ import annotations

from pydantic import BaseModel, Field


class RedesignDecision(BaseModel):
    """Accept the proposal for the next cohort, with the lessons the team adds."""

    accepted: bool = Field(
        description="Neemt het team het voorstel voor de volgende lichting over?"
    )
    lessons: str = Field(
        default="", max_length=5000, description="Lessen van het team voor de volgende lichting"
    )
    decided_by: str = Field(min_length=2, max_length=200, description="Wie besloot (naam, rol)")

"""The project team's approval of the proposed matches."""

from __future__ import annotations

from pydantic import BaseModel, Field


class MatchApproval(BaseModel):
    """Approve the proposed matches (then placements are made and everyone is told)."""

    approved: bool = Field(description="Keurt het projectteam de voorgestelde koppelingen goed?")
    comment: str = Field(default="", max_length=2000, description="Toelichting")
    decided_by: str = Field(min_length=2, max_length=200, description="Wie besloot (naam, rol)")

"""Survey invitations and responses: one token link per respondent, one response per link."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.models import Invitation, InvitationPurpose, SurveyResponse, SurveyRound


def create_survey_invitation(
    round: SurveyRound,
    audience: str,
    placement_id: int | None,
    *,
    session: Session,
    expires_at: datetime,
) -> Invitation:
    """A new survey invitation; its links are made when e-mails about it are sent."""
    invitation = survey_invitation(round, audience, placement_id, expires_at=expires_at)
    session.add(invitation)
    session.flush()
    return invitation


def survey_invitation(
    round: SurveyRound,
    audience: str,
    placement_id: int | None,
    *,
    expires_at: datetime,
) -> Invitation:
    return Invitation(
        purpose=InvitationPurpose.SURVEY.value,
        cohort_id=round.cohort_id,
        survey_round_id=round.id,
        audience=audience,
        placement_id=placement_id,
        expires_at=expires_at,
    )


def response_for(invitation: Invitation, *, session: Session) -> SurveyResponse | None:
    return session.scalar(
        select(SurveyResponse).where(SurveyResponse.invitation_id == invitation.id)
    )


def save_response(
    invitation: Invitation, answers: dict[str, Any], *, session: Session, at: datetime
) -> SurveyResponse:
    """Store the answers: version 1 the first time, then the same row with version + 1."""
    response = response_for(invitation, session=session)
    if response is None:
        response = SurveyResponse(
            invitation_id=invitation.id, answers=dict(answers), submitted_at=at, updated_at=at
        )
        session.add(response)
    else:
        response.answers = dict(answers)  # a new object, so the JSON column is written
        response.version += 1
        response.updated_at = at
    invitation.responded_at = at
    session.flush()
    return response

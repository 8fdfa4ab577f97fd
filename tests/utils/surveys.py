"""A survey round of cohort 2027 with a placement, and survey invitations to it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine, select

from rvg.db import make_sessionmaker, session_scope
from rvg.models import Cohort, Placement, SurveyRound
from rvg.repositories.invitations import issue_link
from rvg.repositories.placements import create_placements
from rvg.repositories.surveys import create_survey_invitation
from tests.utils.applicants import MOMENT, add_applicants
from tests.utils.flows import cohort_in

OPENS_ON, CLOSES_ON = date(2027, 12, 6), date(2027, 12, 20)
# A participant's complete answers to round m03, as the form posts them.
ANSWERS = {
    "guid_buddy": "4",
    "guid_manager": "5",
    "info_clear": "3",
    "train_useful": "4",
    "work_place": "5",
    "nps": "9",
}


def survey_round(engine: Engine) -> int:
    """Cohort 2027, one placement at Tilburg and round m03; returns the round's id."""
    cohort_in(engine)
    with session_scope(make_sessionmaker(engine)) as session:
        cohort = session.scalar(select(Cohort).where(Cohort.code == "2027"))
        add_applicants(session, cohort, ["A001"])
        create_placements(
            cohort,
            {"ro": {"A001": "GM0855"}},
            session=session,
            starts_on=date(2027, 9, 6),
            matched_on=MOMENT.date(),
        )
        round = SurveyRound(
            cohort_id=cohort.id,
            code="m03",
            title="Evaluatie na drie maanden",
            opens_on=OPENS_ON,
            closes_on=CLOSES_ON,
        )
        session.add(round)
        session.flush()
        return round.id


def survey_token(engine: Engine, round_id: int, audience: str = "participant") -> str:
    """A new invitation to the round for the placement's ``audience``; returns the token."""
    with session_scope(make_sessionmaker(engine)) as session:
        round = session.get(SurveyRound, round_id)
        placement_id = session.scalar(select(Placement.id))
        expires_at = datetime(2028, 3, 1, tzinfo=MOMENT.tzinfo)
        invitation = create_survey_invitation(
            round, audience, placement_id, session=session, expires_at=expires_at
        )
        issued = issue_link(invitation.id, session=session)
        assert issued is not None
    return issued[1]

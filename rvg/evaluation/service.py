"""Phase 7's step: the survey rounds over time. Called by the evaluation task; the report is
``rvg.evaluation.data.write_report``, shared by the task and ``rvg report evaluation``."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from rvg.evaluation.rounds import close_round, ensure_rounds, open_round, remind_round
from rvg.redesign.service import interim_due
from rvg.unit import Unit


class RoundState(BaseModel):
    code: str
    opens_on: date
    closes_on: date
    status: str
    invited: int
    reminded: int


class EvaluationProgress(BaseModel):
    cohort: str
    as_of: date
    rounds: list[RoundState]
    closed_now: list[str]
    # the closed rounds after which an interim redesign is due and not yet decided
    interim_redesigns: list[str] = []

    @property
    def all_closed(self) -> bool:
        return all(r.status == "closed" for r in self.rounds)


def run_rounds(u: Unit, day: date) -> EvaluationProgress:
    """Open the rounds that are due, remind non-respondents, close them at their end."""
    states, closed_now = [], []
    definitions = u.config.surveys
    for stored in ensure_rounds(u.cohort, definitions, session=u.session):
        item = definitions.round(stored.code)
        due, settings = u.send_at(day), u.settings
        invited = open_round(
            u.cohort, stored, item, day, session=u.session, settings=settings, due=due
        )
        reminded = remind_round(u.cohort, stored, item, day, session=u.session, due=due)
        if close_round(stored, day):
            closed_now.append(stored.code)
        states.append(
            RoundState(
                code=stored.code,
                opens_on=stored.opens_on,
                closes_on=stored.closes_on,
                status=stored.status,
                invited=invited,
                reminded=reminded,
            )
        )
    closed = [state.code for state in states if state.status == "closed"]
    return EvaluationProgress(
        cohort=u.cohort.code,
        as_of=day,
        rounds=states,
        closed_now=closed_now,
        interim_redesigns=interim_due(u, closed),
    )

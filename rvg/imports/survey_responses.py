"""``rvg import survey-responses``: answers collected with LimeSurvey instead of the web form.

LimeSurvey's response export ("CSV, semicolon separated, question codes as column headers")
has one column per question code of ``config/surveys.yaml`` and LimeSurvey's own columns
(id, submitdate, ...). Each row is checked with the same rules as the web form.

- With a ``token`` column (a survey with tokens: the token of our own invitation link), each
  row is stored as the response of that invitation in the round, a new version if it differs.
- Without one the responses are anonymous: ``id`` (LimeSurvey's response id) and ``audience``
  are required, and each row gets a placeholder invitation that can never be opened: its
  token hash is derived from the round and the response id (so a re-import finds it again)
  from a text that is no valid token, and it has expired on creation. No e-mail is sent.

Columns that are neither question codes nor LimeSurvey's own are reported once and ignored.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.errors import ConfigError, NotFound
from rvg.evaluation.answers import check_answers
from rvg.evaluation.definitions import SurveyDefinitions
from rvg.imports.tabular import ImportResult, Rejection, Row, finish, read_table, reject
from rvg.invitations.tokens import hash_token
from rvg.models import Audience, Invitation, InvitationPurpose, SurveyRound
from rvg.repositories.cohorts import get_cohort
from rvg.repositories.invitations import add_link, find_invitation, invitation_by_hash
from rvg.repositories.surveys import response_for, save_response, survey_invitation
from rvg.tally import Tally

LIMESURVEY_COLUMNS = (
    "id",
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "startdate",
    "datestamp",
    "ipaddr",
    "refurl",
)
AUDIENCES = tuple(audience.value for audience in Audience)


def import_survey_responses(
    path: Path,
    cohort_code: str,
    round_code: str,
    *,
    session: Session,
    at: datetime,
    definitions: SurveyDefinitions,
) -> ImportResult:
    """Store the responses in a LimeSurvey export for a round, checked against the cohort's own
    survey rules (``definitions``); an unchanged row adds nothing."""
    round = _round(cohort_code, round_code, session=session)
    codes = [question.code.casefold() for question in definitions.questions]
    table = read_table(path, (), ["token", "audience", *LIMESURVEY_COLUMNS, *codes])
    anonymous = "token" not in table.columns
    if anonymous and not {"id", "audience"} <= set(table.columns):
        raise ConfigError(
            str(path), ["without a 'token' column the columns 'id' and 'audience' are required"]
        )
    tally, rejected = Tally(), list[Rejection]()
    seen: dict[str, int] = {}
    for row in table.rows:
        outcome = _import_row(row, round, definitions, seen, anonymous, session=session, at=at)
        if isinstance(outcome, Rejection):
            rejected.append(outcome)
            outcome = "rejected"
        tally.count(outcome)
    return finish(
        table,
        tally,
        rejected,
        session=session,
        kind="survey-responses",
        cohort_id=round.cohort_id,
        at=at,
    )


def _import_row(
    row: Row,
    round: SurveyRound,
    definitions: SurveyDefinitions,
    seen: dict[str, int],
    anonymous: bool,
    *,
    session: Session,
    at: datetime,
) -> str | Rejection:
    """imported, updated or unchanged; or every problem with the row."""
    found = _anonymous(row, round, session) if anonymous else _invited(row, round, at, session)
    if isinstance(found, Rejection):
        return found
    invitation, audience, key = found
    if key in seen:
        return reject(row, [("id" if anonymous else "token", f"already on row {seen[key]}")])
    seen[key] = row.number
    data = {q.code: row.values.get(q.code.casefold()) for q in definitions.questions}
    checked = check_answers(definitions, audience, data)
    if checked.errors:
        return reject(row, [(error.field, error.message) for error in checked.errors])
    if invitation is None:  # an anonymous response seen for the first time
        invitation = survey_invitation(round, audience, None, expires_at=at)
        session.add(invitation)
        session.flush()
        add_link(invitation, _placeholder_hash(round, key), session=session)
    response = response_for(invitation, session=session)
    if response is not None and response.answers == checked.answers:
        return "unchanged"
    save_response(invitation, checked.answers, session=session, at=at)
    return "updated" if response is not None else "imported"


def _round(cohort_code: str, round_code: str, *, session: Session) -> SurveyRound:
    cohort = get_cohort(cohort_code, session=session)
    round = session.scalar(
        select(SurveyRound).where(
            SurveyRound.cohort_id == cohort.id, SurveyRound.code == round_code
        )
    )
    if round is None:
        raise NotFound(f"cohort {cohort_code} has no survey round {round_code!r}")
    return round


def _invited(
    row: Row, round: SurveyRound, at: datetime, session: Session
) -> tuple[Invitation, str, str] | Rejection:
    token = row.values["token"]
    if not token:
        return reject(row, [("token", "is empty")])
    invitation = find_invitation(token, InvitationPurpose.SURVEY.value, session=session, now=at)
    if invitation is None or invitation.survey_round_id != round.id:
        return reject(row, [("token", f"no live invitation to round {round.code} has it")])
    return invitation, invitation.audience or "", token


def _anonymous(
    row: Row, round: SurveyRound, session: Session
) -> tuple[Invitation | None, str, str] | Rejection:
    """The placeholder invitation of an earlier import (or None), the audience and the id."""
    response_id, audience = row.values["id"], row.values["audience"].casefold()
    problems = []
    if not response_id:
        problems.append(("id", "is empty"))
    if audience not in AUDIENCES:
        problems.append(("audience", f"must be one of {', '.join(AUDIENCES)}"))
    if problems:
        return reject(row, problems)
    invitation = invitation_by_hash(_placeholder_hash(round, response_id), session=session)
    if invitation is not None and invitation.audience != audience:
        return reject(row, [("audience", f"response {response_id} was {invitation.audience}")])
    return invitation, audience, response_id


def _placeholder_hash(round: SurveyRound, response_id: str) -> str:
    """Stable per round and response; from a text with ':', which no link token can have."""
    return hash_token(f"limesurvey:{round.id}:{response_id}")

"""The survey form: ``/enquete/<token>`` (GET shows, POST saves, then a thank-you page).

The form is built from ``config/surveys.yaml`` for the invitation's audience, grouped in
sections by theme. Answers can be changed until the round closes; each save is a new version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rvg import clock
from rvg.commitments.answer import FieldError
from rvg.evaluation.answers import check_answers
from rvg.evaluation.definitions import THEMES, Question, SurveyDefinitions
from rvg.evaluation.rounds import survey_about
from rvg.invitations.links import SURVEY_ROUTE
from rvg.models import Cohort, Invitation, InvitationPurpose, SurveyResponse, SurveyRound
from rvg.repositories.invitations import find_invitation
from rvg.repositories.surveys import response_for, save_response
from rvg.unit import Unit
from rvg.web.deps import FormFields, Now, Transaction
from rvg.web.pages import not_found, page

router = APIRouter()
PURPOSE = InvitationPurpose.SURVEY.value
SURVEY_PATH = f"/{SURVEY_ROUTE}/{{token}}"
SECTION_TITLES = {
    "guidance": "Begeleiding",
    "information": "Informatie over het programma",
    "training": "Opleiding",
    "workplace": "Werkplek en team",
    None: "Tot slot",
}
LIKERT = ("Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens")


@dataclass(frozen=True)
class Section:
    title: str
    questions: list[Question]


@dataclass
class SurveyView:
    invitation: Invitation
    round: SurveyRound
    definitions: SurveyDefinitions  # the round's cohort's own survey rules
    sections: list[Section]
    response: SurveyResponse | None
    today: date
    about: str | None = None  # the participant a buddy's or manager's answers are about

    @property
    def questions(self) -> list[Question]:
        return [q for section in self.sections for q in section.questions]

    @property
    def not_yet_open(self) -> bool:
        return self.today < self.round.opens_on

    @property
    def closed(self) -> bool:
        return self.today > self.round.closes_on

    @property
    def stored(self) -> dict[str, str]:
        return form_values(self.response.answers if self.response else {})


def sections(questions: list[Question]) -> list[Section]:
    """The questions grouped by theme, in the order of THEMES; questions without one last."""
    order = [*THEMES, None]
    found = [
        Section(SECTION_TITLES[theme], [q for q in questions if q.theme == theme])
        for theme in order
    ]
    return [section for section in found if section.questions]


def form_values(answers: dict[str, Any]) -> dict[str, str]:
    """Stored answers as the texts the form shows: ``3`` not ``3.0``, nothing for None."""
    values = {}
    for code, value in answers.items():
        if isinstance(value, float):
            values[code] = f"{value:g}".replace(".", ",")
        elif value is not None:
            values[code] = str(value)
    return values


def _open(token: str, u: Unit, now: datetime, lock: bool = False) -> SurveyView | None:
    """What the link shows, or None for an unknown or expired link."""
    invitation = find_invitation(token, PURPOSE, session=u.session, now=now, lock=lock)
    if invitation is None or invitation.audience is None:
        return None
    round = u.session.get(SurveyRound, invitation.survey_round_id)
    if round is None:
        return None
    definitions = u.config_of(u.session.get_one(Cohort, round.cohort_id)).surveys
    questions = definitions.questions_for(invitation.audience)
    return SurveyView(
        invitation=invitation,
        round=round,
        definitions=definitions,
        sections=sections(questions),
        response=response_for(invitation, session=u.session),
        today=now.astimezone(u.settings.zone).date(),
        about=survey_about(invitation.placement_id, invitation.audience, session=u.session),
    )


def _form_page(
    view: SurveyView, values: dict[str, str], errors: list[FieldError], status_code: int = 200
) -> HTMLResponse:
    return page(
        "survey_form.html",
        status_code=status_code,
        view=view,
        values=values,
        errors=errors,
        error_for={e.field: e.message for e in errors},
        likert=LIKERT,
    )


def _closed_page(view: SurveyView, status_code: int = 200) -> HTMLResponse:
    return page("survey_closed.html", status_code=status_code, view=view, likert=LIKERT)


@router.get(SURVEY_PATH, response_class=HTMLResponse)
def show(token: str, transact: Transaction, now: Now) -> Response:
    return transact(lambda u: _show(token, u, now))


def _show(token: str, u: Unit, now: datetime) -> Response:
    view = _open(token, u, now)
    if view is None:
        return not_found()
    if view.not_yet_open or view.closed:
        return _closed_page(view)
    return _form_page(view, view.stored, [])


@router.post(SURVEY_PATH, response_class=HTMLResponse)
def save(token: str, data: FormFields, transact: Transaction, now: Now) -> Response:
    return transact(lambda u: _save(token, data, u, now), writes=True)


def _save(token: str, data: dict[str, str], u: Unit, now: datetime) -> Response:
    view = _open(token, u, now, lock=True)
    if view is None:
        return not_found()
    if view.not_yet_open or view.closed:
        return _closed_page(view, status_code=403)
    checked = check_answers(view.definitions, view.invitation.audience or "", data)
    if checked.errors:
        return _form_page(view, data, checked.errors, status_code=400)
    save_response(view.invitation, checked.answers, session=u.session, at=clock.utcnow(now))
    return RedirectResponse(f"/{SURVEY_ROUTE}/{token}/bedankt", status_code=303)


@router.get(f"{SURVEY_PATH}/bedankt", response_class=HTMLResponse)
def thanks(token: str, transact: Transaction, now: Now) -> Response:
    return transact(lambda u: _thanks(token, u, now))


def _thanks(token: str, u: Unit, now: datetime) -> Response:
    view = _open(token, u, now)
    if view is None:
        return not_found()
    if view.response is None:
        return RedirectResponse(f"/{SURVEY_ROUTE}/{token}", status_code=303)
    return page("survey_done.html", view=view, token=token, likert=LIKERT)

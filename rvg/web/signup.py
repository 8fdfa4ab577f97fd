"""The sign-up form: ``/aanmelden/<token>`` (GET shows, POST saves, then a confirmation)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rvg import clock
from rvg.commitments.answer import FieldError, validate_answer
from rvg.commitments.service import SignupView, current_answer, signup_view, submit_signup
from rvg.invitations.links import SIGNUP_ROUTE
from rvg.models import Invitation, InvitationPurpose
from rvg.repositories.invitations import find_invitation
from rvg.unit import Unit
from rvg.web.deps import FormFields, Now, Transaction
from rvg.web.pages import not_found, page

router = APIRouter()
PURPOSE = InvitationPurpose.SIGNUP.value
SIGNUP_PATH = f"/{SIGNUP_ROUTE}/{{token}}"


def _form_page(
    view: SignupView,
    values: dict[str, str],
    errors: list[FieldError],
    read_only: bool,
    status_code: int = 200,
) -> HTMLResponse:
    return page(
        "signup_form.html",
        status_code=status_code,
        view=view,
        values=values,
        errors=errors,
        error_for={e.field: e.message for e in errors},
        read_only=read_only,
    )


def _open(
    token: str, u: Unit, now: datetime, lock: bool = False
) -> tuple[Invitation, SignupView] | None:
    """The invitation behind ``token`` and what its form shows; None for an unknown link."""
    invitation = find_invitation(token, PURPOSE, session=u.session, now=now, lock=lock)
    if invitation is None:
        return None
    return invitation, signup_view(invitation, session=u.session, now=now, zone=u.settings.zone)


@router.get(SIGNUP_PATH, response_class=HTMLResponse)
def show(token: str, transact: Transaction, now: Now) -> Response:
    return transact(lambda u: _show(token, u, now))


def _show(token: str, u: Unit, now: datetime) -> Response:
    opened = _open(token, u, now)
    if opened is None:
        return not_found()
    _, view = opened
    return _form_page(view, current_answer(view.commitment), [], not view.is_open(now))


@router.post(SIGNUP_PATH, response_class=HTMLResponse)
def save(token: str, data: FormFields, transact: Transaction, now: Now) -> Response:
    return transact(lambda u: _save(token, data, u, now), writes=True)


def _save(token: str, data: dict[str, str], u: Unit, now: datetime) -> Response:
    opened = _open(token, u, now, lock=True)
    if opened is None:
        return not_found()
    invitation, view = opened
    if not view.is_open(now):
        return _form_page(view, current_answer(view.commitment), [], True, status_code=403)
    result = validate_answer(data, view.tracks)
    if result.answer is None:
        return _form_page(view, data, result.errors, False, status_code=400)
    submit_signup(invitation, view, result.answer, session=u.session, now=clock.utcnow(now))
    return RedirectResponse(f"/{SIGNUP_ROUTE}/{token}/bevestiging", status_code=303)


@router.get(f"{SIGNUP_PATH}/bevestiging", response_class=HTMLResponse)
def confirmation(token: str, transact: Transaction, now: Now) -> Response:
    return transact(lambda u: _confirmation(token, u, now))


def _confirmation(token: str, u: Unit, now: datetime) -> Response:
    opened = _open(token, u, now)
    if opened is None:
        return not_found()
    _, view = opened
    if view.commitment.version == 0:
        return RedirectResponse(f"/{SIGNUP_ROUTE}/{token}", status_code=303)
    return page("signup_done.html", view=view, values=current_answer(view.commitment), token=token)

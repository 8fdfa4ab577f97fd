"""The Q&A registration: ``/kandidaten/vragenuur`` (the address, from the landing page), then
``/vragenuur/<token>`` from the e-mail (GET shows, POST confirms or unsubscribes)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rvg import clock
from rvg.commitments.answer import FieldError
from rvg.information.interests import (
    confirm_interest,
    interest_view,
    register_interest,
    session_line,
    validate_address,
    withdraw_interest,
)
from rvg.information.public import campaign_cohort
from rvg.invitations.links import INTEREST_ROUTE
from rvg.models import InvitationPurpose
from rvg.repositories.invitations import find_invitation
from rvg.unit import Unit
from rvg.web.deps import FormFields, Now, Transaction
from rvg.web.pages import not_found, page

router = APIRouter()
REGISTER_PATH = "/kandidaten/vragenuur"
TOKEN_PATH = f"/{INTEREST_ROUTE}/{{token}}"
PURPOSE = InvitationPurpose.INTEREST.value


def _form(values: dict[str, str], errors: list[FieldError], status_code: int = 200) -> Response:
    return page(
        "interest_form.html",
        status_code=status_code,
        values=values,
        errors=errors,
        error_for={e.field: e.message for e in errors},
    )


@router.get(REGISTER_PATH, response_class=HTMLResponse)
def form() -> Response:
    return _form({}, [])


@router.post(REGISTER_PATH, response_class=HTMLResponse)
def register(data: FormFields, transact: Transaction, now: Now) -> Response:
    address, errors = validate_address(data)
    if address is None:
        return _form({"email": data.get("email", "")}, errors, status_code=400)
    registered = transact(lambda u: _register(address, u, now), writes=True)
    if not registered:
        return page("interest_none.html")
    return RedirectResponse(f"{REGISTER_PATH}/verstuurd", status_code=303)


def _register(address: str, u: Unit, now: datetime) -> bool:
    cohort = campaign_cohort(now.date(), session=u.session)
    if cohort is None:
        return False
    register_interest(Unit(u.settings, u.session, cohort), address, clock.utcnow(now))
    return True


@router.get(f"{REGISTER_PATH}/verstuurd", response_class=HTMLResponse)
def sent() -> Response:
    return page("interest_sent.html")


@router.get(f"{REGISTER_PATH}/afgemeld", response_class=HTMLResponse)
def withdrawn() -> Response:
    return page("interest_withdrawn.html")


@router.get(TOKEN_PATH, response_class=HTMLResponse)
def show(token: str, transact: Transaction, now: Now) -> Response:
    return transact(lambda u: _show(token, u, now))


def _show(token: str, u: Unit, now: datetime, status_code: int = 200) -> Response:
    invitation = find_invitation(token, PURPOSE, session=u.session, now=now)
    view = None if invitation is None else interest_view(u, invitation, now.date())
    if view is None:
        return not_found()
    return page(
        "interest_status.html",
        status_code=status_code,
        view=view,
        lines=[session_line(s) for s in view.sessions],
    )


@router.post(TOKEN_PATH, response_class=HTMLResponse)
def act(token: str, data: FormFields, transact: Transaction, now: Now) -> Response:
    return transact(lambda u: _act(token, data.get("action", ""), u, now), writes=True)


def _act(token: str, action: str, u: Unit, now: datetime) -> Response:
    invitation = find_invitation(token, PURPOSE, session=u.session, now=now, lock=True)
    view = None if invitation is None else interest_view(u, invitation, now.date())
    if view is None:
        return not_found()
    if action == "afmelden":
        withdraw_interest(u, view.interest)
        return RedirectResponse(f"{REGISTER_PATH}/afgemeld", status_code=303)
    if action == "bevestigen":
        confirm_interest(u, view.interest, clock.utcnow(now))
        return RedirectResponse(f"/{INTEREST_ROUTE}/{token}", status_code=303)
    return _show(token, u, now, status_code=400)

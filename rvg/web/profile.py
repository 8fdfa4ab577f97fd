"""An organisation's information page: ``/informatiepagina/<token>`` (GET shows the form,
POST saves a new version), then ``…/voorbeeld`` (GET shows the page as candidates will see
it, POST publishes that version)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rvg import clock
from rvg.commitments.answer import FieldError
from rvg.information.profiles import (
    FIELDS,
    TEXT_FIELDS,
    ProfileView,
    form_values,
    personal_addresses,
    profile_view,
    publish_profile,
    save_profile,
    validate_profile,
)
from rvg.invitations.links import PROFILE_ROUTE
from rvg.models import InvitationPurpose
from rvg.repositories.invitations import find_invitation
from rvg.unit import Unit
from rvg.web.deps import FormFields, Now, Transaction
from rvg.web.pages import not_found, page

router = APIRouter()
PURPOSE = InvitationPurpose.PROFILE.value
PROFILE_PATH = f"/{PROFILE_ROUTE}/{{token}}"


def _open(token: str, u: Unit, now: datetime, lock: bool = False) -> ProfileView | None:
    invitation = find_invitation(token, PURPOSE, session=u.session, now=now, lock=lock)
    if invitation is None:
        return None
    return profile_view(invitation, session=u.session, zone=u.settings.zone)


def _form_page(
    view: ProfileView,
    token: str,
    values: dict[str, str],
    errors: list[FieldError],
    now: datetime,
    status_code: int = 200,
) -> HTMLResponse:
    return page(
        "profile_form.html",
        status_code=status_code,
        view=view,
        values=values,
        errors=errors,
        error_for={e.field: e.message for e in errors},
        text_fields=TEXT_FIELDS,
        fields=FIELDS,
        read_only=not view.is_open(now),
        token=token,
    )


@router.get(PROFILE_PATH, response_class=HTMLResponse)
def show(token: str, transact: Transaction, now: Now) -> Response:
    return transact(lambda u: _show(token, u, now))


def _show(token: str, u: Unit, now: datetime) -> Response:
    view = _open(token, u, now)
    if view is None:
        return not_found()
    return _form_page(view, token, form_values(view, session=u.session), [], now)


@router.post(PROFILE_PATH, response_class=HTMLResponse)
def save(token: str, data: FormFields, transact: Transaction, now: Now) -> Response:
    return transact(lambda u: _save(token, data, u, now), writes=True)


def _save(token: str, data: dict[str, str], u: Unit, now: datetime) -> Response:
    view = _open(token, u, now, lock=True)
    if view is None:
        return not_found()
    if not view.is_open(now):
        return _form_page(
            view, token, form_values(view, session=u.session), [], now, status_code=403
        )
    result = validate_profile(data, personal_addresses(session=u.session))
    if result.answer is None:
        return _form_page(view, token, data, result.errors, now, status_code=400)
    save_profile(view, result.answer, session=u.session, now=clock.utcnow(now))
    return RedirectResponse(f"/{PROFILE_ROUTE}/{token}/voorbeeld", status_code=303)


@router.get(f"{PROFILE_PATH}/voorbeeld", response_class=HTMLResponse)
def preview(token: str, transact: Transaction, now: Now) -> Response:
    return transact(lambda u: _preview(token, u, now))


def _preview_page(
    view: ProfileView, token: str, now: datetime, stale: bool = False, status_code: int = 200
) -> Response:
    if view.profile.latest is None:
        return RedirectResponse(f"/{PROFILE_ROUTE}/{token}", status_code=303)
    return page(
        "profile_preview.html",
        status_code=status_code,
        view=view,
        shown=view.profile.latest,
        token=token,
        stale=stale,
        read_only=not view.is_open(now),
        published_on=(
            view.profile.published_at.astimezone(now.tzinfo).date()
            if view.profile.published_at
            else None
        ),
    )


def _preview(token: str, u: Unit, now: datetime) -> Response:
    view = _open(token, u, now)
    if view is None:
        return not_found()
    return _preview_page(view, token, now)


@router.post(f"{PROFILE_PATH}/voorbeeld", response_class=HTMLResponse)
def publish(token: str, data: FormFields, transact: Transaction, now: Now) -> Response:
    return transact(lambda u: _publish(token, data, u, now), writes=True)


def _publish(token: str, data: dict[str, str], u: Unit, now: datetime) -> Response:
    view = _open(token, u, now, lock=True)
    if view is None:
        return not_found()
    if not view.is_open(now):
        return _preview_page(view, token, now, status_code=403)
    version = data.get("version", "")
    number = int(version) if version.isascii() and version.isdigit() and len(version) < 9 else 0
    if not publish_profile(view, number, now=clock.utcnow(now)):
        return _preview_page(view, token, now, stale=True, status_code=409)
    return RedirectResponse(f"/{PROFILE_ROUTE}/{token}/voorbeeld", status_code=303)

"""A secretary's path in a real browser: the invitation e-mail caught by the SMTP sink, the
form filled in by keyboard only, and axe-core's WCAG 2.1 AA rules on every page."""

import asyncio
import email
import email.policy
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.commitments.collection import invite
from rvg.db import make_sessionmaker, session_scope
from rvg.models import Cohort, Commitment, CommitmentVersion, Organisation
from rvg.notifications.dispatcher import dispatch
from rvg.notifications.sink import start_sink
from rvg.settings import Settings
from rvg.unit import Unit
from rvg.web.app import create_app
from rvg.web.server import BackgroundServer
from tests.browser.conftest import axe_violations
from tests.utils.flows import cohort_in
from tests.utils.smtp import free_port
from tests.utils.web import Clock, secretary

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DURING = datetime(2026, 9, 20, 11, 0, tzinfo=AMSTERDAM)


def _invitation_link(engine, settings: Settings, maildir) -> str:
    """Invite Tilburg's secretary, send the e-mail to the sink, and read the link from the file."""
    sessions = make_sessionmaker(engine)
    with session_scope(sessions) as session:
        invite(Unit(settings, session, session.scalar(select(Cohort))), date(2026, 9, 7))
    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API owns this thread's event loop
        report = pool.submit(asyncio.run, dispatch(sessions, settings, as_of=DURING)).result()
    assert report.sent == 1
    (eml,) = maildir.glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    text = message.get_body(("plain",)).get_content()
    return re.search(r"http://\S+/aanmelden/\S+", text).group(0)


def _tab_to(page, element_id: str, limit: int = 30) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"no visible focus on #{element_id}"
            return
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


def test_secretary_signs_up_by_keyboard_on_pages_without_axe_violations(engine, page, tmp_path):
    cohort_in(engine)
    secretary(engine, "GM0855", email="secretaris@tilburg.example")
    app = create_app(Settings(), make_sessionmaker(engine), now=Clock(DURING))
    sink, _ = start_sink("127.0.0.1", free_port(), tmp_path / "mail")
    try:
        with BackgroundServer(app) as served:
            settings = Settings(web_base_url=served.url, smtp_port=sink.port)
            link = _invitation_link(engine, settings, tmp_path / "mail")
            assert link.startswith(served.url)

            page.goto(link)
            assert page.title().startswith("Aanmelden voor Ruimte voor Groei")
            assert axe_violations(page) == []

            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
            _tab_to(page, "takes_part")
            page.keyboard.press("Space")
            _tab_to(page, "vacancies_ro")
            page.keyboard.press("Control+A")
            page.keyboard.type("2")
            _tab_to(page, "signed_by_name")  # the agreement checkbox is skipped on purpose
            page.keyboard.type("A. de Vries")
            _tab_to(page, "signed_by_function")
            page.keyboard.type("Gemeentesecretaris")
            page.keyboard.press("Enter")

            page.wait_for_selector(".error-summary")
            assert page.title().startswith("Fout: ")
            assert page.locator(".error-summary a").all_inner_texts() == [
                "Ga akkoord met de kostenbijdrage om mee te doen."
            ]
            assert axe_violations(page) == []
            page.locator(".error-summary a").focus()
            page.keyboard.press("Enter")  # the link in the summary leads to the field
            assert page.evaluate("location.hash") == "#agrees_to_costs"
            page.locator("#agrees_to_costs").focus()
            page.keyboard.press("Space")
            _tab_to(page, "signed_by_name")
            _tab_to(page, "comment")
            page.keyboard.type("Wij hebben twee plekken bij Ruimte.")
            page.keyboard.press("Tab")
            page.keyboard.press("Enter")

            page.wait_for_url(re.compile(r".*/bevestiging(#.*)?$"))
            assert page.locator("h1").inner_text() == "Aanmelding ontvangen"
            assert axe_violations(page) == []
    finally:
        sink.stop()
    with Session(engine) as session:
        tilburg = session.scalar(select(Organisation.id).where(Organisation.code == "GM0855"))
        commitment = session.scalar(select(Commitment).where(Commitment.organisation_id == tilburg))
        assert (commitment.status, commitment.agrees_to_costs, commitment.signed_by_name) == (
            "committed",
            True,
            "A. de Vries",
        )
        assert {v.track_code: v.vacancies for v in commitment.vacancies} == {"ro": 2, "vm": 0}


def test_a_form_posted_from_another_site_gets_an_accessible_dutch_403(engine, page):
    from tests.utils.web import invitation_token

    token = invitation_token(engine)
    app = create_app(Settings(), make_sessionmaker(engine), now=Clock(DURING))
    with BackgroundServer(app) as served:
        # A page of another origin that learned the link and posts the form by itself.
        page.set_content(
            f'<html lang="nl"><title>Elders</title><form method="post" '
            f'action="{served.url}/aanmelden/{token}"><input type="hidden" name="takes_part" '
            'value="nee"><input type="hidden" name="signed_by_name" value="X">'
            '<button id="go">Versturen</button></form></html>'
        )
        page.locator("#go").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("h1").inner_text() == "Er ging iets mis"
        assert "alleen worden verstuurd vanaf de pagina zelf" in page.content()
        assert axe_violations(page) == []
    with Session(engine) as session:
        assert session.scalar(select(CommitmentVersion.id)) is None  # nothing was stored


@pytest.mark.parametrize("path", ["/aanmelden/" + "x" * 43, "/enquete/kort", "/bestaat-niet"])
def test_a_wrong_link_shows_the_same_accessible_dutch_page(engine, page, path):
    """A mistyped, expired or made-up link: the plain not-found page, the security headers,
    no axe violations, and nothing that tells which links exist."""
    cohort_in(engine)
    app = create_app(Settings(), make_sessionmaker(engine), now=Clock(DURING))
    with BackgroundServer(app) as served:
        response = page.goto(served.url + path)
        assert response is not None and response.status == 404
        assert response.headers["content-security-policy"].startswith("default-src 'none'")
        assert response.headers["referrer-policy"] == "no-referrer"
        assert page.locator("h1").inner_text() == "Pagina niet gevonden"
        assert page.locator("html").get_attribute("lang") == "nl"
        assert axe_violations(page) == []


def test_a_browser_guessing_links_gets_an_accessible_dutch_429(engine, page):
    cohort_in(engine)
    settings = Settings(web_token_misses_per_minute=2)
    app = create_app(settings, make_sessionmaker(engine), now=Clock(DURING))
    with BackgroundServer(app) as served:
        for n in range(2):
            assert page.goto(f"{served.url}/aanmelden/{'x' * 42}{n}").status == 404
        response = page.goto(f"{served.url}/aanmelden/{'x' * 43}")
        assert response is not None and response.status == 429
        assert response.headers["referrer-policy"] == "no-referrer"
        assert page.locator("h1").inner_text() == "Er ging iets mis"
        assert "Wacht een minuut" in page.content()
        assert axe_violations(page) == []


def test_a_changed_answer_shows_on_the_confirmation_the_redirect_leads_to(engine, page):
    """The request's transaction ends before the response leaves: the page the browser is sent
    to after saving already holds the change, and each save is a new version."""
    from tests.utils.web import invitation_token

    token = invitation_token(engine)
    app = create_app(Settings(), make_sessionmaker(engine), now=Clock(DURING))
    with BackgroundServer(app) as served:
        page.goto(f"{served.url}/aanmelden/{token}")
        for vacancies in ("1", "3"):
            page.locator("#takes_part").check()
            page.locator("#vacancies_ro").fill(vacancies)
            page.locator("#agrees_to_costs").check()
            page.locator("#signed_by_name").fill("A. de Vries")
            page.locator("#signed_by_function").fill("Gemeentesecretaris")
            page.locator("#signed_by_function").press("Enter")
            page.wait_for_url(re.compile(r".*/bevestiging$"))
            summary = page.locator("main").inner_text()
            assert re.search(rf"Vacatures Ruimtelijke Ordening\s+{vacancies}\b", summary), summary
            assert axe_violations(page) == []
            page.get_by_role("link", name="aanmelding wijzigen").press("Enter")
            page.wait_for_url(re.compile(rf".*/aanmelden/{token}$"))
    with Session(engine) as session:
        versions = session.scalars(select(CommitmentVersion.version)).all()
        assert sorted(versions) == [1, 2]

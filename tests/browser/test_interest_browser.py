"""A candidate registers for the Q&A sessions from the landing page, confirms through the
link and unsubscribes, in a real browser by keyboard only, each page without axe
violations."""

from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.db import make_sessionmaker
from rvg.models import Notification, QaInterest
from rvg.settings import Settings
from rvg.web.app import create_app
from rvg.web.server import BackgroundServer
from tests.browser.conftest import axe_violations
from tests.browser.test_signup_browser import _tab_to
from tests.utils.flows import cohort_in
from tests.utils.outbox import link_of
from tests.utils.web import Clock

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

CAMPAIGN = datetime(2027, 3, 10, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def _press(page, text: str, limit: int = 60) -> None:
    """Tab to the button or link reading ``text`` and press Enter."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == text:
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"no visible focus on {text!r}"
            page.keyboard.press("Enter")
            return
    raise AssertionError(f"{text!r} cannot be reached with the Tab key")


def test_a_candidate_registers_confirms_and_unsubscribes_by_keyboard(engine, page):
    cohort_in(engine)
    app = create_app(Settings(), make_sessionmaker(engine), now=Clock(CAMPAIGN))
    with BackgroundServer(app) as served:
        page.goto(served.url + "/kandidaten")
        _tab_to(page, "email")
        page.keyboard.type("geen adres")
        page.keyboard.press("Enter")
        page.wait_for_selector(".error-summary")
        assert page.title().startswith("Fout: Aanmelden voor het vragenuur")
        assert axe_violations(page) == []

        page.locator("#email").focus()
        page.keyboard.press("Control+A")
        page.keyboard.type("kandidaat@voorbeeld.example")
        page.keyboard.press("Enter")
        page.wait_for_url("**/kandidaten/vragenuur/verstuurd")
        assert page.locator("h1").inner_text() == "Kijk in uw mailbox"
        assert axe_violations(page) == []

        with Session(engine) as session:
            confirm = session.scalar(
                select(Notification).where(Notification.template == "qa_confirm")
            )
        page.goto(served.url + urlsplit(link_of(engine, confirm)).path)
        assert page.locator("h1").inner_text() == "Bevestig uw aanmelding voor het vragenuur"
        assert axe_violations(page) == []
        _press(page, "Aanmelding bevestigen")
        page.wait_for_selector("text=U bent aangemeld voor het vragenuur")
        assert axe_violations(page) == []

        _press(page, "Afmelden")
        page.wait_for_url("**/kandidaten/vragenuur/afgemeld")
        assert page.locator("h1").inner_text() == "U bent afgemeld"
        assert axe_violations(page) == []
    with Session(engine) as session:
        assert session.scalars(select(QaInterest)).all() == []

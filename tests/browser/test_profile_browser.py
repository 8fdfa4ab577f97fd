"""An organisation's contact fills its information page in a real browser, by keyboard only:
the form, its error summary, the preview and publishing, each page checked with axe-core's
WCAG 2.1 AA rules."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.db import make_sessionmaker
from rvg.models import InvitationPurpose, OrganisationProfile
from rvg.settings import Settings
from rvg.web.app import create_app
from rvg.web.server import BackgroundServer
from tests.browser.conftest import axe_violations
from tests.browser.test_signup_browser import _tab_to
from tests.utils.web import Clock, invitation_token

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

DURING = datetime(2027, 1, 15, 11, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
TEXTS = {
    "team_tasks": "Team Ruimte: acht beleidsmedewerkers voor omgevingsvisie en -plan.",
    "work": "Het omgevingsplan voor het buitengebied en één gebiedsvisie.",
    "culture": "Informeel, veel eigen ruimte, twee dagen per week samen op kantoor.",
    "location_travel": "Stadhuis, tien minuten lopen van station Tilburg.",
    "buddy_role": "Een senior beleidsmedewerker; jullie spreken elkaar elke week.",
}


def test_a_contact_fills_previews_and_publishes_the_page_by_keyboard(engine, page):
    token = invitation_token(engine, purpose=InvitationPurpose.PROFILE)
    app = create_app(Settings(), make_sessionmaker(engine), now=Clock(DURING))
    with BackgroundServer(app) as served:
        page.goto(f"{served.url}/informatiepagina/{token}")
        assert page.title().startswith("Informatiepagina van Tilburg")
        assert axe_violations(page) == []

        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
        for field, text in TEXTS.items():
            _tab_to(page, field)
            page.keyboard.type(text)
        _tab_to(page, "questions_email")
        page.keyboard.type("j.jansen@gmail.com")  # a private address: refused
        page.keyboard.press("Enter")

        page.wait_for_selector(".error-summary")
        assert page.title().startswith("Fout: ")
        assert page.locator(".error-summary a").all_inner_texts() == [
            "Gebruik een adres van uw organisatie, geen privé-adres."
        ]
        assert axe_violations(page) == []
        page.locator(".error-summary a").focus()
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#questions_email"
        page.locator("#questions_email").focus()
        page.keyboard.press("Control+A")
        page.keyboard.type("werken@tilburg.example")
        page.keyboard.press("Enter")

        page.wait_for_url(re.compile(r".*/voorbeeld(#.*)?$"))
        assert page.locator("h1").inner_text() == "Voorbeeld: informatiepagina van Tilburg"
        assert "Team Ruimte" in page.locator("article").inner_text()
        assert axe_violations(page) == []
        for _ in range(40):  # the publish button is reached with Tab and pressed with Enter
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent") == "Publiceren":
                break
        else:
            raise AssertionError("the publish button cannot be reached with the Tab key")
        page.keyboard.press("Enter")

        page.wait_for_selector("text=Deze versie staat op de website")
        assert page.locator("h1").inner_text() == "Gepubliceerd: informatiepagina van Tilburg"
        assert axe_violations(page) == []
    with Session(engine) as session:
        assert session.scalar(select(OrganisationProfile.published_version)) == 1

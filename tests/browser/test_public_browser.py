"""The public pages in a real browser: a candidate goes from the landing page to an
organisation's page by keyboard only, each page without axe violations, and the pages print
without the site's header."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from rvg.db import make_sessionmaker
from rvg.settings import Settings
from rvg.web.app import create_app
from rvg.web.server import BackgroundServer
from tests.browser.conftest import axe_violations
from tests.integration.test_public_pages import TEXT, _page
from tests.utils.flows import cohort_in
from tests.utils.web import Clock

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

CAMPAIGN = datetime(2027, 3, 10, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def test_a_candidate_reaches_an_organisations_page_by_keyboard(engine, page):
    cohort_in(engine)
    _page(engine, "GM0855", True, {"ro": 2, "vm": 0})
    app = create_app(Settings(), make_sessionmaker(engine), now=Clock(CAMPAIGN))
    with BackgroundServer(app) as served:
        page.goto(served.url + "/")
        assert axe_violations(page) == []
        for _ in range(10):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.getAttribute('href')") == "/kandidaten":
                break
        page.keyboard.press("Enter")
        page.wait_for_url("**/kandidaten")
        assert page.title().startswith("Word beleidsmedewerker")
        assert axe_violations(page) == []

        for _ in range(30):
            page.keyboard.press("Tab")
            href = page.evaluate("document.activeElement.getAttribute('href')")
            if href == "/kandidaten/2027/GM0855":
                outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
                assert outline != "none", "no visible focus on the organisation's link"
                break
        else:
            raise AssertionError("the organisation's link cannot be reached with the Tab key")
        page.keyboard.press("Enter")
        page.wait_for_url("**/kandidaten/2027/GM0855")
        assert page.locator("h1").inner_text() == "Tilburg"
        assert TEXT in page.locator("article").inner_text()
        assert axe_violations(page) == []

        page.emulate_media(media="print")
        assert page.locator("header.site").is_hidden()
        assert page.locator("article").is_visible()

        page.emulate_media(media="screen")
        page.goto(served.url + "/organisaties")
        assert page.locator("h1").inner_text() == "Meedoen als organisatie"
        assert axe_violations(page) == []

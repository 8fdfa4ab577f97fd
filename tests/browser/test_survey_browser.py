"""A participant's survey in a real browser: filled in by clicking labels, axe-core's WCAG 2.1
AA rules on the form, the page with errors and the thank-you page."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.db import make_sessionmaker
from rvg.models import SurveyResponse
from rvg.settings import Settings
from rvg.web.app import create_app
from rvg.web.server import BackgroundServer
from tests.browser.conftest import axe_violations
from tests.utils.surveys import survey_round, survey_token
from tests.utils.web import Clock

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

DURING = datetime(2027, 12, 10, 11, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def test_participant_answers_by_clicking_labels_on_pages_without_axe_violations(engine, page):
    token = survey_token(engine, survey_round(engine))
    app = create_app(Settings(), make_sessionmaker(engine), now=Clock(DURING))
    with BackgroundServer(app) as served:
        page.goto(f"{served.url}/enquete/{token}")
        assert page.title().startswith("Evaluatie na drie maanden")
        assert axe_violations(page) == []

        page.click("label[for='guid_buddy-4']")
        page.click("label[for='info_clear-5']")
        page.fill("#remark", "Fijne start.")
        page.click("button[type='submit']")

        page.wait_for_selector(".error-summary")
        assert page.title().startswith("Fout: ")
        links = page.locator(".error-summary a")
        assert links.count() == 4  # guid_manager, train_useful, work_place, nps
        assert page.is_checked("#guid_buddy-4") and page.input_value("#remark") == "Fijne start."
        assert axe_violations(page) == []
        links.first.click()
        assert page.evaluate("location.hash") == "#guid_manager"

        for label in ("guid_manager-4", "train_useful-3", "work_place-5", "nps-8"):
            page.click(f"label[for='{label}']")
        page.click("button[type='submit']")

        page.wait_for_url(re.compile(r".*/bedankt(#.*)?$"))
        assert page.locator("h1").inner_text() == "Antwoorden ontvangen"
        assert axe_violations(page) == []
    with Session(engine) as session:
        response = session.scalar(select(SurveyResponse))
        assert response.answers["guid_buddy"] == 4 and response.answers["nps"] == 8
        assert response.answers["remark"] == "Fijne start."


def test_a_buddys_form_names_the_participant_it_is_about(engine, page):
    """A buddy may guide two participants: the form says whom these answers are about."""
    token = survey_token(engine, survey_round(engine), audience="buddy")
    app = create_app(Settings(), make_sessionmaker(engine), now=Clock(DURING))
    with BackgroundServer(app) as served:
        page.goto(f"{served.url}/enquete/{token}")
        heading = "Evaluatie na drie maanden over VoornaamA001 Achternaam"
        assert page.locator("h1").inner_text() == heading
        assert page.title().startswith(heading)
        assert axe_violations(page) == []


def test_the_form_asks_its_cohorts_own_questions_and_works_by_keyboard_alone(
    engine, page, tmp_path
):
    """config/ was edited for the next cohort after 2027 was created: 2027's participant still
    gets 2027's question, and answers the whole form with the keyboard only (Tab to each
    group, Space to choose, Enter to send)."""
    from tests.utils.config_files import copy_config, replace_in

    token = survey_token(engine, survey_round(engine))
    config = copy_config(tmp_path)
    edited = "Mijn buddy maakt voldoende tijd voor mij vrij."
    replace_in(config / "surveys.yaml", "Mijn buddy heeft voldoende tijd voor mij.", edited)
    app = create_app(Settings(config_dir=config), make_sessionmaker(engine), now=Clock(DURING))
    with BackgroundServer(app) as served:
        page.goto(f"{served.url}/enquete/{token}")
        text = page.locator("form").inner_text()
        assert "Mijn buddy heeft voldoende tijd voor mij." in text and edited not in text
        assert axe_violations(page) == []

        chosen: set[str] = set()
        for _ in range(200):  # every focusable element of the page, in tab order
            page.keyboard.press("Tab")
            focused = page.evaluate(
                "() => ({tag: document.activeElement.tagName, type: document.activeElement.type,"
                " name: document.activeElement.name})"
            )
            if focused["type"] == "radio" and focused["name"] not in chosen:
                page.keyboard.press("Space")  # the group's first option
                chosen.add(focused["name"])
            elif focused["tag"] == "TEXTAREA":
                page.keyboard.type("Met het toetsenbord ingevuld.")
            elif focused["type"] == "submit":
                page.keyboard.press("Enter")
                break
        page.wait_for_url(re.compile(r".*/bedankt(#.*)?$"))
        assert page.locator("h1").inner_text() == "Antwoorden ontvangen"
        assert axe_violations(page) == []
    with Session(engine) as session:
        answers = session.scalar(select(SurveyResponse)).answers
    assert {"guid_buddy", "guid_manager", "train_useful", "work_place", "nps"} <= set(answers)
    assert answers["remark"] == "Met het toetsenbord ingevuld."

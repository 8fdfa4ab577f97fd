"""The survey form through the real app (TestClient) on both databases: every page and error."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.models import Invitation, SurveyResponse
from tests.utils.surveys import ANSWERS, survey_round, survey_token
from tests.utils.web import Clock, client

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
BEFORE = datetime(2027, 12, 5, 12, 0, tzinfo=AMSTERDAM)
DURING = datetime(2027, 12, 10, 11, 0, tzinfo=AMSTERDAM)
AFTER = datetime(2027, 12, 21, 0, 0, tzinfo=AMSTERDAM)  # the closing day is over
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def round_id(engine):
    return survey_round(engine)


@pytest.fixture
def token(engine, round_id):
    return survey_token(engine, round_id)


def test_form_is_dutch_labelled_and_grouped_in_sections(engine, token):
    response = client(engine, Clock(DURING)).get(f"/enquete/{token}")
    assert response.status_code == 200
    html = response.text
    assert '<html lang="nl">' in html and "Evaluatie na drie maanden" in html
    assert "Vraag-overzicht: 8 vragen in 5 onderdelen" in html
    assert "Onderdeel 2 van 5: Informatie over het programma" in html
    assert html.count("<fieldset") == html.count("<legend>") == 7  # 6 likert + nps
    for field in ("guid_buddy", "guid_buddy-5", "nps", "nps-10", "remark"):
        assert f'<label for="{field}">' in html and f'id="{field}"' in html
    assert "Helemaal mee oneens" in html and "10 – zeer waarschijnlijk" in html
    assert "Mijn buddy heeft voldoende tijd voor mij. (verplicht)" in html
    assert "buddy_hours" not in html
    assert "<script" not in html and "style=" not in html
    assert response.headers["referrer-policy"] == "no-referrer"


def test_a_buddy_sees_buddy_questions_only(engine, round_id):
    buddy = survey_token(engine, round_id, audience="buddy")
    html = client(engine, Clock(DURING)).get(f"/enquete/{buddy}").text
    assert 'id="buddy_hours"' in html and 'type="number"' in html
    assert "In uur per week, van 0 tot en met 40." in html
    assert 'id="guid_support"' in html
    assert 'id="guid_buddy"' not in html and 'id="train_useful"' not in html


def test_missing_required_answers_show_a_linked_error_summary_and_keep_values(engine, token):
    response = client(engine, Clock(DURING)).post(
        f"/enquete/{token}", data={"guid_buddy": "4", "remark": "Prima"}
    )
    assert response.status_code == 400
    html = response.text
    assert "<title>Fout: " in html and 'class="error-summary" role="alert"' in html
    assert '<a href="#guid_manager">Beantwoord deze vraag.</a>' in html
    assert '<a href="#nps">Beantwoord deze vraag.</a>' in html
    assert '<a href="#guid_buddy">' not in html
    assert re.search(r'id="guid_buddy-4" name="guid_buddy" value="4" checked', html)
    assert ">Prima</textarea>" in html
    with Session(engine) as session:
        assert session.scalar(select(SurveyResponse)) is None


def test_out_of_range_values_are_refused(engine, round_id):
    buddy = survey_token(engine, round_id, audience="buddy")
    data = {"guid_support": "4", "info_clear": "9", "nps": "11", "buddy_hours": "50"}
    response = client(engine, Clock(DURING)).post(f"/enquete/{buddy}", data=data)
    assert response.status_code == 400
    html = response.text
    assert '<a href="#info_clear">Kies een waarde van 1 tot en met 5.</a>' in html
    assert '<a href="#nps">Kies een waarde van 0 tot en met 10.</a>' in html
    assert '<a href="#buddy_hours">Vul een getal in van 0 tot en met 40.</a>' in html
    field = re.search(r'<input type="number" id="buddy_hours"[^>]*>', html).group(0)
    assert 'aria-describedby="buddy_hours-hint buddy_hours-error"' in field
    assert 'aria-invalid="true"' in field and 'value="50"' in field


def test_script_payloads_come_back_escaped(engine, token):
    web = client(engine, Clock(DURING))
    invalid = web.post(f"/enquete/{token}", data={"remark": PAYLOAD})
    assert invalid.status_code == 400
    assert "<script>" not in invalid.text and "&lt;script&gt;" in invalid.text
    saved = web.post(f"/enquete/{token}", data={**ANSWERS, "remark": PAYLOAD})
    assert saved.status_code == 303
    for path in (f"/enquete/{token}", f"/enquete/{token}/bedankt"):
        html = web.get(path).text
        assert "<script>" not in html and "<img src=x" not in html and "&lt;script&gt;" in html


def test_saving_redirects_to_thanks_and_editing_keeps_one_response(engine, token):
    web = client(engine, Clock(DURING))
    before = web.get(f"/enquete/{token}/bedankt")
    assert before.status_code == 303 and before.headers["location"] == f"/enquete/{token}"
    first = web.post(f"/enquete/{token}", data=ANSWERS)
    assert first.status_code == 303
    assert first.headers["location"] == f"/enquete/{token}/bedankt"
    done = web.get(first.headers["location"])
    assert done.status_code == 200 and "Antwoorden ontvangen" in done.text
    assert "Mee eens" in done.text
    form = web.get(f"/enquete/{token}").text
    assert "U hebt de vragenlijst eerder ingevuld" in form
    assert re.search(r'id="nps-9" name="nps" value="9" checked', form)
    assert web.post(f"/enquete/{token}", data={**ANSWERS, "nps": "7"}).status_code == 303
    with Session(engine) as session:
        (response,) = session.scalars(select(SurveyResponse)).all()
        assert (response.version, response.answers["nps"], response.answers["remark"]) == (
            2,
            7,
            None,
        )
        assert session.scalar(select(Invitation.responded_at)) is not None


def test_before_opening_a_notice_with_the_opening_date(engine, token):
    web = client(engine, Clock(BEFORE))
    page = web.get(f"/enquete/{token}")
    assert page.status_code == 200
    assert "De enquête is nog niet geopend" in page.text and "6 december 2027" in page.text
    assert "<form" not in page.text
    assert web.post(f"/enquete/{token}", data=ANSWERS).status_code == 403


def test_after_closing_the_answers_are_read_only(engine, round_id, token):
    client(engine, Clock(DURING)).post(f"/enquete/{token}", data=ANSWERS)
    late = client(engine, Clock(AFTER))
    page = late.get(f"/enquete/{token}")
    assert page.status_code == 200
    assert "De enquête is gesloten" in page.text and "<form" not in page.text
    assert "Helemaal mee eens" in page.text
    refused = late.post(f"/enquete/{token}", data={**ANSWERS, "nps": "1"})
    assert refused.status_code == 403
    silent = survey_token(engine, round_id, audience="manager")
    assert "U hebt niet gereageerd" in late.get(f"/enquete/{silent}").text
    with Session(engine) as session:
        assert session.scalar(select(SurveyResponse.version)) == 1


def test_unknown_and_signup_links_get_the_plain_404(engine, token):
    web = client(engine, Clock(DURING))
    pages = [web.get(f"/enquete/{token[:-2]}xy"), web.get("/enquete/kort")]
    pages.append(web.post(f"/enquete/{token[:-2]}xy", data=ANSWERS))
    assert {p.status_code for p in pages} == {404}
    assert "Pagina niet gevonden" in pages[0].text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("remark", "Goed\x00", "Verwijder het onzichtbare stuurteken (U+0000) uit de tekst."),
        ("nps", "١٠", "Kies een waarde van 0 tot en met 10."),  # Arabic-Indic 10
        ("buddy_hours", "nan", "Vul een getal in van 0 tot en met 40."),
        ("buddy_hours", "1e309", "Vul een getal in van 0 tot en met 40."),
    ],
)
def test_nul_nan_and_odd_digits_get_a_field_message_on_both_databases(
    engine, round_id, field, value, message
):
    buddy = survey_token(engine, round_id, audience="buddy")
    data = {"guid_support": "4", "info_clear": "3", "nps": "8", "buddy_hours": "4", field: value}
    response = client(engine, Clock(DURING)).post(f"/enquete/{buddy}", data=data)
    assert response.status_code == 400
    assert f'<a href="#{field}">{message}</a>' in response.text
    with Session(engine) as session:
        assert session.scalar(select(SurveyResponse)) is None


def test_the_form_asks_the_questions_of_the_invitations_cohort(engine, token):
    """The cohort's own rules decide the questions, not config/: a version of 2027's rules
    with a question reworded shows that wording, while config/ still has the old one."""
    from rvg.models import Cohort
    from rvg.rule_sets import keep_rules, latest_rule_set

    old, new = "Mijn buddy heeft voldoende tijd voor mij.", "Mijn buddy maakt tijd voor mij vrij."
    with Session(engine) as session, session.begin():
        cohort = session.scalar(select(Cohort).where(Cohort.code == "2027"))
        files = dict(latest_rule_set(cohort, session=session).files)
        assert old in files["surveys.yaml"]
        files["surveys.yaml"] = files["surveys.yaml"].replace(old, new)
        keep_rules(cohort, files, session=session, reason="test: reworded", at=DURING)
    html = client(engine, Clock(DURING)).get(f"/enquete/{token}").text
    assert f"{new} (verplicht)" in html and old not in html

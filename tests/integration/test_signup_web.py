"""The sign-up form through the real app (TestClient) on both databases: every page and error."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.invitations.links import with_link
from rvg.models import Commitment, CommitmentVersion, Invitation, Notification
from rvg.notifications.rendering import render
from tests.utils.web import Clock, client, invitation_token

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DURING = datetime(2026, 9, 20, 11, 0, tzinfo=AMSTERDAM)
AFTER = datetime(2026, 10, 31, 0, 0, tzinfo=AMSTERDAM)  # the deadline day is over
ANSWER = {
    "takes_part": "ja",
    "vacancies_ro": "2",
    "vacancies_vm": "1",
    "agrees_to_costs": "ja",
    "signed_by_name": "A. de Vries",
    "signed_by_function": "Gemeentesecretaris",
}
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def token(engine):
    return invitation_token(engine)


def test_form_is_dutch_labelled_and_sent_with_security_headers(engine, token):
    response = client(engine, Clock(DURING)).get(f"/aanmelden/{token}")
    assert response.status_code == 200
    html = response.text
    assert '<html lang="nl">' in html and "Aanmelden voor Ruimte voor Groei, lichting 2027" in html
    for field in (
        "takes_part",
        "takes_part-nee",
        "vacancies_ro",
        "vacancies_vm",
        "agrees_to_costs",
        "signed_by_name",
        "signed_by_function",
        "comment",
    ):
        assert f'<label for="{field}">' in html and f'id="{field}"' in html
    assert html.count("<fieldset") == html.count("<legend>") == 4
    assert "<script" not in html and "style=" not in html
    headers = response.headers
    assert headers["referrer-policy"] == "no-referrer"
    assert "script-src" not in headers["content-security-policy"]
    assert "default-src 'none'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


def test_unknown_malformed_and_expired_links_get_the_same_plain_404(engine, token):
    expired = invitation_token(engine, "GM0772", expires_at=DURING - timedelta(days=1))
    web = client(engine, Clock(DURING))
    pages = [
        web.get(path)
        for path in (
            f"/aanmelden/{token[:-2]}xy",
            "/aanmelden/kort",
            f"/aanmelden/{expired}",
            "/bestaat-niet",
        )
    ]
    assert {p.status_code for p in pages} == {404}
    assert len({p.text for p in pages}) == 1
    assert "Pagina niet gevonden" in pages[0].text
    assert pages[0].headers["referrer-policy"] == "no-referrer"


def test_missing_agreement_shows_an_error_summary_linked_to_the_field(engine, token):
    response = client(engine, Clock(DURING)).post(
        f"/aanmelden/{token}", data={**ANSWER, "agrees_to_costs": ""}
    )
    assert response.status_code == 400
    html = response.text
    assert "<title>Fout: " in html
    assert 'class="error-summary" role="alert"' in html
    assert '<a href="#agrees_to_costs">Ga akkoord met de kostenbijdrage om mee te doen.</a>' in html
    field = re.search(r'<input type="checkbox" id="agrees_to_costs"[^>]*>', html).group(0)
    assert 'aria-describedby="agrees_to_costs-hint agrees_to_costs-error"' in field
    assert 'aria-invalid="true"' in field
    assert 'value="A. de Vries"' in html  # what was typed is kept
    with Session(engine) as session:
        assert session.scalar(select(Commitment.version)) == 0


def test_negative_vacancies_are_refused(engine, token):
    response = client(engine, Clock(DURING)).post(
        f"/aanmelden/{token}", data={**ANSWER, "vacancies_vm": "-3"}
    )
    assert response.status_code == 400
    assert (
        '<a href="#vacancies_vm">Vul bij Verkeer en Mobiliteit een heel getal in van 0 tot en met '
        "50.</a>" in response.text
    )


def test_saving_redirects_to_a_confirmation_keeps_every_version_and_confirms_by_email(
    engine, token
):
    web = client(engine, Clock(DURING))
    first = web.post(f"/aanmelden/{token}", data=ANSWER)
    assert (
        first.status_code == 303 and first.headers["location"] == f"/aanmelden/{token}/bevestiging"
    )
    done = web.get(first.headers["location"])
    assert done.status_code == 200 and "Aanmelding ontvangen" in done.text
    second = web.post(f"/aanmelden/{token}", data={**ANSWER, "vacancies_ro": "3"})
    assert second.status_code == 303
    with Session(engine) as session:
        commitment = session.scalar(select(Commitment))
        assert (commitment.status, commitment.version) == ("committed", 2)
        versions = session.scalars(
            select(CommitmentVersion).order_by(CommitmentVersion.version)
        ).all()
        assert [v.payload["vacancies"]["ro"] for v in versions] == [2, 3]
        mails = session.scalars(
            select(Notification).where(Notification.template == "signup_confirmation")
        ).all()
        assert len(mails) == 2
        assert mails[0].to_address == "secretaris@gm0855.example"
        # the e-mail will carry a link of its own to this form, made when it is sent
        assert "secret_link" not in mails[0].context
        assert mails[0].context["link_invitation"] == session.scalar(select(Invitation.id))
    form = web.get(f"/aanmelden/{token}").text
    assert 'value="3"' in form and "U hebt eerder een aanmelding ingevuld" in form


def test_confirmation_before_answering_goes_back_to_the_form(engine, token):
    response = client(engine, Clock(DURING)).get(f"/aanmelden/{token}/bevestiging")
    assert response.status_code == 303 and response.headers["location"] == f"/aanmelden/{token}"


def test_after_the_deadline_the_answer_is_read_only(engine, token):
    client(engine, Clock(DURING)).post(f"/aanmelden/{token}", data=ANSWER)
    late = client(engine, Clock(AFTER))
    page = late.get(f"/aanmelden/{token}")
    assert page.status_code == 200
    assert "De aanmeldtermijn is gesloten" in page.text and "<form" not in page.text
    refused = late.post(f"/aanmelden/{token}", data={**ANSWER, "vacancies_ro": "9"})
    assert refused.status_code == 403
    with Session(engine) as session:
        assert session.scalar(select(Commitment.version)) == 1


def test_script_payloads_come_back_escaped_everywhere(engine, token):
    web = client(engine, Clock(DURING))
    invalid = web.post(
        f"/aanmelden/{token}", data={**ANSWER, "signed_by_name": "", "comment": PAYLOAD}
    )
    assert PAYLOAD not in invalid.text and "&lt;script&gt;" in invalid.text
    web.post(f"/aanmelden/{token}", data={**ANSWER, "comment": PAYLOAD})
    for path in (f"/aanmelden/{token}", f"/aanmelden/{token}/bevestiging"):
        html = web.get(path).text
        assert PAYLOAD not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    with Session(engine) as session:
        mail = session.scalar(
            select(Notification).where(Notification.template == "signup_confirmation")
        )
    rendered = render(mail.template, with_link(mail.context))
    assert PAYLOAD not in rendered.html and "&lt;script&gt;" in rendered.html
    assert PAYLOAD in rendered.text  # plain text is not HTML


def test_only_get_and_post_and_the_home_page(engine, token):
    web = client(engine, Clock(DURING))
    assert web.put(f"/aanmelden/{token}", data=ANSWER).status_code == 405
    assert web.delete(f"/aanmelden/{token}").status_code == 405
    assert web.get("/").status_code == 200
    assert web.get("/static/rvg.css").status_code == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [("signed_by_name", "A. de\x00 Vries"), ("comment", "Graag\x00"), ("vacancies_ro", "²")],
)
def test_nul_bytes_and_odd_digits_get_a_field_message_on_both_databases(
    engine, token, field, value
):
    response = client(engine, Clock(DURING)).post(
        f"/aanmelden/{token}", data={**ANSWER, field: value}
    )
    assert response.status_code == 400
    assert f'<a href="#{field}">' in response.text
    with Session(engine) as session:
        assert session.scalar(select(Commitment.version)) == 0

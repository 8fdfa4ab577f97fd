"""An organisation's information page through the real app (TestClient) on both databases:
the form, its errors, the preview, publishing, versions, and the end of changes."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.models import InvitationPurpose, OrganisationProfile, OrganisationProfileVersion
from tests.utils.web import Clock, client, invitation_token

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DURING = datetime(2027, 1, 15, 11, 0, tzinfo=AMSTERDAM)
OPENED = datetime(2027, 3, 1, 9, 0, tzinfo=AMSTERDAM)  # the recruitment opened this morning
PAGE = {
    "team_tasks": "Team Ruimte: acht beleidsmedewerkers voor omgevingsvisie en -plan.",
    "work": "Je werkt aan het omgevingsplan voor het buitengebied en aan één gebiedsvisie.",
    "culture": "Informeel, veel eigen ruimte, twee dagen per week samen op kantoor.",
    "location_travel": "Stadhuis, Stadhuisplein 1; tien minuten lopen van station Tilburg.",
    "buddy_role": "Een senior beleidsmedewerker; jullie spreken elkaar elke week een uur.",
    "story": "",
    "questions_email": "werken@tilburg.example",
}
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def profile_token(engine, org_code: str = "GM0855", **kwargs) -> str:
    return invitation_token(engine, org_code, purpose=InvitationPurpose.PROFILE, **kwargs)


@pytest.fixture
def token(engine):
    return profile_token(engine)


def _versions(engine) -> list[tuple[int, str]]:
    with Session(engine) as session:
        rows = session.execute(
            select(OrganisationProfileVersion.version, OrganisationProfileVersion.culture).order_by(
                OrganisationProfileVersion.version
            )
        )
        return [tuple(row) for row in rows]


def _published(engine) -> int | None:
    with Session(engine) as session:
        return session.scalar(select(OrganisationProfile.published_version))


def test_the_form_is_dutch_labelled_and_sent_with_security_headers(engine, token):
    response = client(engine, Clock(DURING)).get(f"/informatiepagina/{token}")
    assert response.status_code == 200
    html = response.text
    assert '<html lang="nl">' in html and "Informatiepagina van Tilburg" in html
    for field in PAGE:
        assert f'<label for="{field}">' in html and f'id="{field}"' in html
    assert 'type="email" id="questions_email"' in html
    assert "<script" not in html and "style=" not in html
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "default-src 'none'" in response.headers["content-security-policy"]


def test_saving_shows_a_preview_and_publishing_puts_that_version_live(engine, token):
    web = client(engine, Clock(DURING))
    saved = web.post(f"/informatiepagina/{token}", data=PAGE)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/informatiepagina/{token}/voorbeeld"
    preview = web.get(saved.headers["location"])
    assert preview.status_code == 200
    assert "Dit is een voorbeeld (versie 1); nog niet gepubliceerd." in preview.text
    assert "werken@tilburg.example" in preview.text and "Team Ruimte" in preview.text
    assert _published(engine) is None

    published = web.post(f"/informatiepagina/{token}/voorbeeld", data={"version": "1"})
    assert published.status_code == 303
    page = web.get(f"/informatiepagina/{token}/voorbeeld").text
    assert "Deze versie staat op de website" in page and "15 januari 2027" in page
    assert 'name="version"' not in page  # nothing left to publish
    assert _published(engine) == 1


def test_every_save_is_a_version_and_the_published_one_stays_until_the_next_is_published(
    engine, token
):
    web = client(engine, Clock(DURING))
    web.post(f"/informatiepagina/{token}", data=PAGE)
    web.post(f"/informatiepagina/{token}/voorbeeld", data={"version": "1"})
    changed = PAGE | {"culture": "Nu ook: één vaste thuiswerkdag voor iedereen in het team."}
    web.post(f"/informatiepagina/{token}", data=changed)
    form = web.get(f"/informatiepagina/{token}").text
    assert "één vaste thuiswerkdag" in form  # the form shows the latest version
    assert "Er is al een versie gepubliceerd" in form
    assert _published(engine) == 1
    preview = web.get(f"/informatiepagina/{token}/voorbeeld").text
    assert "versie 2" in preview and "vorige versie zichtbaar" in preview
    web.post(f"/informatiepagina/{token}/voorbeeld", data={"version": "2"})
    assert _published(engine) == 2
    assert [v for v, _ in _versions(engine)] == [1, 2]


def test_publishing_a_version_that_is_no_longer_the_latest_is_refused_with_the_newer_one(
    engine, token
):
    web = client(engine, Clock(DURING))
    web.post(f"/informatiepagina/{token}", data=PAGE)
    web.post(f"/informatiepagina/{token}", data=PAGE | {"culture": "Een tweede, nieuwere tekst."})
    for version in ("1", "x", "", "99999999999999"):
        refused = web.post(f"/informatiepagina/{token}/voorbeeld", data={"version": version})
        assert refused.status_code == 409
        assert "Er is intussen een nieuwere versie opgeslagen" in refused.text
        assert "Een tweede, nieuwere tekst." in refused.text
    assert _published(engine) is None


def test_errors_are_listed_linked_to_their_fields_and_nothing_is_stored(engine, token):
    web = client(engine, Clock(DURING))
    wrong = PAGE | {
        "team_tasks": "",
        "work": "nan",
        "culture": "Met een NUL\x00-teken.",
        "location_travel": "x" * 1001,
        "questions_email": "a.de.vries@gmail.com",
    }
    response = web.post(f"/informatiepagina/{token}", data=wrong)
    assert response.status_code == 400
    html = response.text
    assert "<title>Fout: " in html
    for field in ("team_tasks", "work", "culture", "location_travel", "questions_email"):
        assert f'<a href="#{field}">' in html and f'id="{field}-error"' in html
    assert "Gebruik een adres van uw organisatie, geen privé-adres." in html
    assert "U+0000" in html and "hoogstens 1000 tekens" in html
    assert _versions(engine) == []


def test_a_colleagues_own_address_is_refused_as_the_question_mailbox(engine, token):
    web = client(engine, Clock(DURING))
    own = PAGE | {"questions_email": "secretaris@gm0855.example"}  # the contact's address
    response = web.post(f"/informatiepagina/{token}", data=own)
    assert response.status_code == 400
    assert "Dit is het adres van een medewerker" in response.text


def test_what_is_typed_is_shown_as_text_never_as_markup(engine, token):
    web = client(engine, Clock(DURING))
    web.post(f"/informatiepagina/{token}", data=PAGE | {"story": PAYLOAD})
    preview = web.get(f"/informatiepagina/{token}/voorbeeld").text
    assert "<script>alert" not in preview and "&lt;script&gt;" in preview


def test_once_the_recruitment_opens_the_page_is_read_only_and_a_post_changes_nothing(engine, token):
    web = client(engine, Clock(DURING))
    web.post(f"/informatiepagina/{token}", data=PAGE)
    web.post(f"/informatiepagina/{token}/voorbeeld", data={"version": "1"})
    later = client(engine, Clock(OPENED))
    form = later.get(f"/informatiepagina/{token}").text
    assert "de pagina kan niet meer worden gewijzigd" in form and "<form" not in form
    refused = later.post(
        f"/informatiepagina/{token}", data=PAGE | {"culture": "Te laat gewijzigd."}
    )
    assert refused.status_code == 403
    republish = later.post(f"/informatiepagina/{token}/voorbeeld", data={"version": "1"})
    assert republish.status_code == 403
    assert [v for v, _ in _versions(engine)] == [1]


def test_unknown_expired_and_other_purpose_links_get_the_plain_404(engine, token):
    expired = profile_token(engine, "GM0772", expires_at=DURING - timedelta(days=1))
    signup = invitation_token(engine, "GM0796")  # a sign-up link does not open a profile
    web = client(engine, Clock(DURING))
    for path in (
        f"/informatiepagina/{token[:-2]}xy",
        f"/informatiepagina/{expired}",
        f"/informatiepagina/{signup}",
        f"/informatiepagina/{signup}/voorbeeld",
    ):
        response = web.get(path)
        assert response.status_code == 404, path
        assert "Pagina niet gevonden" in response.text


def test_a_preview_before_anything_is_saved_leads_to_the_form(engine, token):
    response = client(engine, Clock(DURING)).get(f"/informatiepagina/{token}/voorbeeld")
    assert response.status_code == 303
    assert re.fullmatch(rf"/informatiepagina/{token}", response.headers["location"])


def test_a_new_cohorts_form_starts_from_the_page_published_for_the_cohort_before(
    engine, token, tmp_path
):
    from rvg.db import make_sessionmaker, session_scope
    from rvg.information.profiles import ensure_profile, form_values, profile_view
    from rvg.models import Cohort, Invitation, Organisation
    from rvg.settings import Settings
    from tests.utils.flows import cohort_in, next_cohort_file

    web = client(engine, Clock(DURING))
    web.post(f"/informatiepagina/{token}", data=PAGE)
    web.post(f"/informatiepagina/{token}/voorbeeld", data={"version": "1"})
    web.post(
        f"/informatiepagina/{token}", data=PAGE | {"culture": "Een concept, nooit gepubliceerd."}
    )
    cohort_in(engine, "2028", next_cohort_file(tmp_path))
    with session_scope(make_sessionmaker(engine)) as session:
        cohort = session.scalar(select(Cohort).where(Cohort.code == "2028"))
        tilburg = session.scalar(select(Organisation).where(Organisation.code == "GM0855"))
        invitation = Invitation(
            purpose="profile",
            cohort_id=cohort.id,
            organisation_id=tilburg.id,
            expires_at=datetime(2028, 6, 1, tzinfo=AMSTERDAM),
        )
        session.add(invitation)
        session.flush()
        view = profile_view(invitation, session=session, zone=Settings().zone)
        assert view.profile.latest is None
        values = form_values(view, session=session)
        assert values["culture"] == PAGE["culture"]  # the published text, not the later draft
        assert values["questions_email"] == "werken@tilburg.example"
        other = ensure_profile(cohort.id, tilburg.id, session=session)
        assert other is view.profile

"""The public pages through the real app on both databases: only published pages appear,
nothing about a person, cacheable with an ETag, and the security headers kept."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from rvg.db import make_sessionmaker, session_scope
from rvg.information.profiles import ProfileAnswer, profile_view, publish_profile, save_profile
from rvg.models import (
    Cohort,
    Commitment,
    CommitmentVacancy,
    Invitation,
    InvitationPurpose,
    Organisation,
)
from tests.utils.web import Clock, client, secretary

ZONE = ZoneInfo("Europe/Amsterdam")
CAMPAIGN = datetime(2027, 3, 10, 12, 0, tzinfo=ZONE)
TEXT = "Team Ruimte: acht mensen die werken aan het omgevingsplan."


def _page(engine, code: str, publish: bool, vacancies: dict[str, int]) -> None:
    """``code`` committed to cohort 2027 with ``vacancies``, with a saved page, published or
    left as a draft."""
    secretary(engine, code, email=f"m.de.secretaris@{code.lower()}.example")
    with session_scope(make_sessionmaker(engine)) as session:
        cohort = session.scalar(select(Cohort))
        organisation = session.scalar(select(Organisation).where(Organisation.code == code))
        commitment = Commitment(
            cohort_id=cohort.id,
            organisation_id=organisation.id,
            status="committed",
            agrees_to_costs=True,
            version=1,
        )
        commitment.vacancies = [
            CommitmentVacancy(track_code=t, vacancies=n) for t, n in vacancies.items()
        ]
        session.add(commitment)
        invitation = Invitation(
            purpose=InvitationPurpose.PROFILE.value,
            cohort_id=cohort.id,
            organisation_id=organisation.id,
            expires_at=datetime(2027, 8, 1, tzinfo=ZONE),
        )
        session.add(invitation)
        session.flush()
        view = profile_view(invitation, session=session, zone=ZONE)
        at = datetime(2027, 1, 10, tzinfo=ZONE)
        answer = ProfileAnswer(TEXT, *(["Een tekst van voldoende lengte."] * 4), "werken@x.example")
        version = save_profile(view, answer, session=session, now=at)
        if publish:
            assert publish_profile(view, version.version, now=at)


@pytest.fixture
def campaign(engine):
    from tests.utils.flows import cohort_in

    cohort_in(engine)
    _page(engine, "GM0855", True, {"ro": 2, "vm": 0})  # Tilburg: published, one track
    _page(engine, "GM0772", False, {"ro": 1, "vm": 1})  # Eindhoven: a draft only


def test_the_landing_page_lists_only_published_pages_per_track(engine, campaign):
    response = client(engine, Clock(CAMPAIGN)).get("/kandidaten")
    assert response.status_code == 200
    html = response.text
    assert "Ruimte voor Groei, lichting 2027: de data" in html
    assert "1 maart 2027" in html and "17 juni 2027" in html
    assert '<a href="/kandidaten/2027/GM0855">Tilburg</a>' in html
    assert "Eindhoven" not in html  # saved, never published
    assert html.count("Tilburg</a>") == 1  # under its one track with places
    assert "Brief en cv" in html and "Definitieve match" in html


def test_an_organisations_page_shows_its_published_version_and_nothing_of_a_person(
    engine, campaign
):
    web = client(engine, Clock(CAMPAIGN))
    page = web.get("/kandidaten/2027/GM0855")
    assert page.status_code == 200
    assert TEXT in page.text and "werken@x.example" in page.text
    assert "Ruimtelijke Ordening 2" in page.text
    for path in ("/kandidaten", "/kandidaten/2027/GM0855", "/organisaties", "/"):
        html = web.get(path).text
        assert "m.de.secretaris@" not in html and "M. de Secretaris" not in html
    for path in (
        "/kandidaten/2027/GM0772",  # a draft
        "/kandidaten/2027/GM0796",  # not taking part
        "/kandidaten/2026/GM0855",  # no such cohort
        "/kandidaten/2027/..%2Fetc",
        "/kandidaten/2027/" + "x" * 40,
    ):
        assert web.get(path).status_code == 404, path


def test_public_pages_are_cacheable_with_an_etag_and_keep_the_security_headers(engine, campaign):
    web = client(engine, Clock(CAMPAIGN))
    first = web.get("/kandidaten/2027/GM0855")
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=300"
    assert "default-src 'none'" in first.headers["content-security-policy"]
    assert first.headers["x-content-type-options"] == "nosniff"
    again = web.get("/kandidaten/2027/GM0855", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == tag
    stale = web.get("/kandidaten/2027/GM0855", headers={"If-None-Match": '"other"'})
    assert stale.status_code == 200
    form = web.get("/organisaties")
    assert form.headers["cache-control"] == "public, max-age=300"
    # a token page is never cached
    assert web.get("/aanmelden/" + "x" * 43).headers["cache-control"] == "no-store"


def test_a_newly_published_version_changes_the_page_and_its_etag(engine, campaign):
    web = client(engine, Clock(CAMPAIGN))
    before = web.get("/kandidaten/2027/GM0855")
    with session_scope(make_sessionmaker(engine)) as session:
        invitation = session.scalar(
            select(Invitation).join(Organisation).where(Organisation.code == "GM0855")
        )
        view = profile_view(invitation, session=session, zone=ZONE)
        answer = ProfileAnswer(*(["Een nieuwe tekst, lang genoeg."] * 5), "werken@x.example")
        at = datetime(2027, 2, 1, tzinfo=ZONE)
        assert publish_profile(
            view, save_profile(view, answer, session=session, now=at).version, now=at
        )
    after = web.get("/kandidaten/2027/GM0855")
    assert after.headers["etag"] != before.headers["etag"]
    assert "Een nieuwe tekst" in after.text and TEXT not in after.text


def test_without_a_campaign_the_pages_say_so(engine):
    web = client(engine, Clock(CAMPAIGN))
    assert "Er loopt op dit moment geen werving" in web.get("/kandidaten").text
    assert "Er staat op dit moment geen lichting open" in web.get("/organisaties").text


def test_the_page_for_organisations_names_the_dates_and_the_contribution_once_decided(
    engine, campaign
):
    html = client(engine, Clock(datetime(2026, 9, 10, tzinfo=ZONE))).get("/organisaties").text
    assert "Ruimte voor Groei, lichting 2027" in html
    assert "7 september 2026" in html and "30 oktober 2026" in html
    assert "wordt vastgesteld in de business case" in html  # no approved case yet


def test_the_pages_list_each_audiences_q_and_a_sessions_still_ahead(engine, campaign):
    web = client(engine, Clock(CAMPAIGN))  # Wednesday 10 March 2027, noon
    candidates = web.get("/kandidaten").text
    assert "woensdag 10 maart 2027, 19.30–20.30 uur" in candidates
    assert "3 maart 2027" not in candidates  # past
    assert "woensdag 16 juni 2027" in candidates and "23 juni 2027" not in candidates
    organisations = web.get("/organisaties").text
    assert "woensdag 17 maart 2027, 12.00–12.45 uur" in organisations
    assert "19.30" not in organisations

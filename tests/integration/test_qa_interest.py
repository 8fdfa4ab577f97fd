"""The Q&A registration through the real app on both databases: double opt-in, invitations
and reminders only once confirmed, unsubscribe in every message, and every address gone
after the campaign."""

from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.models import ErasureAudit, Notification, QaInterest
from rvg.notifications.attachments import YEAR_CALENDAR_KEY
from tests.utils.flows import cohort_in
from tests.utils.outbox import link_of
from tests.utils.web import Clock, client

ZONE = ZoneInfo("Europe/Amsterdam")
CAMPAIGN = datetime(2027, 3, 10, 12, 0, tzinfo=ZONE)  # Wednesday; the meet & greet 17 June
ADDRESS = "kandidaat@voorbeeld.example"


@pytest.fixture
def web(engine):
    cohort_in(engine)
    return client(engine, Clock(CAMPAIGN))


def _mail(engine) -> list[Notification]:
    with Session(engine) as session:
        return list(
            session.scalars(
                select(Notification)
                .where(Notification.key.startswith("qa-interest:"))
                .order_by(Notification.id)
            )
        )


def _interests(engine) -> list[QaInterest]:
    with Session(engine) as session:
        return list(session.scalars(select(QaInterest)))


def _path(engine, notification: Notification) -> str:
    return urlsplit(link_of(engine, notification)).path


def test_registering_asks_to_confirm_once_a_day_at_most_and_says_the_same_every_time(engine, web):
    first = web.post("/kandidaten/vragenuur", data={"email": f"  {ADDRESS} "})
    again = web.post("/kandidaten/vragenuur", data={"email": ADDRESS})
    assert first.status_code == again.status_code == 303
    assert (
        first.headers["location"] == again.headers["location"] == "/kandidaten/vragenuur/verstuurd"
    )
    assert "Kijk in uw mailbox" in web.get(first.headers["location"]).text
    [interest] = _interests(engine)
    assert (interest.email, interest.confirmed_at) == (ADDRESS, None)
    assert [(n.template, n.to_address) for n in _mail(engine)] == [("qa_confirm", ADDRESS)]

    for hours in (25, 50, 75, 100):
        client(engine, Clock(CAMPAIGN + timedelta(hours=hours))).post(
            "/kandidaten/vragenuur", data={"email": ADDRESS}
        )
    assert [n.template for n in _mail(engine)] == ["qa_confirm"] * 3  # at most three asks


def test_a_wrong_address_is_named_at_its_field_and_nothing_is_stored(engine, web):
    for typed, message in (
        ("", "Vul uw e-mailadres in."),
        ("geen-adres", "Vul een geldig e-mailadres in"),
        ("a\x00b@voorbeeld.example", "U+0000"),
    ):
        response = web.post("/kandidaten/vragenuur", data={"email": typed})
        assert response.status_code == 400
        assert "<title>Fout: " in response.text and '<a href="#email">' in response.text
        assert message in response.text
    assert _interests(engine) == [] and _mail(engine) == []


def test_an_unconfirmed_address_gets_no_invitation_and_opening_the_link_confirms_nothing(
    engine, web
):
    web.post("/kandidaten/vragenuur", data={"email": ADDRESS})
    [confirm] = _mail(engine)
    path = _path(engine, confirm)
    page = web.get(path)  # a mail scanner following the link
    assert page.status_code == 200 and "Bevestig uw aanmelding" in page.text
    assert _interests(engine)[0].confirmed_at is None
    assert [n.template for n in _mail(engine)] == ["qa_confirm"]


def test_confirming_queues_the_invitation_with_a_calendar_and_a_reminder_before_each_session(
    engine, web
):
    web.post("/kandidaten/vragenuur", data={"email": ADDRESS})
    path = _path(engine, _mail(engine)[0])
    confirmed = web.post(path, data={"action": "bevestigen"})
    assert confirmed.status_code == 303
    assert "U bent aangemeld voor het vragenuur" in web.get(path).text
    web.post(path, data={"action": "bevestigen"})  # twice: nothing new
    mail = _mail(engine)
    invitation = next(n for n in mail if n.template == "qa_invitation")
    reminders = [n for n in mail if n.template == "qa_reminder"]
    assert invitation.context[YEAR_CALENDAR_KEY]["file"] == "vragenuren.ics"
    events = invitation.context[YEAR_CALENDAR_KEY]["events"]
    assert events[0]["starts_at"] == "2027-03-10T19:30:00+01:00"  # tonight's is still ahead
    assert len(events) == 15  # 10 March to 16 June
    assert len(reminders) == 14  # tonight's has no reminder: the invitation is it
    first = min(reminders, key=lambda n: n.due_at)
    assert first.due_at.astimezone(ZONE).date() == date(2027, 3, 16)  # the Tuesday before
    assert all(n.to_address == ADDRESS for n in mail)
    assert "Afmelden" in web.get(path).text


def test_unsubscribing_deletes_the_address_cancels_what_waits_and_forgets_what_was_sent(
    engine, web
):
    web.post("/kandidaten/vragenuur", data={"email": ADDRESS})
    path = _path(engine, _mail(engine)[0])
    web.post(path, data={"action": "bevestigen"})
    gone = web.post(path, data={"action": "afmelden"})
    assert gone.status_code == 303 and gone.headers["location"] == "/kandidaten/vragenuur/afgemeld"
    assert "we hebben uw e-mailadres gewist" in web.get(gone.headers["location"]).text
    assert _interests(engine) == []
    mail = _mail(engine)
    assert mail and all(n.to_address != ADDRESS and n.context == {} for n in mail)
    assert {n.status for n in mail if n.template == "qa_reminder"} == {"cancelled"}
    assert web.get(path).status_code == 404
    assert web.post(path, data={"action": "bevestigen"}).status_code == 404


def test_an_unknown_action_changes_nothing(engine, web):
    web.post("/kandidaten/vragenuur", data={"email": ADDRESS})
    path = _path(engine, _mail(engine)[0])
    assert web.post(path, data={"action": "=cmd|' /C calc'!A0"}).status_code == 400
    assert _interests(engine)[0].confirmed_at is None


def test_without_a_campaign_nothing_is_stored(engine):
    response = client(engine, Clock(CAMPAIGN)).post(
        "/kandidaten/vragenuur", data={"email": ADDRESS}
    )
    assert response.status_code == 200 and "Er zijn nu geen vragenuren" in response.text
    assert _interests(engine) == []


def test_every_address_is_deleted_after_the_meet_and_greet_and_the_erasure_is_audited(engine, web):
    from rvg.recruitment.retention import erase_due, first_erasure_day

    web.post("/kandidaten/vragenuur", data={"email": ADDRESS})
    web.post("/kandidaten/vragenuur", data={"email": "tweede@voorbeeld.example"})
    web.post(_path(engine, _mail(engine)[0]), data={"action": "bevestigen"})
    with Session(engine) as session:
        assert first_erasure_day(session=session) == date(2027, 6, 18)
        kept = erase_due(None, date(2027, 6, 17), session=session, dry_run=False, performed_by="t")
        assert kept.interests == 0
        report = erase_due(
            None, date(2027, 6, 18), session=session, dry_run=False, performed_by="t"
        )
        session.commit()
        assert report.interests == 2 and "qa_interests_due=2" in report.line()
        audits = session.scalars(
            select(ErasureAudit).where(ErasureAudit.subject_type == "qa_interest")
        ).all()
        assert len(audits) == 2
    assert _interests(engine) == []
    assert all(n.to_address == "gewist@invalid" for n in _mail(engine))

"""Rendering, MIME building and retry timing: the pure parts of sending e-mail."""

import email
import email.policy
import random
from datetime import UTC, datetime, timedelta

import pytest

from rvg.config.programme import TeamContact
from rvg.notifications.claims import RetryPolicy
from rvg.notifications.dispatcher import _claim_batch_size
from rvg.notifications.message import build_message, message_id
from rvg.notifications.rendering import TemplateError, render
from rvg.settings import Settings

CONTEXT = {"number": 2, "total": 5, "requested_at": "01-09-2027 10:00"}


TEAM = TeamContact(
    team="Projectteam Ruimte voor Groei",
    email="rvg@brabant.nl",
    phone="073 681 28 12",
    hours="ma-vr 9.00-17.00 uur",
)


def test_test_template_is_dutch_in_subject_text_and_html():
    email = render("test", CONTEXT)
    assert email.subject == "Testbericht 2 van 5 van Ruimte voor Groei"
    assert "Dit is testbericht 2 van 5" in email.text
    assert '<html lang="nl">' in email.html
    assert "<p>Dit is testbericht 2 van 5" in email.html


def test_every_e_mail_is_signed_with_the_team_people_can_reach():
    rendered = render("test", CONTEXT, team=TEAM)
    for part in (rendered.text, rendered.html):
        assert "Projectteam Ruimte voor Groei" in part
        assert "rvg@brabant.nl" in part and "073 681 28 12" in part and "ma-vr 9.00-17.00" in part
        assert "niet gelezen" not in part  # replies are read: they reach the team's mailbox
    assert (
        'href="mailto:rvg@brabant.nl"' in rendered.html and 'href="tel:0736812812"' in rendered.html
    )
    outgoing = build_message(
        rendered,
        key="t:1",
        sender="Ruimte voor Groei <noreply@brabant.nl>",
        reply_to=TEAM.mailbox,
        to="a@example.org",
        domain="brabant.nl",
        date=datetime(2027, 6, 1, tzinfo=UTC),
    )
    message = email.message_from_bytes(outgoing.data, policy=email.policy.default)
    assert message["Reply-To"] == "Projectteam Ruimte voor Groei <rvg@brabant.nl>"
    assert message["From"] == "Ruimte voor Groei <noreply@brabant.nl>"


def test_real_mail_is_refused_while_the_team_contact_is_the_example():
    from rvg.config.programme import EXAMPLE_CONTACT
    from rvg.notifications.safety import UnsafeDryRun, refuse_example_contact

    assert EXAMPLE_CONTACT.is_example and not TEAM.is_example
    refuse_example_contact(EXAMPLE_CONTACT, "127.0.0.1")  # the local sink: fine
    refuse_example_contact(TEAM, "smtp.brabant.nl")
    with pytest.raises(UnsafeDryRun, match="contact is still the example"):
        refuse_example_contact(EXAMPLE_CONTACT, "smtp.brabant.nl")


def test_html_is_autoescaped_and_text_is_not():
    email = render("test", {**CONTEXT, "requested_at": "<script>alert(1)</script>"})
    assert "<script>" not in email.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in email.html
    assert "<script>alert(1)</script>" in email.text


def test_a_missing_variable_is_an_error_not_a_gap():
    with pytest.raises(TemplateError, match="'total' is undefined"):
        render("test", {"number": 1, "requested_at": "nu"})


def test_an_unknown_template_is_named():
    with pytest.raises(TemplateError, match="'herinnering-x'"):
        render("herinnering-x", {})


def test_message_is_multipart_alternative_with_the_promised_headers():
    when = datetime(2027, 9, 1, 10, 0, tzinfo=UTC)
    outgoing = build_message(
        render("test", CONTEXT),
        key="test:a:2",
        sender="Ruimte voor Groei <noreply@rvg.example>",
        to="buddy@example.org",
        domain="rvg.example",
        date=when,
    )
    assert (outgoing.sender, outgoing.recipient) == ("noreply@rvg.example", "buddy@example.org")
    assert b"\r\n" in outgoing.data and b"\n" not in outgoing.data.replace(b"\r\n", b"")
    message = email.message_from_bytes(outgoing.data, policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"
    assert [part.defects for part in message.walk()] == [[], [], []]
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    rendered = render("test", CONTEXT)
    assert message.get_body(("plain",)).get_content() == rendered.text.replace("\n", "\r\n")
    assert message.get_body(("html",)).get_content() == rendered.html.replace("\n", "\r\n")
    assert message["Subject"] == "Testbericht 2 van 5 van Ruimte voor Groei"
    assert message["From"] == "Ruimte voor Groei <noreply@rvg.example>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"] == message_id("test:a:2", "rvg.example") == outgoing.message_id
    assert message["Date"] == "Wed, 01 Sep 2027 10:00:00 +0000"


def test_non_ascii_subjects_and_names_are_encoded():
    rendered = render("test", CONTEXT)
    outgoing = build_message(
        type(rendered)(subject="Één vraag over uw aanmelding", text="t", html="<p>h</p>"),
        key="k",
        sender="Provincie Noord-Brabant – RvG <rvg@brabant.example>",
        to="a@example.org",
        domain="brabant.example",
        date=datetime(2027, 1, 1, tzinfo=UTC),
    )
    assert outgoing.data.isascii()
    message = email.message_from_bytes(outgoing.data, policy=email.policy.default)
    assert message["Subject"] == "Één vraag over uw aanmelding"
    assert message["From"].addresses[0].display_name == "Provincie Noord-Brabant – RvG"


def test_message_id_depends_only_on_the_key():
    assert message_id("k", "d.example") == message_id("k", "d.example")
    assert message_id("k", "d.example") != message_id("k2", "d.example")
    assert message_id("k", "d.example").endswith("@d.example>")


def test_backoff_grows_exponentially_with_jitter_and_a_cap():
    policy = RetryPolicy(base_seconds=60, cap_seconds=3600)
    rng = random.Random(7)
    for attempt, ceiling in [(1, 60), (2, 120), (3, 240), (10, 3600)]:
        delays = [policy.delay(attempt, rng) for _ in range(200)]
        assert all(
            timedelta(seconds=ceiling / 2) <= d <= timedelta(seconds=ceiling) for d in delays
        )
        assert len(set(delays)) > 100  # jitter spreads retries out


def test_claim_batches_fit_the_lease_under_a_rate_limit():
    assert _claim_batch_size(Settings(), concurrency=4) == 64
    assert _claim_batch_size(Settings(), concurrency=32) == 200
    # 6 a minute for half of a 300 s lease is 15: never claim more than can be sent in time
    assert _claim_batch_size(Settings(dispatch_rate_per_minute=6), concurrency=4) == 15
    assert _claim_batch_size(Settings(dispatch_rate_per_minute=600), concurrency=4) == 64


def test_rate_limiter_spaces_sends_evenly():
    import asyncio
    import time

    from rvg.notifications.smtp import RateLimiter

    async def five_sends() -> float:
        limiter = RateLimiter(per_minute=600)  # one every 0.1 s
        start = time.monotonic()
        await asyncio.gather(*(limiter.wait() for _ in range(5)))
        return time.monotonic() - start

    assert asyncio.run(five_sends()) >= 0.4


def test_a_calendar_event_becomes_an_ics_attachment_next_to_the_two_bodies():
    from icalendar import Calendar

    from rvg.calendar import CalendarEvent, Organizer
    from rvg.clock import DEFAULT_TIMEZONE as AMSTERDAM
    from rvg.notifications.attachments import attachments_for, calendar_context

    event = CalendarEvent(
        "meet-greet-2027@rvg",
        "Meet & greet Ruimte voor Groei",
        datetime(2027, 6, 17, 13, 0, tzinfo=AMSTERDAM),
        datetime(2027, 6, 17, 17, 0, tzinfo=AMSTERDAM),
        location="Provinciehuis, 's-Hertogenbosch",
        categories=("meet_greet",),
    )
    outgoing = build_message(
        render("test", CONTEXT),
        key="mg:1",
        sender="RvG <noreply@rvg.example>",
        to="a@example.org",
        domain="rvg.example",
        date=datetime(2027, 6, 1, tzinfo=UTC),
        attachments=attachments_for(
            {"calendar_event": calendar_context(event)},
            organizer=Organizer("team@rvg.example"),
            to="a@example.org",
            stamp=datetime(2027, 6, 1, 8, 0, tzinfo=UTC),
        ),
    )
    message = email.message_from_bytes(outgoing.data, policy=email.policy.default)
    assert [part.defects for part in message.walk()] == [[]] * 5
    assert message.get_content_type() == "multipart/mixed"
    assert [p.get_content_type() for p in message.walk()] == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    (ics,) = [p for p in message.iter_attachments()]
    assert ics.get_filename() == "uitnodiging.ics"
    parsed = Calendar.from_ical(ics.get_content())
    (vevent,) = parsed.walk("VEVENT")
    assert str(vevent["uid"]) == "meet-greet-2027@rvg"
    assert vevent["dtstart"].dt == event.starts_at
    assert parsed["method"] == "REQUEST"  # addressed to the recipient, so RFC 5546 REQUEST
    assert str(vevent["attendee"]) == "mailto:a@example.org"
    assert str(vevent["organizer"]) == "mailto:team@rvg.example"
    assert vevent.decoded("dtstamp") == datetime(2027, 6, 1, 8, 0, tzinfo=UTC)


def test_subjects_start_with_a_capital_and_counts_take_the_right_form():
    signup = {
        "contact_name": "Anna de Vries",
        "organisation": "Tilburg",
        "cohort_name": "lichting 2027",
        "deadline": "30-10-2026",
        "minimum": 12,
        "days_left": 7,
        "contribution": "",
        "secret_link": "https://rvg.example/aanmelden/x",
    }
    # a row queued by the previous release has no minimum_needed: it still renders
    queued = render("signup_invitation", signup | {"reminder": False}).text
    assert "ten minste 12 organisaties nodig" in queued
    needed = signup | {"reminder": False, "minimum_needed": "12 gemeenten"}
    assert "ten minste 12 gemeenten nodig" in render("signup_invitation", needed).text
    first = render("signup_invitation", signup | {"reminder": False}).subject
    again = render("signup_invitation", signup | {"reminder": True}).subject
    assert first.startswith("Aanmelden voor lichting 2027")
    assert again.startswith("Herinnering: aanmelden voor")
    match = {
        "contact_name": "Anna de Vries",
        "organisation": "Tilburg",
        "cohort_name": "lichting 2027",
        "starts_on": "06-09-2027",
        "reply_by": "05-07-2027",
    }
    one = [{"name": "Sep Jansen", "track": "Ruimtelijke Ordening"}]
    two = [*one, {"name": "Noor Bakker", "track": "Verkeer en Mobiliteit"}]
    assert render("match_organisation", match | {"count": 1, "participants": one}).subject == (
        "1 deelnemer voor Tilburg in lichting 2027: geef buddy en leidinggevende door"
    )
    assert render("match_organisation", match | {"count": 2, "participants": two}).subject == (
        "2 deelnemers voor Tilburg in lichting 2027: geef buddy en leidinggevende door"
    )
    stuck = {
        "contact_name": "Team",
        "cohort_name": "lichting 2027",
        "date": "01-04-2027",
        "stuck": [{"ref": "A-1", "stage": "Eerste selectie", "days": 1}],
    }
    one_stuck = render("stuck_applicants", stuck | {"count": 1})
    assert "1 sollicitant van lichting 2027 staat langer stil" in one_stuck.subject
    assert "staat deze sollicitant van" in one_stuck.text and "A-1: Eerste selectie, 1 dag" in (
        one_stuck.text
    )


def test_a_candidate_is_greeted_by_full_name_as_the_formal_u_asks():
    context = {
        "organisation": "Tilburg",
        "track": "Ruimtelijke Ordening",
        "cohort_name": "lichting 2027",
        "starts_on": "06-09-2027",
    }
    now = render("match_candidate", context | {"name": "Sep Jansen"}).text
    assert "Beste Sep Jansen," in now and "bent u gekoppeld" in now
    # an e-mail queued by the previous release, with the first name only, still renders
    queued = render("match_candidate", context | {"first_name": "Sep"}).text
    assert "Beste Sep," in queued

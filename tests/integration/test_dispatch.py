"""The dispatcher against a real SMTP server on loopback, on both databases."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from tests.utils.outbox import (
    expected_message_ids,
    fill_outbox,
    run_dispatch,
    settings_for,
    statuses,
)
from tests.utils.smtp import ScriptedHandler, SmtpTestServer, free_port

T0 = datetime(2027, 9, 1, 8, 0, tzinfo=UTC)


def test_due_messages_are_sent_once_with_their_headers(engine):
    keys = fill_outbox(engine, 25, due_at=T0)
    fill_outbox(engine, 3, due_at=T0 + timedelta(days=1), prefix="later")
    with SmtpTestServer() as server:
        report = run_dispatch(engine, settings_for(server.port), as_of=T0, concurrency=3)
        again = run_dispatch(engine, settings_for(server.port), as_of=T0, concurrency=3)
    assert report.summary().line() == "sent=25 retried=0 failed=0 pending=3"
    assert again.sent == 0
    assert set(server.handler.message_ids) == expected_message_ids(keys)
    assert len(server.handler.message_ids) == 25
    first = server.handler.messages[0]
    assert first["Auto-Submitted"] == "auto-generated"
    assert first.get_content_type() == "multipart/alternative"
    rows = statuses(engine)
    assert all(rows[k].status == "sent" and rows[k].sent_at == T0 for k in keys)


def test_4xx_is_retried_with_backoff_then_sent(engine):
    keys = fill_outbox(engine, 5, due_at=T0)
    handler = ScriptedHandler(data_replies=["451 4.3.0 Try again later"])
    with SmtpTestServer(handler) as server:
        first = run_dispatch(engine, settings_for(server.port), as_of=T0)
        rows = statuses(engine)
        assert (first.sent, first.retried) == (0, 5)
        assert all(r.status == "pending" and r.smtp_code == 451 for r in rows.values())
        assert all(
            T0 + timedelta(seconds=30) <= r.due_at <= T0 + timedelta(seconds=60)
            for r in rows.values()
        )
        assert (
            run_dispatch(engine, settings_for(server.port), as_of=T0 + timedelta(seconds=10)).sent
            == 0
        )
        second = run_dispatch(engine, settings_for(server.port), as_of=T0 + timedelta(minutes=2))
    assert (second.sent, second.pending) == (5, 0)
    assert set(server.handler.message_ids) == expected_message_ids(keys)


def test_5xx_fails_at_once_and_keeps_code_and_message(engine):
    fill_outbox(engine, 2, due_at=T0)
    handler = ScriptedHandler(data_replies=["554 5.7.1 Message rejected as spam"])
    with SmtpTestServer(handler) as server:
        report = run_dispatch(engine, settings_for(server.port), as_of=T0)
    assert (report.sent, report.failed, report.pending) == (0, 2, 0)
    row = next(iter(statuses(engine).values()))
    assert (row.status, row.smtp_code) == ("failed", 554)
    assert "Message rejected as spam" in row.last_error
    assert report.failures[0].code == 554


def test_one_refused_recipient_does_not_fail_the_others(engine):
    keys = fill_outbox(engine, 6, due_at=T0)
    handler = ScriptedHandler(refused={"r3@example.org"})
    with SmtpTestServer(handler) as server:
        report = run_dispatch(engine, settings_for(server.port), as_of=T0, concurrency=2)
    assert (report.sent, report.failed) == (5, 1)
    rows = statuses(engine)
    assert rows[keys[3]].status == "failed" and rows[keys[3]].smtp_code == 550
    assert all(rows[k].status == "sent" for k in keys if k != keys[3])


def test_server_down_then_up_loses_nothing(engine):
    keys = fill_outbox(engine, 8, due_at=T0)
    port = free_port()
    down = run_dispatch(engine, settings_for(port), as_of=T0, concurrency=2)
    assert (down.sent, down.retried, down.pending) == (0, 8, 8)
    assert all("Connect" in (r.last_error or "") for r in statuses(engine).values())
    with SmtpTestServer(port=port) as server:
        up = run_dispatch(engine, settings_for(port), as_of=T0 + timedelta(hours=1), concurrency=2)
    assert (up.sent, up.pending) == (8, 0)
    assert Counter(server.handler.message_ids) == Counter(expected_message_ids(keys))


def test_retries_stop_after_the_maximum_number_of_attempts(engine):
    fill_outbox(engine, 1, due_at=T0)
    port = free_port()  # nothing listens: every attempt fails
    settings = settings_for(port, dispatch_max_attempts=3)
    moment = T0
    for _ in range(3):
        report = run_dispatch(engine, settings, as_of=moment)
        moment += timedelta(hours=7)
    row = next(iter(statuses(engine).values()))
    assert (row.status, row.attempts) == ("failed", 3)
    assert row.last_error.startswith("gave up after 3 attempts")
    assert report.failed == 1


def test_limit_and_rate_limit(engine):
    fill_outbox(engine, 10, due_at=T0)
    with SmtpTestServer() as server:
        limited = run_dispatch(engine, settings_for(server.port), as_of=T0, limit=4)
        throttled = run_dispatch(
            engine, settings_for(server.port, dispatch_rate_per_minute=6000), as_of=T0, limit=3
        )
    assert (limited.sent, limited.pending) == (4, 6)
    assert (throttled.sent, throttled.pending) == (3, 3)


def test_secret_context_values_are_dropped_once_sent(engine):
    from sqlalchemy.orm import Session

    from rvg.notifications import enqueue

    with Session(engine) as session:
        enqueue(
            session,
            key="invite:1",
            to="secretaris@gemeente.example",
            template="test",
            context={
                "number": 1,
                "total": 1,
                "requested_at": "nu",
                "secret_link": "https://x/t0k3n",
            },
            due_at=T0,
        )
        session.commit()
    with SmtpTestServer() as server:
        run_dispatch(engine, settings_for(server.port), as_of=T0)
    row = statuses(engine)["invite:1"]
    assert row.status == "sent"
    assert row.context == {"number": 1, "total": 1, "requested_at": "nu"}


def _invite_with_link(engine, key: str) -> str:
    """A sign-up invitation and an e-mail carrying its link; returns the token."""
    from sqlalchemy.orm import Session

    from rvg.notifications import enqueue
    from tests.utils.web import invitation_token

    token = invitation_token(engine)
    with Session(engine) as session:
        enqueue(
            session,
            key=key,
            to="secretaris@gemeente.example",
            template="test",
            context={
                "number": 1,
                "total": 1,
                "requested_at": "nu",
                "secret_link": f"http://127.0.0.1:8000/aanmelden/{token}",
            },
            due_at=T0,
        )
        session.commit()
    return token


def _link_works(engine, token: str) -> bool:
    from sqlalchemy.orm import Session

    from rvg.repositories.invitations import find_invitation

    during_signup = datetime(2026, 9, 20, 10, 0, tzinfo=UTC)
    with Session(engine) as session:
        return find_invitation(token, "signup", session=session, now=during_signup) is not None


def test_a_permanently_failed_e_mail_loses_its_link_and_the_link_stops_working(engine):
    token = _invite_with_link(engine, "invite:failed")
    assert _link_works(engine, token)
    handler = ScriptedHandler(data_replies=["550 5.1.1 No such user"])
    with SmtpTestServer(handler) as server:
        report = run_dispatch(engine, settings_for(server.port), as_of=T0)
    row = statuses(engine)["invite:failed"]
    assert (report.failed, row.status) == (1, "failed")
    assert "secret_link" not in row.context and row.context["number"] == 1
    assert not _link_works(engine, token)


def test_a_cancelled_e_mail_loses_its_link_and_the_link_stops_working(engine):
    from sqlalchemy.orm import Session

    from rvg.notifications.outbox import cancel

    token = _invite_with_link(engine, "invite:cancelled")
    with Session(engine) as session:
        assert cancel(session, keys=["invite:cancelled"]) == 1
        session.commit()
    row = statuses(engine)["invite:cancelled"]
    assert row.status == "cancelled" and "secret_link" not in row.context
    assert not _link_works(engine, token)


def test_sending_as_of_another_moment_goes_only_to_a_local_sink(engine):
    """A past or future ``as_of`` would send reminders for deadlines gone by, or early: the
    dispatcher refuses it against a real mail server and claims nothing."""
    from rvg.notifications.safety import UnsafeDryRun

    keys = fill_outbox(engine, 2, due_at=T0)
    real_server = settings_for(25, smtp_host="smtp.gemeente.example")
    for moment in (T0, datetime.now(UTC) + timedelta(days=30)):
        with pytest.raises(UnsafeDryRun, match="not due now"):
            run_dispatch(engine, real_server, as_of=moment)
    assert {row.status for row in statuses(engine).values()} == {"pending"}
    assert {row.attempts for row in statuses(engine).values()} == {0}
    with SmtpTestServer() as server:  # the same moment against the sink on loopback
        assert run_dispatch(engine, settings_for(server.port), as_of=T0).sent == len(keys)


def test_the_dispatch_command_refuses_a_shifted_clock_before_prefect_starts(database_url):
    from tests.utils.cli import run_rvg

    for moment in ("2026-09-07", "2099-07-01T09:00"):
        refused = run_rvg(
            "dispatch",
            "--as-of",
            moment,
            database_url=database_url,
            RVG_SMTP_HOST="smtp.gemeente.example",
        )
        assert refused.returncode == 2, refused.stderr[-2000:]
        assert "not sending" in refused.stderr and "RVG_SMTP_HOST" in refused.stderr
        assert "Traceback" not in refused.stderr


def test_replies_and_calendar_answers_reach_the_teams_mailbox(engine, tmp_path):
    """The configured contact is every message's Reply-To, its signature and the ORGANIZER of
    its calendar invitation; the noreply sender stays the From."""
    from icalendar import Calendar
    from sqlalchemy.orm import Session

    from rvg.calendar import CalendarEvent
    from rvg.notifications import enqueue
    from rvg.notifications.attachments import calendar_context
    from tests.utils.config_files import copy_config, replace_in

    config = copy_config(tmp_path)
    replace_in(config / "programme.yaml", "projectteam@ruimtevoorgroei.example", "rvg@brabant.nl")
    replace_in(config / "programme.yaml", '"073 000 00 00"', '"073 681 28 12"')
    event = CalendarEvent(
        "intervisie-1@rvg",
        "Intervisie",
        T0 + timedelta(days=7),
        T0 + timedelta(days=7, hours=2),
    )
    with Session(engine) as session:
        enqueue(
            session,
            key="invite:calendar",
            to="buddy@gemeente.example",
            template="test",
            context={
                "number": 1,
                "total": 1,
                "requested_at": "nu",
                "calendar_event": calendar_context(event),
            },
            due_at=T0,
        )
        session.commit()
    with SmtpTestServer() as server:
        run_dispatch(engine, settings_for(server.port, config_dir=config), as_of=T0)
    (message,) = server.handler.messages
    assert message["Reply-To"] == "Projectteam Ruimte voor Groei <rvg@brabant.nl>"
    assert "noreply" in message["From"]
    parts = {part.get_content_type(): part for part in message.walk()}
    text = parts["text/plain"].get_payload(decode=True).decode("utf-8")
    assert "rvg@brabant.nl" in text and "073 681 28 12" in text
    (vevent,) = Calendar.from_ical(parts["text/calendar"].get_payload(decode=True)).walk("VEVENT")
    assert str(vevent["organizer"]) == "mailto:rvg@brabant.nl"
    assert vevent["organizer"].params["CN"] == "Projectteam Ruimte voor Groei"

"""The outbox on both databases: idempotent enqueue, checks at the producer, claims, leases."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from rvg.errors import UserError
from rvg.models import Notification
from rvg.notifications import cancel, enqueue, reschedule
from rvg.notifications.claims import claim_due
from rvg.notifications.rendering import TemplateError

T0 = datetime(2027, 9, 1, 8, 0, tzinfo=UTC)
CONTEXT = {"number": 1, "total": 1, "requested_at": "01-09-2027"}


def _enqueue(session, key, due=T0, to="buddy@example.org", context=CONTEXT):
    return enqueue(session, key=key, to=to, template="test", context=context, due_at=due)


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Notification))


def test_enqueue_twice_with_the_same_key_gives_one_row(session):
    first = _enqueue(session, "buddy-checkin:17:2027-09-08")
    session.commit()
    second = _enqueue(
        session,
        "buddy-checkin:17:2027-09-08",
        due=T0 + timedelta(days=3),
        to="someone-else@example.org",
    )
    session.commit()
    assert _count(session) == 1
    assert second.id == first.id
    assert (second.to_address, second.due_at) == ("buddy@example.org", T0)


def test_a_missing_template_variable_fails_at_the_producer(session):
    with pytest.raises(TemplateError, match="'total' is undefined"):
        _enqueue(session, "k", context={"number": 1, "requested_at": "x"})
    session.rollback()
    assert _count(session) == 0


def test_a_bad_address_is_refused_with_the_field_named(session):
    with pytest.raises(UserError, match="field 'to': not a valid e-mail address"):
        _enqueue(session, "k", to="buddy.example.org")


def test_dates_in_the_context_are_stored_as_iso_text(session):
    row = _enqueue(session, "k", context={**CONTEXT, "requested_at": T0.date()})
    session.commit()
    assert row.context["requested_at"] == "2027-09-01"


def test_cancel_by_key_prefix_touches_only_pending_rows_of_that_prefix(session):
    for key in ("reminder:p17:a", "reminder:p17:b", "reminder:p18:a"):
        _enqueue(session, key)
    session.commit()
    claim_due(session, now=T0, lease_seconds=300, limit=1, worker="w")  # p17:a is in flight
    assert cancel(session, key_prefix="reminder:p17:") == 1
    session.commit()
    statuses = dict(session.execute(select(Notification.key, Notification.status)).all())
    assert statuses == {
        "reminder:p17:a": "sending",
        "reminder:p17:b": "cancelled",
        "reminder:p18:a": "pending",
    }


def test_cancel_does_not_treat_prefix_characters_as_wildcards(session):
    _enqueue(session, "reminder:p1_:a")
    _enqueue(session, "reminder:p12:a")
    session.commit()
    assert cancel(session, key_prefix="reminder:p1_") == 1


def test_reschedule_moves_only_pending_rows(session):
    _enqueue(session, "a")
    session.commit()
    assert reschedule(session, key="a", due_at=T0 + timedelta(days=7))
    session.commit()
    assert session.scalar(select(Notification.due_at)) == T0 + timedelta(days=7)
    cancel(session, keys=["a"])
    session.commit()
    assert not reschedule(session, key="a", due_at=T0)


def test_claims_take_due_rows_once_and_expired_leases_again(session):
    for n in range(5):
        _enqueue(session, f"due-{n}", due=T0 - timedelta(minutes=n))
    _enqueue(session, "later", due=T0 + timedelta(hours=1))
    session.commit()

    first = claim_due(session, now=T0, lease_seconds=300, limit=3, worker="a")
    second = claim_due(session, now=T0, lease_seconds=300, limit=10, worker="b")
    assert {c.key for c in first} == {"due-4", "due-3", "due-2"}  # oldest first
    assert {c.key for c in second} == {"due-1", "due-0"}
    assert (
        claim_due(session, now=T0 + timedelta(seconds=299), lease_seconds=300, limit=10, worker="c")
        == []
    )

    after_lease = claim_due(
        session, now=T0 + timedelta(seconds=301), lease_seconds=300, limit=10, worker="c"
    )
    assert {c.key for c in after_lease} == {f"due-{n}" for n in range(5)}
    assert all(c.attempts == 2 for c in after_lease)


def test_a_person_in_two_cohorts_reads_which_cohort_each_message_is_about(session, tmp_path):
    """A buddy in 2027 who manages a participant of 2028: each message names its cohort in the
    subject (unless the subject already does) and above the text; one without a cohort not."""
    from rvg.models import Cohort
    from rvg.notifications.rendering import render
    from tests.utils.flows import cohort_in, next_cohort_file

    cohort_in(session.get_bind())
    cohort_in(session.get_bind(), "2028", next_cohort_file(tmp_path))
    first, second = session.scalars(select(Cohort).order_by(Cohort.code)).all()
    names = {"recipient_name": "Bo Buddy", "participant_name": "Pim Deelnemer"}
    checkin = names | {"period": "week", "number": 2, "switch_to_monthly": False}
    rows = [
        enqueue(
            session,
            key=f"t:{cohort.code}:{template}",
            to="bo@tilburg.example",
            template=template,
            context=context,
            due_at=T0,
            cohort=cohort,
        )
        for cohort, template, context in (
            (first, "training_buddy_checkin", checkin),
            (second, "training_manager_one_to_one", names | {"month": 3}),
            (
                second,
                "not_placed",
                {"name": "Bo Buddy", "cohort_name": second.name, "retain_until": "01-01-2029"},
            ),
        )
    ]
    rendered = [render(row.template, row.context) for row in rows]
    assert [r.subject for r in rendered] == [
        "Check-in met Pim Deelnemer (week 2) – lichting 2027",
        "Maand 3: één-op-ééngesprek met Pim Deelnemer – lichting 2028",
        "Geen plek in Ruimte voor Groei, lichting 2028",  # named already: not twice
    ]
    assert rendered[0].text.startswith("Ruimte voor Groei, lichting 2027\n\nBeste Bo Buddy,")
    assert ", lichting 2028</span>" in rendered[1].html
    without = render("test", CONTEXT)
    assert "lichting" not in without.subject + without.text

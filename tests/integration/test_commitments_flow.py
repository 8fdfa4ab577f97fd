"""Phase 2 simulated over several weeks: invitations once, reminders to those who did not
answer, answers through the real web form, the deadline summary, go and no-go."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rvg.commitments.rules import GoNoGoDecision
from rvg.models import Decision, Invitation, Notification
from tests.utils.flows import cohort_in, completed
from tests.utils.outbox import link_of
from tests.utils.web import Clock, client, secretary

pytestmark = [pytest.mark.prefect, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

ORGS = [
    "GM0855",
    "GM0772",
    "GM0758",
    "GM0796",
    "GM0828",
    "GM0794",
    "GM1674",
    "GM0748",
    "GM0826",
    "GM0867",
    "GM1948",
    "GM0861",
    "GM0797",
    "GM0766",
]
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def region(engine, monkeypatch):
    cohort_in(engine)
    monkeypatch.setenv("RVG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    for code in ORGS:
        secretary(engine, code, email=f"secretaris@{code.lower()}.example")


def _mails(engine, prefix: str) -> dict[str, Notification]:
    with Session(engine) as session:
        rows = session.scalars(select(Notification).where(Notification.key.startswith(prefix)))
        return {row.key.split(":")[2]: row for row in rows}


def _answer(engine, link: str, on: date, takes_part: bool = True) -> int:
    web = client(
        engine, Clock(datetime.combine(on, datetime.min.time(), AMSTERDAM).replace(hour=11))
    )
    path = link.split("127.0.0.1:8000", 1)[1]
    response = web.post(
        path,
        data={
            "takes_part": "ja" if takes_part else "nee",
            "vacancies_ro": "2",
            "vacancies_vm": "1",
            "agrees_to_costs": "ja" if takes_part else "",
            "signed_by_name": "A. de Vries",
            "signed_by_function": "Gemeentesecretaris",
        },
    )
    return response.status_code


def test_collection_over_weeks_ends_in_go(engine, prefect_api_url, region):
    from flows.commitments import commitments

    before = commitments(cohort="2027", as_of=date(2026, 9, 1))
    assert before.invited == 0 and _mails(engine, "signup-invite:") == {}

    opened = commitments(cohort="2027", as_of=date(2026, 9, 7))
    invites = _mails(engine, "signup-invite:")
    assert set(invites) == set(ORGS)
    assert opened.invited == 14  # only organisations that were e-mailed count as invited
    assert len(opened.without_contact) == 63 - 14 and "Tilburg" not in opened.without_contact
    commitments(cohort="2027", as_of=date(2026, 9, 8))
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Invitation)) == len(ORGS)
    assert _mails(engine, "signup-invite:").keys() == invites.keys()

    for code in ORGS[:12]:
        assert _answer(engine, link_of(engine, invites[code]), date(2026, 9, 20)) == 303
    assert _answer(engine, link_of(engine, invites[ORGS[12]]), date(2026, 9, 21), False) == 303

    commitments(cohort="2027", as_of=date(2026, 10, 16))  # 14 days before the deadline
    reminders = _mails(engine, "signup-reminder:")
    assert set(reminders) == {ORGS[13]}  # only the one that did not answer
    commitments(cohort="2027", as_of=date(2026, 10, 17))
    assert len(_mails(engine, "signup-reminder:")) == 1  # no second reminder for the same offset
    commitments(cohort="2027", as_of=date(2026, 10, 28))  # 2 days before: the next reminder
    with Session(engine) as session:
        keys = set(
            session.scalars(
                select(Notification.key).where(Notification.key.startswith("signup-reminder:"))
            )
        )
    assert {key.split(":")[3] for key in keys} == {"14d", "2d"}  # the 7-day one fell between runs

    still_open = commitments(cohort="2027", as_of=date(2026, 10, 30))
    assert not still_open.closed and still_open.decision is None
    final = commitments(
        cohort="2027",
        as_of=date(2026, 10, 31),
        decision=GoNoGoDecision(
            go=True, comment="12 organisaties, 24 + 12 vacatures", decided_by="Stuurgroep"
        ),
    )
    assert (final.committed, final.declined, final.closed, final.go_by_rule) == (12, 1, True, True)
    assert final.vacancies == {"ro": 24, "vm": 12}
    assert final.decision == "go"
    with Session(engine) as session:
        assert "commitments" in completed(session)
        assert (
            session.scalar(select(Decision.payload).where(Decision.kind == "go_no_go"))["committed"]
            == 12
        )


def test_too_few_organisations_is_no_go(engine, prefect_api_url, region):
    from flows.commitments import commitments

    commitments(cohort="2027", as_of=date(2026, 9, 7))
    invites = _mails(engine, "signup-invite:")
    for code in ORGS[:5]:
        _answer(engine, link_of(engine, invites[code]), date(2026, 9, 20))
    final = commitments(
        cohort="2027",
        as_of=date(2026, 11, 2),
        decision=GoNoGoDecision(
            go=False, comment="Te weinig organisaties", decided_by="Stuurgroep"
        ),
    )
    assert (final.committed, final.go_by_rule, final.decision) == (5, False, "no_go")
    with Session(engine) as session:
        assert "commitments" not in completed(session)


def test_a_past_as_of_against_a_real_mail_server_fails_and_invites_nobody(
    engine, prefect_api_url, region, monkeypatch
):
    from flows.commitments import commitments

    monkeypatch.setenv("RVG_SMTP_HOST", "smtp.provincie.example")
    state = commitments("2027", as_of=date(2026, 9, 7), return_state=True)  # far in the past

    assert state.is_failed()
    assert "lies in the past while RVG_SMTP_HOST is 'smtp.provincie.example'" in state.message
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Notification)) == 0
        assert session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_with_no_secretary_anywhere_nobody_is_invited_and_no_no_go_is_asked(
    engine, prefect_api_url, monkeypatch
):
    from flows.commitments import commitments

    cohort_in(engine)
    monkeypatch.setenv("RVG_DATABASE_URL", engine.url.render_as_string(hide_password=False))

    opened = commitments(cohort="2027", as_of=date(2026, 9, 7))
    assert (opened.invited, len(opened.without_contact)) == (0, 63)
    state = commitments(cohort="2027", as_of=date(2026, 10, 31), return_state=True)

    assert state.is_failed() and "without one organisation invited" in state.message
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Decision)) == 0
        assert "commitments" not in completed(session)  # unchanged

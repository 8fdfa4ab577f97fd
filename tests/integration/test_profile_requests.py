"""Asking the organisations taking part for their information page: after the go, once per
secretary; reminders on working days to those without a published page; nothing once the
recruitment has opened; the cycle plans those days; the team sees who is missing."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.db import make_sessionmaker, session_scope
from rvg.information.profiles import reminder_days
from rvg.information.requests import profile_status, request_profiles, status_markdown
from rvg.models import Cohort, Commitment, Invitation, Notification, Organisation
from rvg.phases import Phase
from rvg.repositories.decisions import record_decision
from rvg.settings import Settings
from rvg.unit import unit
from tests.utils.flows import cohort_in, complete_phases
from tests.utils.web import secretary

ZONE = ZoneInfo("Europe/Amsterdam")
GO_DAY = date(2026, 11, 12)
TAKING_PART = {"GM0855": "secretaris@tilburg.example", "GM0772": "secretaris@eindhoven.example"}


@pytest.fixture
def settings(engine, tmp_path, monkeypatch) -> Settings:
    url = engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("RVG_DATABASE_URL", url)
    return Settings(database_url=url, data_dir=tmp_path / "data")


@pytest.fixture
def taking_part(engine) -> None:
    """Cohort 2027 with Tilburg and Eindhoven committed (each with a secretary), Breda
    declined (with one), and no decision yet."""
    cohort_in(engine)
    for code, address in {**TAKING_PART, "GM0758": "secretaris@breda.example"}.items():
        secretary(engine, code, email=address)
    with session_scope(make_sessionmaker(engine)) as session:
        cohort = session.scalar(select(Cohort))
        for code in (*TAKING_PART, "GM0758"):
            organisation = session.scalar(select(Organisation).where(Organisation.code == code))
            committed = code in TAKING_PART
            session.add(
                Commitment(
                    cohort_id=cohort.id,
                    organisation_id=organisation.id,
                    status="committed" if committed else "declined",
                    agrees_to_costs=committed,
                    version=1,
                )
            )


def _decide(engine, outcome: str) -> None:
    with session_scope(make_sessionmaker(engine)) as session:
        record_decision(
            session.scalar(select(Cohort)),
            Phase.COMMITMENTS,
            session=session,
            kind="go_no_go",
            outcome=outcome,
            decided_by="Stuurgroep",
            decided_at=datetime(2026, 11, 12, 10, tzinfo=ZONE),
        )


def _request(settings, day: date):
    with unit("2027", settings=settings) as u:
        return request_profiles(u, day)


def _mail(engine) -> dict[str, Notification]:
    with Session(engine) as session:
        return {
            n.key: n
            for n in session.scalars(
                select(Notification).where(Notification.template == "profile_invitation")
            )
        }


def test_nobody_is_asked_after_a_no_go(engine, settings, taking_part):
    _decide(engine, "no_go")
    assert _request(settings, GO_DAY).invited == 0
    assert _mail(engine) == {}


def test_each_secretary_signed_up_is_asked_once_in_the_mail_hours_without_waiting_for_the_go(
    engine, settings, taking_part
):
    first = _request(settings, GO_DAY)
    again = _request(settings, date(2026, 11, 20))
    assert (first.invited, first.reminded, again.invited, again.reminded) == (2, 0, 0, 0)
    mail = _mail(engine)
    assert sorted(n.to_address for n in mail.values()) == sorted(TAKING_PART.values())
    assert all(n.context["reminder"] is False for n in mail.values())
    assert {n.due_at.astimezone(ZONE).date() for n in mail.values()} == {GO_DAY}
    with Session(engine) as session:
        invitations = session.scalars(select(Invitation).where(Invitation.purpose == "profile"))
        assert len(list(invitations)) == 2


def test_reminders_fall_on_working_days_and_skip_published_pages(engine, settings, taking_part):
    from rvg.information.profiles import (
        ProfileAnswer,
        ensure_profile,
        profile_view,
        publish_profile,
        save_profile,
    )

    days = reminder_days(date(2027, 3, 1), [21, 10, 3])
    assert days == {21: date(2027, 2, 8), 10: date(2027, 2, 19), 3: date(2027, 2, 26)}
    _decide(engine, "go")
    _request(settings, GO_DAY)
    with session_scope(make_sessionmaker(engine)) as session:  # Tilburg publishes its page
        cohort = session.scalar(select(Cohort))
        tilburg = session.scalar(select(Organisation).where(Organisation.code == "GM0855"))
        invitation = session.scalar(
            select(Invitation).where(
                Invitation.purpose == "profile", Invitation.organisation_id == tilburg.id
            )
        )
        view = profile_view(invitation, session=session, zone=ZONE)
        answer = ProfileAnswer(*(["Een tekst van voldoende lengte."] * 5), "werken@tilburg.example")
        version = save_profile(view, answer, session=session, now=datetime(2027, 1, 5, tzinfo=ZONE))
        assert publish_profile(view, version.version, now=datetime(2027, 1, 5, tzinfo=ZONE))
        assert ensure_profile(cohort.id, tilburg.id, session=session) is view.profile

    assert _request(settings, date(2027, 2, 7)).reminded == 0  # a Sunday: not yet
    reminded = _request(settings, date(2027, 2, 20))  # the run after the 19th: that reminder
    assert reminded.reminded == 1
    reminders = [n for k, n in _mail(engine).items() if k.startswith("profile-reminder")]
    assert [(n.to_address, n.context["days_left"]) for n in reminders] == [
        ("secretaris@eindhoven.example", 9)
    ]
    assert reminders[0].key.endswith(":10d")  # the 21-day one is not sent late
    assert _request(settings, date(2027, 3, 1)).reminded == 0  # the recruitment has opened

    with unit("2027", settings=settings) as u:
        status = profile_status(u.cohort, session=u.session)
    assert (status.published, status.draft, status.missing) == (["Tilburg"], [], ["Eindhoven"])
    text = status_markdown(status, date(2027, 3, 1))
    assert "1 van 2 deelnemende organisaties" in text
    assert "**Nog niets ingevuld** (1): Eindhoven" in text

    from rvg.overview import cohort_overview, overview_markdown

    with unit("2027", settings=settings) as u:  # the cohort's overview shows it until it opens
        before = overview_markdown(cohort_overview(u, date(2027, 2, 20)))
        after = overview_markdown(cohort_overview(u, date(2027, 3, 1)))
    assert "## Informatiepagina's voor kandidaten" in before and "Eindhoven" in before
    assert "Informatiepagina" not in after


def test_the_cycle_plans_the_request_and_its_reminders_before_the_campaign(
    engine, settings, taking_part
):
    from rvg.cycle import plan_cycle
    from rvg.recruitment.config import InformationRules
    from rvg.unit import Configs
    from tests.utils.config_files import REAL_CONFIG

    configs = Configs(REAL_CONFIG)
    with session_scope(make_sessionmaker(engine)) as session:
        complete_phases(session, "2027", [Phase.BUSINESS_CASE, Phase.COMMITMENTS], GO_DAY)
    with Session(engine) as session:
        plan = plan_cycle(
            session.scalar(select(Cohort)),
            configs.programme,
            configs.surveys,
            session=session,
            zone=ZONE,
            information=InformationRules(profile_reminder_days=[10]),
        )
    days = plan.due[Phase.RECRUITMENT]
    # the request, the 10-day reminder, the organisations' Q&A invitation, the opening
    assert days[:4] == (GO_DAY, date(2027, 2, 19), date(2027, 2, 22), date(2027, 3, 1))


def test_a_week_before_the_campaign_the_secretaries_are_invited_to_the_organisations_q_and_a(
    engine, settings, taking_part
):
    from rvg.information.interests import enrol_organisations
    from rvg.models import QaInterest

    def enrol(day: date) -> int:
        with unit("2027", settings=settings) as u:
            return enrol_organisations(u, day, u.send_at(day))

    assert enrol(date(2027, 2, 19)) == 0  # too early: the 22nd is the day
    assert enrol(date(2027, 2, 22)) == 2 and enrol(date(2027, 3, 1)) == 0  # once each
    with Session(engine) as session:
        interests = session.scalars(select(QaInterest)).all()
        assert {(i.audience, i.email) for i in interests} == {
            ("organisations", address) for address in TAKING_PART.values()
        }
        assert all(i.confirmed_at is not None for i in interests)  # enrolled: no opt-in
        mail = session.scalars(
            select(Notification).where(Notification.key.startswith("qa-interest:"))
        ).all()
    invitations = [n for n in mail if n.template == "qa_invitation"]
    assert sorted(n.to_address for n in invitations) == sorted(TAKING_PART.values())
    assert all(n.context["audience"] == "organisations" for n in invitations)
    assert invitations[0].due_at.astimezone(ZONE).date() == date(2027, 2, 22)
    reminders = [n for n in mail if n.template == "qa_reminder"]
    assert len(reminders) == 2 * 16  # every organisations' session, 3 March to 16 June
    assert min(n.due_at for n in reminders).astimezone(ZONE).date() == date(2027, 3, 2)


def test_after_a_no_go_nobody_is_invited_to_the_q_and_a(engine, settings, taking_part):
    from rvg.information.interests import enrol_organisations

    _decide(engine, "no_go")
    with unit("2027", settings=settings) as u:
        assert enrol_organisations(u, date(2027, 2, 22), u.send_at(date(2027, 2, 22))) == 0


def test_the_team_sees_each_organisation_as_published_draft_or_missing(
    engine, settings, taking_part
):
    from rvg.information.profiles import ProfileAnswer, profile_view, save_profile

    _request(settings, GO_DAY)
    with session_scope(make_sessionmaker(engine)) as session:  # Eindhoven saves, unpublished
        eindhoven = session.scalar(select(Organisation).where(Organisation.code == "GM0772"))
        invitation = session.scalar(
            select(Invitation).where(
                Invitation.purpose == "profile", Invitation.organisation_id == eindhoven.id
            )
        )
        view = profile_view(invitation, session=session, zone=ZONE)  # Tilburg never opens it
        answer = ProfileAnswer(*(["Een tekst van voldoende lengte."] * 5), "werken@e.example")
        save_profile(view, answer, session=session, now=datetime(2027, 1, 5, tzinfo=ZONE))
    with unit("2027", settings=settings) as u:
        status = profile_status(u.cohort, session=u.session)
    assert (status.published, status.draft, status.missing) == ([], ["Eindhoven"], ["Tilburg"])

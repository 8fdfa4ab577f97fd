"""A buddy or manager of two participants gets a survey per participant, each naming whom it
is about in the subject, the e-mail and the form; reminders too."""

from datetime import timedelta

from sqlalchemy import select

from rvg.config.programme import MailHours
from rvg.evaluation.definitions import load_surveys
from rvg.evaluation.rounds import ensure_rounds, open_round, remind_round
from rvg.invitations.links import with_link
from rvg.models import Cohort, Notification
from rvg.notifications.rendering import render
from rvg.settings import Settings
from tests.utils.applicants import placed_cohort
from tests.utils.config_files import REAL_CONFIG


def test_a_buddy_of_two_participants_answers_about_each(session):
    placed_cohort(session.get_bind(), ["P1", "P2"])  # one buddy and one manager for both
    cohort = session.scalar(select(Cohort))
    definitions = load_surveys(REAL_CONFIG / "surveys.yaml")
    rounds = ensure_rounds(cohort, definitions, session=session)
    stored, item = rounds[0], definitions.rounds[0]
    settings = Settings()
    due = MailHours().send_at(stored.opens_on, settings.zone)
    assert open_round(
        cohort, stored, item, stored.opens_on, session=session, settings=settings, due=due
    )

    mails = session.scalars(
        select(Notification).where(Notification.key.startswith("survey-invite:"))
    ).all()
    buddy = sorted(
        render(n.template, with_link(n.context)).subject
        for n in mails
        if n.to_address == "buddy@tilburg.example"
    )
    assert buddy == [
        f"{stored.title} van {cohort.name} over VoornaamP1 Achternaam",
        f"{stored.title} van {cohort.name} over VoornaamP2 Achternaam",
    ]
    buddy_mail = next(n for n in mails if n.to_address == "buddy@tilburg.example")
    text = render(buddy_mail.template, with_link(buddy_mail.context)).text
    assert "gaat over uw begeleiding van VoornaamP" in text
    own = next(n for n in mails if n.to_address == "p1@kandidaat.example")
    assert (
        render(own.template, with_link(own.context)).subject == f"{stored.title} van {cohort.name}"
    )

    day = stored.opens_on + timedelta(days=item.reminder_days[0])
    assert remind_round(
        cohort, stored, item, day, session=session, due=MailHours().send_at(day, settings.zone)
    )
    reminders = session.scalars(
        select(Notification).where(
            Notification.key.startswith("survey-reminder:"),
            Notification.to_address == "manager@tilburg.example",
        )
    ).all()
    assert sorted(render(n.template, with_link(n.context)).subject for n in reminders) == [
        f"Herinnering: {stored.title} van {cohort.name} over VoornaamP1 Achternaam",
        f"Herinnering: {stored.title} van {cohort.name} over VoornaamP2 Achternaam",
    ]


def test_an_invitation_queued_before_the_upgrade_still_renders():
    """Outbox rows written by the previous release have no 'about' in their context."""
    context = {
        "name": "Bas",
        "round_title": "Evaluatie na drie maanden",
        "cohort_name": "lichting 2027",
        "closes_on": "20-12-2027",
        "reminder": False,
        "secret_link": "http://127.0.0.1:8000/enquete/x",
    }
    rendered = render("survey_invitation", context)
    assert rendered.subject == "Evaluatie na drie maanden van lichting 2027"
    assert "begeleiding van" not in rendered.text

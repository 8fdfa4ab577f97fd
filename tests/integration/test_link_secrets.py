"""Link tokens never reach the disk, and every link an e-mail carried keeps working.

Each e-mail's link is made when the dispatcher sends it: the outbox holds the invitation's id,
the database the token's hash. After a real dispatch the database files (the SQLite file, its
write-ahead log and index) hold none of the tokens that went out, and a reminder's link is one
more link to the same form: the first e-mail's link still opens it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from rvg.commitments.collection import invite
from rvg.config.programme import MailHours
from rvg.db import make_sessionmaker
from rvg.evaluation.definitions import load_surveys
from rvg.evaluation.rounds import ensure_rounds, open_round, remind_round
from rvg.models import Cohort, Invitation, InvitationLink, Notification
from rvg.notifications import enqueue
from rvg.repositories.invitations import find_invitation
from rvg.settings import Settings
from rvg.unit import Unit
from tests.utils.applicants import placed_cohort
from tests.utils.config_files import REAL_CONFIG
from tests.utils.outbox import run_dispatch, settings_for, statuses
from tests.utils.smtp import SmtpTestServer
from tests.utils.web import secretary

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TOKEN_IN_LINK = re.compile(r"/(aanmelden|enquete)/([A-Za-z0-9_-]{32,64})")


def _links(server: SmtpTestServer) -> list[tuple[str, str]]:
    """(route, token) of every link in the messages the server received."""
    found = []
    for message in server.handler.messages:
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                text = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
                found += TOKEN_IN_LINK.findall(text)
    return found


def _database_files(engine: Engine) -> list[Path]:
    database = Path(str(engine.url.database))
    return [path for path in database.parent.iterdir() if path.name.startswith(database.name)]


def _found_in(files: list[Path], tokens: list[str]) -> list[str]:
    """The tokens that occur in the bytes of ``files``, read by another process: closing a
    descriptor of a database file this process has open would drop SQLite's POSIX locks."""
    script = (
        "import sys\n"
        "data = b''.join(open(p, 'rb').read() for p in sys.argv[1:])\n"
        "print('\\n'.join(t for t in sys.stdin.read().split() if t.encode() in data))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", script, *map(str, files)],
        input="\n".join(tokens),
        capture_output=True,
        text=True,
        check=True,
    )
    return found.stdout.split()


def _year_of_links(engine: Engine) -> tuple[date, date]:
    """Cohort 2027 with a placement (participant, buddy, manager) and a secretary; sign-up
    invitations and the m03 survey's invitations and first reminders queued; the days they go."""
    placed_cohort(engine, ["P1"])
    secretary(engine, "GM0796", "secretaris@gm0796.example")
    settings = Settings()
    with make_sessionmaker(engine).begin() as session:
        cohort = session.scalar(select(Cohort))
        hours = MailHours()
        invite(Unit(settings, session, cohort), date(2026, 9, 7))
        definitions = load_surveys(REAL_CONFIG / "surveys.yaml")
        stored = ensure_rounds(cohort, definitions, session=session)[0]
        item = definitions.rounds[0]
        due = hours.send_at(stored.opens_on, settings.zone)
        open_round(
            cohort, stored, item, stored.opens_on, session=session, settings=settings, due=due
        )
        reminder_day = stored.opens_on + timedelta(days=item.reminder_days[0])
        due = hours.send_at(reminder_day, settings.zone)
        remind_round(cohort, stored, item, reminder_day, session=session, due=due)
        return stored.opens_on, due.date()  # the reminder waits for a working day


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_no_token_that_went_out_is_in_the_database_files(engine):
    _year_of_links(engine)
    with Session(engine) as session:
        queued = session.scalars(select(Notification)).all()
        assert queued and all("secret_link" not in n.context for n in queued)
    moment = datetime(2028, 1, 1, 9, 0, tzinfo=AMSTERDAM)  # everything queued is due
    with SmtpTestServer() as server:
        report = run_dispatch(engine, settings_for(server.port), as_of=moment)
    links = _links(server)
    assert report.sent == len(queued) and report.failed == 0
    assert {route for route, _ in links} == {"aanmelden", "enquete"}
    assert len(links) == 1 + 3 + 3  # a sign-up; survey invitations and reminders to three

    files = _database_files(engine)
    assert any(path.name.endswith("-wal") for path in files)  # the log is there to be read
    assert _found_in(files, ["invitation_links"]) == ["invitation_links"]  # the reader reads
    leaked = _found_in(files, [token for _, token in links])
    assert leaked == [], f"{len(leaked)} of {len(links)} tokens are in the database files"
    assert all("secret_link" not in row.context for row in statuses(engine).values())


def test_a_reminder_adds_a_link_and_the_first_one_keeps_working(engine):
    opens_on, reminder_day = _year_of_links(engine)

    def noon(day: date) -> datetime:
        return datetime.combine(day, datetime.min.time(), AMSTERDAM) + timedelta(hours=12)

    with SmtpTestServer() as server:
        invited = run_dispatch(engine, settings_for(server.port), as_of=noon(opens_on))
        first = dict.fromkeys(_links(server))
        reminded = run_dispatch(engine, settings_for(server.port), as_of=noon(reminder_day))
        later = [link for link in _links(server) if link not in first]
    assert invited.sent > 0 and reminded.sent == 3 and len(later) == 3
    during = noon(reminder_day) + timedelta(hours=1)
    with Session(engine) as session:
        surveys = [token for route, token in [*first, *later] if route == "enquete"]
        opened = [find_invitation(t, "survey", session=session, now=during) for t in surveys]
        assert len(surveys) == 6 and None not in opened
        assert len({invitation.id for invitation in opened}) == 3  # two links to each form
        assert session.scalar(select(func.count()).select_from(InvitationLink)) == len(
            [*first, *later]
        )


def test_an_e_mail_whose_form_is_gone_fails_and_sends_no_link(engine):
    placed_cohort(engine, ["P1"])
    with make_sessionmaker(engine).begin() as session:
        invitation = Invitation(
            purpose="signup",
            cohort_id=session.scalar(select(Cohort.id)),
            organisation_id=1,
            expires_at=datetime(2027, 1, 1, tzinfo=AMSTERDAM),
        )
        session.add(invitation)
        session.flush()
        enqueue(
            session,
            key="gone",
            to="secretaris@gemeente.example",
            template="signup_invitation",
            context={
                "contact_name": "M. de Secretaris",
                "organisation": "Tilburg",
                "cohort_name": "lichting 2027",
                "deadline": "30-10-2026",
                "minimum": 12,
                "reminder": False,
                "days_left": 0,
                "contribution": "",
                "link_invitation": invitation.id,
            },
            due_at=datetime(2026, 9, 7, 9, 0, tzinfo=AMSTERDAM),
        )
        session.delete(invitation)
    with SmtpTestServer() as server:
        report = run_dispatch(
            engine, settings_for(server.port), as_of=datetime(2026, 9, 7, 10, tzinfo=AMSTERDAM)
        )
    assert report.failed == 1 and server.handler.messages == []
    assert statuses(engine)["gone"].last_error == "the form this e-mail links to no longer exists"

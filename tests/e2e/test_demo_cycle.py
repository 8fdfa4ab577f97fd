"""The README's `make demo` end to end: `rvg demo` runs the whole Brabant cycle day by day on a
fresh database (SQLite, and PostgreSQL through RVG_DATABASE_URL), with its own ephemeral
Prefect server, the web forms and a local SMTP sink, and leaves consistent figures behind."""

from __future__ import annotations

import csv
import email
import email.policy
import itertools
import os
import re
import subprocess
import sys
from collections import Counter
from datetime import date, time
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from rvg.demo.data import CALENDAR_REMARKS
from rvg.invitations.tokens import hash_token
from rvg.models import (
    Applicant,
    Cohort,
    CohortMilestone,
    Commitment,
    Decision,
    Invitation,
    Notification,
    Placement,
    SurveyResponse,
)
from rvg.repositories.cohorts import PHASE_COMPLETED
from rvg.repositories.invitations import invitation_by_hash
from rvg.workdays import is_working_day

pytestmark = pytest.mark.e2e
REPORTS = ("business_case", "funnel", "matching", "evaluation", "redesign")
# What the demo prints for seed 2027, on SQLite and PostgreSQL alike: the same seed must give
# the same figures after a refactoring. A change here is a change of behaviour: update the
# file in the commit that makes it, and say why.
SUMMARY_SEED_2027 = Path(__file__).with_name("demo_summary_seed_2027.txt")


def _summary(stdout: str) -> str:
    """The figures of the demo's summary: per cohort and phase, retention and e-mail, without
    paths."""
    lines = stdout.splitlines()
    block = []
    for start in (i for i, line in enumerate(lines) if line.startswith("Summary per phase")):
        for line in lines[start:]:
            if not line.strip():
                break
            block.append(line.rstrip())
    retention = next(line for line in lines if line.startswith("Retention ran on"))
    received = re.search(r"E-mails received by the local SMTP sink: (\d+)", stdout)
    assert received is not None, stdout[-3000:]
    return "\n".join([*block, retention, f"E-mails received: {received.group(1)}"]) + "\n"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_the_demo_runs_the_whole_cycle(database_url: str, tmp_path: Path) -> None:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PREFECT_API", "RVG_"))
    }
    environment |= {
        "RVG_DATABASE_URL": database_url,
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    result = subprocess.run(
        [sys.executable, "-m", "rvg", "demo", "--seed", "2027"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert _summary(result.stdout) == SUMMARY_SEED_2027.read_text(encoding="utf-8")
    last = result.stdout.strip().splitlines()[-1]
    figures = dict(item.split("=", 1) for item in last.split())
    # 2027 from its business case to its redesign; 2028, which 2027's interim redesign
    # created, through its matching and into its training year
    assert figures["cohorts"] == "2", result.stdout[-3000:]
    assert figures["phases_completed"] == "2027:8,2028:5", result.stdout[-3000:]
    assert int(figures["emails_received"]) > 1000
    # every phase ran as a flow with its steps as tasks (the walk's own deliveries, erasures
    # and simulated world are not runs of their own, and a run's small steps are one task:
    # 74 flow runs and 197 task runs, of which 73 stand for the subflows in their parent)
    assert int(figures["flow_runs"]) > 60 and int(figures["task_runs"]) > 150
    # Retention ran as in production, so only placed applicants still have a name or e-mail.
    assert int(figures["retention_runs"]) >= 1
    assert figures["unplaced_with_personal_data"] == "0", result.stdout[-3000:]
    for phase in ("business-case", "commitments", "matching", "evaluation", "redesign"):
        assert re.search(rf"^  {phase}\s+done ", result.stdout, re.MULTILINE), phase
    if database_url.startswith("sqlite"):  # owner-only, and no write-ahead log left behind
        database = Path(database_url.removeprefix("sqlite:///"))
        assert database.stat().st_mode & 0o777 == 0o600
        assert not Path(f"{database}-wal").exists()
    mails = list((tmp_path / "var" / "demo" / "mail").glob("*.eml"))
    assert mails and {mail.stat().st_mode & 0o777 for mail in mails} == {0o600}
    # Every e-mail can be answered: its replies go to the project team's mailbox.
    headers = [
        email.message_from_bytes(mail.read_bytes(), policy=email.policy.default) for mail in mails
    ]
    assert {message["Reply-To"] for message in headers} == {
        "Projectteam Ruimte voor Groei <projectteam@ruimtevoorgroei.example>"
    }
    # Sent when people read mail: in the mail hours of a working day (programme.yaml), except
    # the confirmation of a form someone sent in the weekend, which answers at once.
    dated = [
        (parsedate_to_datetime(message["Date"]), str(message["Subject"])) for message in headers
    ]
    outside = Counter(
        subject.split(" ", 2)[0]
        for sent, subject in dated
        if not (is_working_day(sent.date()) and time(9) <= sent.time() < time(17))
    )
    assert set(outside) <= {"Bevestiging"}, outside
    assert outside["Bevestiging"] < len(dated) / 100
    # Mail that reads right: a capital to start the subject, the right plural, one form of
    # address (the formal "u", so a candidate is greeted by full name).
    for message in headers:
        subject, text = str(message["Subject"]), message.get_body(("plain",)).get_content()
        assert subject[:1].isupper() or subject[:1].isdigit(), subject
        assert not re.search(r"\w\((s|en)\)", subject + text), subject
        # (the words, not a link's random token, which may hold "-je-")
        prose = re.sub(r"https?://\S+", "", text)
        assert not re.search(r"\b(je|jij|jouw)\b", prose, re.IGNORECASE), subject
        if message["To"].endswith("@kandidaat.example"):
            greeting = re.search(r"^Beste ([^,\r\n]+),", text, re.MULTILINE)
            assert greeting and " " in greeting.group(1).strip(), subject

    reports = tmp_path / "out" / "2027"
    for name in REPORTS:
        page = (reports / f"{name}.html").read_text(encoding="utf-8")
        assert "@kandidaat.example" not in page  # no applicant's e-mail address in a report
    for name in REPORTS[:3]:  # 2028's reports so far, in its own folder
        page = (tmp_path / "out" / "2028" / f"{name}.html").read_text(encoding="utf-8")
        assert "lichting 2028" in page and "@kandidaat.example" not in page
    assert "[####" in result.stderr  # the progress bar
    # The business case's chart: its value axis is labelled with values on an even step
    # from 0, the scale the line is drawn on (not 12, 5.012, 10.012 ...).
    case_page = (reports / "business_case.html").read_text(encoding="utf-8")
    ticks = [
        int(label.replace(".", ""))
        for label in re.findall(r'text-anchor="end">([\d.]+)</text>', case_page)
    ]
    assert len(ticks) >= 3 and ticks[0] == 0, ticks
    assert len({b - a for a, b in itertools.pairwise(ticks)}) == 1, ticks
    redesign = (reports / "redesign.html").read_text(encoding="utf-8")
    assert "Begroot tegenover werkelijk, per kostenpost" in redesign
    assert "De grootste afwijking: Opleiding en talentcoaching" in redesign  # the award
    assert "<h2>Bijdrage per organisatie</h2>" in redesign
    # The money adds up: who pays what (and the budget at the cohort's size, below).
    assert "<h2>Dekking van de kosten</h2>" in redesign
    # The extension decided before the go says the steering group took that risk; the award
    # far over budget gives its reason.
    assert "besloten vóór de go, de stuurgroep nam het risico" in redesign
    assert "boven het budget: Demo: de inschrijvingen lagen alle boven de raming." in redesign
    assert '<th scope="row">Niet gedekt</th>' in redesign or "Meer ontvangen" in redesign
    # After the month-3 round an interim redesign proposed 2028 forward from its own day,
    # each date with its source; the final one revises the running 2028.
    interim = (reports / "redesign-m03.html").read_text(encoding="utf-8")
    assert "Tussentijds herontwerp" in interim and "Gepland vanaf" in interim
    assert "een jaar (52 weken) na lichting 2027" in interim
    assert "Wijzigingen voor lichting 2028, die al loopt" in redesign
    # the rolling calendar of 2027 and the 2028 its interim redesign created
    calendar = tmp_path / "out" / "programme" / "kalender.svg"
    assert "2028 · opleidingsjaar" in calendar.read_text(encoding="utf-8")
    assert (tmp_path / "out" / "programme" / "kalender.png").is_file()

    engine = create_engine(database_url)
    with Session(engine) as session:
        first, second = (
            session.scalar(select(Cohort.id).where(Cohort.code == code))
            for code in ("2027", "2028")
        )
        completed = session.execute(
            select(Decision.cohort_id, Decision.phase).where(Decision.kind == PHASE_COMPLETED)
        ).all()
        assert len(completed) == len(set(completed))  # each phase completed once
        assert Counter(cohort for cohort, _ in completed) == {first: 8, second: 5}
        # the accepted interim proposal created 2028 before its business case was due
        proposed = session.scalar(
            select(func.min(CohortMilestone.on)).join(Cohort).where(Cohort.code == "2028")
        )
        assert proposed is not None and proposed > date(2027, 12, 20)
        for cohort in (first, second):  # each cohort signed up, recruited and placed its own
            taking_part = session.scalar(
                select(func.count()).where(
                    Commitment.status == "committed", Commitment.cohort_id == cohort
                )
            )
            assert 12 <= taking_part <= 25  # the published range for Brabant
            applicants = select(func.count()).where(Applicant.cohort_id == cohort)
            assert session.scalar(applicants) == 300
        placed = Counter(session.scalars(select(Placement.cohort_id)))
        placements = placed[first]
        assert 25 <= placements <= 30 and 20 <= placed[second] <= 30
        assert f"Begroot bij {placements} deelnemers" in redesign
        # The funnel reaches its end: everyone placed counts as matched and as placed.
        # funnel.csv is a Dutch Excel CSV: the total, then per track and per source.
        with (reports / "funnel.csv").open(encoding="utf-8") as handle:
            funnel = list(csv.DictReader(handle, delimiter=";"))
        assert [row["Indeling"] for row in funnel][:1] == ["Totaal"]
        assert {row["Indeling"] for row in funnel} == {"Totaal", "Leerlijn", "Bron"}
        total = {row["Fase"]: row for row in funnel if row["Indeling"] == "Totaal"}
        reached = {
            stage: int(total[stage]["Aantal"]) for stage in ("Voorkeuren", "Gematcht", "Geplaatst")
        }
        assert reached["Gematcht"] == reached["Geplaatst"] == placements, reached
        assert reached["Voorkeuren"] >= placements
        for part in ("Leerlijn", "Bron"):
            rows = [r for r in funnel if r["Indeling"] == part and r["Fase"] == "Geplaatst"]
            assert sum(int(r["Aantal"]) for r in rows) == placements, part
        # The stages follow the seed: preferences are stated before the match, so the long
        # wait until the start is the match's stay, not the preferences'.
        stays = {
            stage: float(total[stage]["Mediaan dagen in fase"].replace(",", "."))
            for stage in ("Voorkeuren", "Gematcht")
        }
        assert stays["Voorkeuren"] < 14 < stays["Gematcht"], stays
        assert "," in total["Online assessment"]["Doorstroom (%)"]  # decimal comma
        # The calendars the README promises, as icalendar reads them.
        agenda = reports / "agenda"
        personal = sorted(agenda.glob("deelnemer-*.ics"))
        assert (agenda / "programme.ics").is_file() and len(personal) >= placements - 3
        calendar = Calendar.from_ical((agenda / "programme.ics").read_bytes())
        assert str(calendar["METHOD"]) == "PUBLISH"
        assert all("ORGANIZER" in event for event in calendar.walk("VEVENT"))
        team = "projectteam@ruimtevoorgroei.example"  # config/programme.yaml's contact
        assert {str(event["ORGANIZER"]) for event in calendar.walk("VEVENT")} == {f"mailto:{team}"}
        unplaced = select(func.count()).where(
            Applicant.id.not_in(select(Placement.applicant_id)),
            (Applicant.first_name.is_not(None)) | (Applicant.email.is_not(None)),
        )
        assert session.scalar(unplaced) == 0
        not_placed_mails = select(func.count()).where(Notification.template == "not_placed")
        assert session.scalar(not_placed_mails) > 0  # the unplaced were thanked first
        surveys = session.execute(
            select(func.count(), func.count(Invitation.responded_at)).where(
                Invitation.survey_round_id.is_not(None)
            )
        ).one()
        assert surveys[0] > 0 and 0.5 < surveys[1] / surveys[0] < 1
        # The whole year went out at the start, so no respondent asks for the schedule earlier.
        welcomes = select(func.count()).where(
            Notification.template == "training_participant_start", Notification.status == "sent"
        )
        assert session.scalar(welcomes) == placed.total()  # 2028's year has begun too
        remarks = [
            value
            for answers in session.scalars(select(SurveyResponse.answers))
            for value in answers.values()
        ]
        assert CALENDAR_REMARKS[True] in remarks and CALENDAR_REMARKS[False] not in remarks
        # Intervision for buddies and managers: each session's reminders reach both.
        keys = session.scalars(
            select(Notification.key).where(Notification.key.contains(":session:buddy-intervision-"))
        ).all()
        intervision = Counter(key.split(":")[3] for key in keys)  # training:<c>:<p>:<role>:…
        assert intervision["manager"] > 0 and intervision["buddy"] > 0, intervision
        # Links keep working: every form link any e-mail carried (the first one and each
        # reminder's) still belongs to its invitation, so it opens the form (or, once the round
        # is over, the Dutch page that says so), never "Deze link werkt niet (meer)".
        tokens = {
            match.group(2): match.group(1)
            for message in headers
            for match in re.finditer(
                r"/(aanmelden|enquete)/([A-Za-z0-9_-]{40,})",
                message.get_body(("plain",)).get_content(),
            )
        }
        assert "enquete" in tokens.values() and "aanmelden" in tokens.values()
        found = {token: invitation_by_hash(hash_token(token), session=session) for token in tokens}
        assert all(invitation is not None for invitation in found.values())
        reminded = Counter(invitation.id for invitation in found.values() if invitation)
        assert max(reminded.values()) >= 2  # a first e-mail and a reminder, one invitation
        # all of 2027's mail went out; 2028's year goes on after the walk
        unsent = session.scalar(
            select(func.count()).where(
                Notification.status.in_(("pending", "failed")), Notification.cohort_id == first
            )
        )
        assert unsent == 0
    engine.dispose()

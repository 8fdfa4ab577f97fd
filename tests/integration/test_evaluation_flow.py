"""Phase 7 simulated with as_of: rounds from the training start, invitations once, reminders
only to those who did not answer (at most two), closing with an anonymity-safe report."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.models import Notification, SurveyRound
from tests.utils.applicants import placed_cohort
from tests.utils.outbox import link_of
from tests.utils.web import Clock, client

pytestmark = [pytest.mark.prefect, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def cohort(engine, monkeypatch, tmp_path):
    placed_cohort(engine, ["P1", "P2"])
    monkeypatch.setenv("RVG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("RVG_OUTPUT_DIR", str(tmp_path / "out"))
    return tmp_path / "out" / "2027"


def _mails(engine, prefix):
    with Session(engine) as session:
        return {
            n.key: n
            for n in session.scalars(
                select(Notification).where(Notification.key.startswith(prefix))
            )
        }


def test_a_round_from_opening_to_report(engine, prefect_api_url, cohort):
    from flows.evaluation import evaluation

    before = evaluation(cohort="2027", as_of=date(2027, 12, 1))
    first_round = before.rounds[0]
    assert (first_round.code, first_round.opens_on, first_round.status) == (
        "m03",
        date(2027, 12, 6),
        "planned",
    )
    assert _mails(engine, "survey-") == {}

    evaluation(cohort="2027", as_of=date(2027, 12, 6))
    invites = _mails(engine, "survey-invite:2027:m03:")
    assert len(invites) == 6  # two placements × participant, buddy, manager
    evaluation(cohort="2027", as_of=date(2027, 12, 7))
    assert len(_mails(engine, "survey-invite:")) == 6

    participant = next(n for k, n in invites.items() if k.endswith(":participant"))
    path = link_of(engine, participant).split("127.0.0.1:8000", 1)[1]
    web = client(engine, Clock(datetime(2027, 12, 8, 10, 0, tzinfo=AMSTERDAM)))
    answers = {
        "guid_buddy": "4",
        "guid_manager": "5",
        "info_clear": "3",
        "train_useful": "4",
        "work_place": "5",
        "nps": "9",
        "remark": "<script>alert(1)</script>",
    }
    assert web.post(path, data=answers).status_code == 303

    evaluation(cohort="2027", as_of=date(2027, 12, 11))  # day 5: first reminder
    first = _mails(engine, "survey-reminder:2027:m03:")
    assert len(first) == 5 and all(
        not k.endswith(participant.key.split(":", 3)[3] + ":1") for k in first
    )
    evaluation(cohort="2027", as_of=date(2027, 12, 12))
    assert len(_mails(engine, "survey-reminder:")) == 5  # not twice
    evaluation(cohort="2027", as_of=date(2027, 12, 16))  # day 10: second reminder
    evaluation(cohort="2027", as_of=date(2027, 12, 19))
    assert len(_mails(engine, "survey-reminder:")) == 10  # at most two each

    closed = evaluation(cohort="2027", as_of=date(2027, 12, 21))
    assert closed.closed_now == ["m03"]
    with Session(engine) as session:
        assert (
            session.scalar(select(SurveyRound.status).where(SurveyRound.code == "m03")) == "closed"
        )
    csv_text = (cohort / "evaluation.csv").read_text(encoding="utf-8").splitlines()
    assert csv_text[0] == "round,audience,group,question,n,mean,median"
    assert any(line.startswith("m03,participant,all,guid_buddy,<5,,") for line in csv_text)
    html = (cohort / "evaluation.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and '<html lang="nl">' in html

"""The dry-run cycle walks several cohorts side by side on one calendar: cohort 2027's
training year begins while cohort 2028's business case, tender and sign-up run, the outbox
is delivered once a day for both, and each cohort's summary says what ran for it."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from rvg.business_case.decision import BusinessCaseDecision
from rvg.cycle import CycleDecisions
from rvg.db import make_sessionmaker, session_scope
from rvg.models import Cohort, Notification
from rvg.phases import Phase
from rvg.repositories.cohorts import mark_phase_completed
from tests.utils.applicants import placed_cohort
from tests.utils.flows import cohort_in, completed, next_cohort_file
from tests.utils.smtp import SmtpTestServer
from tests.utils.web import secretary

pytestmark = [pytest.mark.prefect, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

ZONE = ZoneInfo("Europe/Amsterdam")
MATCHED = date(2027, 6, 24)


def test_the_cycle_walks_two_cohorts_side_by_side(engine, tmp_path, prefect_api_url, monkeypatch):
    from flows.cycle import cohort_cycle

    placed_cohort(engine, ["P1", "P2"])
    cohort_in(engine, "2028", next_cohort_file(tmp_path))
    secretary(engine)  # Tilburg: its buddy and manager serve 2027, it is invited for 2028
    with session_scope(make_sessionmaker(engine)) as session:
        first = session.scalar(select(Cohort).where(Cohort.code == "2027"))
        for phase in list(Phase)[:5]:
            at = datetime.combine(MATCHED, datetime.min.time(), tzinfo=ZONE)
            mark_phase_completed(first, phase, session=session, at=at)
    monkeypatch.setenv("RVG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    decisions = CycleDecisions(
        business_case=BusinessCaseDecision(
            approved=True,
            min_participants=20,
            max_participants=34,
            comment="Akkoord.",
            decided_by="Stuurgroep",
        )
    )
    with SmtpTestServer() as server:
        monkeypatch.setenv("RVG_SMTP_PORT", str(server.port))
        summary = cohort_cycle(["2027", "2028"], decisions=decisions, until=date(2027, 9, 10))
    walked = {c.cohort: c for c in summary.cohorts}
    assert list(walked) == ["2027", "2028"]
    runs = {code: {k: n for k, n in c.phase_runs.items() if n} for code, c in walked.items()}
    # 2027's year enqueued its first weeks on 30 August; 2028 was decided on 24 June, its
    # tender planned that day and its sign-up opened on 6 September
    assert runs == {
        "2027": {"training-year": 1},
        "2028": {"business-case": 1, "commitments": 1, "tendering": 1},
    }
    assert walked["2027"].last_day == date(2027, 8, 30)
    assert walked["2028"].first_day == MATCHED and walked["2028"].last_day == date(2027, 9, 6)
    assert walked["2028"].completed == ["business-case"]
    assert walked["2028"].waiting_on == ["commitments", "tendering"]
    with session_scope(make_sessionmaker(engine)) as session:
        assert completed(session) >= {"business_case", "matching"}
        sent = session.scalars(select(Notification.key).where(Notification.status == "sent")).all()
    # one outbox, delivered day by day for both cohorts
    assert len(sent) == summary.emails_sent
    assert {k.split(":")[0] + ":" + k.split(":")[1] for k in sent} == {
        "signup-invite:2028",
        "training:2027",
    }

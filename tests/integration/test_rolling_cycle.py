"""Two cohorts side by side on one calendar, as a region runs them: cohort 2027 lives its
training year while cohort 2028 runs its business case, sign-up, tender (extending the
shared recruitment contract by its next option) and recruitment, with rules of its own. One
walk of the dry-run cycle over both, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from rvg.business_case.decision import BusinessCaseDecision
from rvg.commitments.rules import GoNoGoDecision
from rvg.cycle import CycleDecisions
from rvg.db import make_sessionmaker, session_scope
from rvg.invitations.links import with_link
from rvg.models import Cohort, Contract, Notification
from rvg.notifications.rendering import render
from rvg.phases import Phase
from rvg.programme import create_cohort
from rvg.redesign.decision import RedesignDecision
from rvg.repositories.decisions import latest_decision
from rvg.repositories.tenders import sync_contracts, tenders_of
from rvg.settings import Settings
from rvg.tendering.award import TenderAward, TenderDecisions
from rvg.tendering.config import load_procurement
from rvg.training.config import load_training
from rvg.training.schedule import generate_schedule
from rvg.training.service import stored_sessions
from rvg.unit import unit
from tests.utils.applicants import placed_cohort
from tests.utils.config_files import BEFORE_2027, REAL_CONFIG, copy_config, replace_in
from tests.utils.flows import complete_phases, next_cohort_file
from tests.utils.smtp import SmtpTestServer
from tests.utils.web import secretary

pytestmark = pytest.mark.prefect

ZONE = ZoneInfo("Europe/Amsterdam")
MATCHED = date(2027, 6, 24)  # 2027 placed; the day 2028's business case is decided
UNTIL = date(2028, 3, 15)  # two weeks into 2028's recruitment; 2027 in its seventh month
QUESTION = "Mijn buddy heeft voldoende tijd voor mij."
EDITED = "Mijn buddy maakt voldoende tijd voor mij vrij."
BOARD = "Stuurgroep"
REAL_TRAINING = load_training(REAL_CONFIG / "training.yaml")
DECISIONS = CycleDecisions(
    business_case=BusinessCaseDecision(
        approved=True,
        min_participants=20,
        max_participants=34,
        comment="Akkoord.",
        decided_by=BOARD,
    ),
    go_no_go=GoNoGoDecision(go=True, comment="Go.", decided_by=BOARD),
    # 2027's interim redesign after m03 (December 2027) revises the running 2028
    interim_redesign=RedesignDecision(accepted=True, decided_by=BOARD),
    tender_awards=TenderDecisions(
        awards={
            # 2028's recruitment: the shared contract's second option, decided before its go
            "recruitment_selection": TenderAward(
                supplier="Werving & Selectie Zuid B.V.",
                value_eur=Decimal(120000),
                starts_on=date(2028, 1, 1),
                ends_on=date(2028, 12, 31),
                extension_options=0,
                decided_by=BOARD,
                risk_before_go_accepted=True,
            )
        }
    ),
)


def _two_cohorts(engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """2027 placed (two participants, Tilburg's buddy and manager) with its recruitment
    contract extended by option 1 and a new training contract; 2028 created from a config
    whose training starts half an hour later and whose survey asks another question."""
    placed_cohort(engine, ["P1", "P2"])
    secretary(engine)  # Tilburg: serving 2027, invited for 2028
    config = copy_config(tmp_path)
    replace_in(config / "training.yaml", 'start: "09:00"', 'start: "09:30"')
    replace_in(config / "surveys.yaml", QUESTION, EDITED)
    with session_scope(make_sessionmaker(engine)) as session:
        complete_phases(session, "2027", list(Phase)[:5], MATCHED)
        path = next_cohort_file(tmp_path)
        create_cohort("2028", path, config, session=session, as_of=BEFORE_2027)
        sync_contracts(load_procurement(REAL_CONFIG / "contracts.yaml").contracts, session=session)
        recruitment = session.scalar(
            select(Contract).where(Contract.lot == "recruitment_selection")
        )
        recruitment.extension_options_used, recruitment.ends_on = 1, date(2027, 12, 31)
        session.add(
            Contract(
                lot="training",
                supplier="Academie Omgevingswet B.V.",
                starts_on=date(2027, 7, 12),
                ends_on=date(2028, 9, 30),
                value_eur=Decimal(640000),
                extension_options_total=2,
                extension_options_used=0,
                extension_months=12,
                notice_days=90,
            )
        )


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_2027_lives_its_year_while_2028_is_prepared(engine, tmp_path, prefect_api_url, monkeypatch):
    from flows.cycle import cohort_cycle

    _two_cohorts(engine, tmp_path)
    url = engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("RVG_DATABASE_URL", url)
    with SmtpTestServer() as server:
        monkeypatch.setenv("RVG_SMTP_PORT", str(server.port))
        summary = cohort_cycle(["2027", "2028"], decisions=DECISIONS, until=UNTIL)

    walked = {c.cohort: c for c in summary.cohorts}
    runs = {code: {k for k, n in c.phase_runs.items() if n} for code, c in walked.items()}
    assert runs == {
        "2027": {"training-year", "evaluation"},
        "2028": {"business-case", "commitments", "tendering", "recruitment"},
    }
    assert walked["2028"].completed == ["business-case", "commitments"]
    # 2028's training extension is decided in June 2028, after this walk
    assert walked["2028"].waiting_on == ["tendering", "recruitment"]

    settings = Settings(database_url=url)
    with unit(settings=settings) as u:
        first, second = u.session.scalars(select(Cohort).order_by(Cohort.code)).all()
        # the shared recruitment contract: one option for 2027, the next one for 2028
        contract = u.session.scalar(select(Contract).where(Contract.lot == "recruitment_selection"))
        assert (contract.extension_options_used, contract.ends_on) == (2, date(2028, 12, 31))
        tenders = tenders_of(second, session=u.session)
        assert tenders["recruitment_selection"].extension_options_planned == 1
        assert tenders["recruitment_selection"].status == "awarded"
        assert tenders["training"].extension_options_planned == 1  # the new contract's first
        # each cohort on its own rules: 2027's sessions and questions as they were
        stored = {(s.key, s.starts_at) for s, _ in stored_sessions(first, session=u.session)}
        planned = generate_schedule(date(2027, 9, 6), REAL_TRAINING, zone=ZONE)
        assert stored == {(s.key, s.starts_at) for s in planned}
        assert u.config_of(second).training.first_block.start.isoformat() == "09:30:00"
        texts = [q.text for q in u.config_of(first).surveys.questions]
        assert QUESTION in texts and EDITED not in texts
        sent = u.session.scalars(select(Notification).where(Notification.status == "sent")).all()
        # 2027's interim redesign after m03 ran in the walk; 2028 keeps the rules it was
        # given (config/ differs from them, but not from 2027's: no lesson to take)
        interim = latest_decision(first, "redesign:m03", session=u.session)
        assert interim is not None and interim.outcome == "accepted"
        assert u.config_of(second).training.first_block.start.isoformat() == "09:30:00"
    assert len(sent) == summary.emails_sent

    subjects = [
        (
            n.to_address,
            n.due_at.astimezone(ZONE).date(),
            render(n.template, with_link(n.context)).subject,
        )
        for n in sent
    ]
    # nobody gets the same message twice on one day, and every message names its cohort
    assert [item for item, count in Counter(subjects).items() if count > 1] == []
    named = Counter(subject.rsplit("lichting ", 1)[-1][:4] for _, _, subject in subjects)
    assert set(named) == {"2027", "2028"}
    of_2027 = {n.template for n in sent if n.cohort_id == first.id}
    assert "survey_invitation" in of_2027 and any(t.startswith("training_") for t in of_2027)
    assert "signup_invitation" in {n.template for n in sent if n.cohort_id == second.id}


FOLLOWED_UNTIL = date(2028, 1, 15)  # after 2027's m03 round and its interim redesign


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_a_following_walk_takes_in_the_cohort_the_interim_redesign_creates(
    engine, prefect_api_url, monkeypatch
):
    """Only 2027 exists when the walk starts; its interim redesign after m03 creates 2028,
    and the walk, following one cohort, runs 2028's business case on the same calendar."""
    from prefect.client.orchestration import get_client

    from flows.cycle import cohort_cycle

    placed_cohort(engine, ["P1", "P2"])
    with session_scope(make_sessionmaker(engine)) as session:
        complete_phases(session, "2027", list(Phase)[:5], MATCHED)
    monkeypatch.setenv("RVG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with SmtpTestServer() as server:
        monkeypatch.setenv("RVG_SMTP_PORT", str(server.port))
        state = cohort_cycle(
            ["2027"], decisions=DECISIONS, until=FOLLOWED_UNTIL, follow=1, return_state=True
        )
    summary = state.result()

    walked = {c.cohort: c for c in summary.cohorts}
    assert list(walked) == ["2027", "2028"]
    assert walked["2028"].phase_runs["business-case"] == 1
    assert walked["2028"].completed == ["business-case"]
    # 2028 started on the day 2027's interim redesign created it, not before
    url = engine.url.render_as_string(hide_password=False)
    with unit(settings=Settings(database_url=url)) as u:
        second = u.session.scalar(select(Cohort).where(Cohort.code == "2028"))
        interim = latest_decision(
            u.session.scalar(select(Cohort).where(Cohort.code == "2027")),
            "redesign:m03",
            session=u.session,
        )
        assert second is not None and interim is not None
        assert walked["2028"].first_day >= interim.decided_at.astimezone(ZONE).date()
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(state.state_details.flow_run_id)
    assert {"cohort:2027", "cohort:2028"} <= set(run.tags)

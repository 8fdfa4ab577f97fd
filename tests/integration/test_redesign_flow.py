"""Phase 8 with the decision as a parameter: report and next cohort file written, the decision
stored with the lessons, the phase completed once."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.business_case.costing import load_cost_model
from rvg.models import Decision
from rvg.redesign.decision import RedesignDecision
from rvg.settings import Settings
from rvg.unit import unit
from tests.utils.applicants import placed_cohort
from tests.utils.config_files import REAL_CONFIG

pytestmark = [pytest.mark.prefect, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]


@pytest.fixture
def cohort(engine, monkeypatch, tmp_path):
    placed_cohort(engine, ["P1", "P2"])
    monkeypatch.setenv("RVG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("RVG_OUTPUT_DIR", str(tmp_path / "out"))
    return tmp_path / "out" / "2027"


def _next_cohort(engine):
    """Cohort 2029's key dates, rule-set versions (number, reason) and cost rules."""
    url = engine.url.render_as_string(hide_password=False)
    with unit("2029", settings=Settings(database_url=url)) as u:
        versions = [(r.version, r.reason) for r in u.cohort.rule_sets]
        return {m.name: m.on for m in u.cohort.milestones}, versions, u.config.costs


def _decisions(engine):
    with Session(engine) as session:
        return [
            (d.phase, d.kind, d.outcome, d.decided_by, d.reason)
            for d in session.scalars(select(Decision).order_by(Decision.id))
        ]


def test_an_accepted_redesign_writes_the_proposal_and_completes_the_phase(
    engine, prefect_api_url, cohort
):
    from flows.redesign import redesign

    decision = RedesignDecision(
        accepted=True, lessons="Meet & greet <b>eerder</b> plannen.", decided_by="Projectleider"
    )
    summary = redesign(cohort="2027", as_of=date(2028, 10, 1), decision=decision)

    assert summary.placements == 2 and summary.decision == "accepted"
    # after the month-12 survey, 2028 cannot start in September 2028 any more: the proposal
    # is the next cohort that can, planned forward from the decision day
    assert summary.next_cohort == "2029" and summary.next_target == (12, 14)
    assert "signups" in summary.findings  # nobody signed up in this test database
    # accepted: the proposal is now cohort 2029, with config/'s rules and its own costs
    proposal, rule_sets, costs = _next_cohort(engine)
    assert rule_sets == [(1, "proposed by the redesign of cohort 2027")]
    # nothing was awarded or invoiced here: the estimate stands, written as 2029's own file
    assert costs == load_cost_model(REAL_CONFIG / "costs.yaml")
    assert min(proposal.values()) >= date(2028, 10, 1)
    assert proposal["training_start"] == date(2029, 9, 3)
    html = (cohort / "redesign.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in html and "overgenomen" in html
    assert "Meet &amp; greet &lt;b&gt;eerder&lt;/b&gt; plannen." in html
    assert "niet elke voorbereidingstijd past" in html
    assert "<li>Perceel Werving &amp; selectie: geen contract dekt het" in html
    assert _decisions(engine)[-2:] == [
        ("redesign", "redesign", "accepted", "Projectleider", decision.lessons),
        ("redesign", "phase_completed", "completed", "system", None),
    ]

    again = redesign(cohort="2027", as_of=date(2028, 10, 2))  # accepted: no question again
    assert again.decision == "accepted"
    assert _next_cohort(engine)[:2] == (proposal, rule_sets)  # unchanged
    assert [d for d in _decisions(engine) if d[0] == "redesign"] == [
        ("redesign", "redesign", "accepted", "Projectleider", decision.lessons),
        ("redesign", "phase_completed", "completed", "system", None),
    ]

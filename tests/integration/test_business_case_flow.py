"""Phase 1 on a real Prefect server: the decision as a parameter, and as a form resumed later."""

import threading
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.business_case.decision import BusinessCaseDecision
from rvg.models import BusinessCase, Decision
from tests.utils.flows import cohort_in, completed, wait_for_paused_run

pytestmark = [pytest.mark.prefect, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

APPROVAL = BusinessCaseDecision(
    approved=True,
    min_participants=20,
    max_participants=34,
    comment="Akkoord, binnen de begroting.",
    decided_by="Stuurgroep RvG (voorzitter)",
)


@pytest.fixture
def project(engine, monkeypatch, tmp_path):
    cohort_in(engine)
    monkeypatch.setenv("RVG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("RVG_OUTPUT_DIR", str(tmp_path / "out"))
    return tmp_path / "out"


def test_decision_as_parameter_approves_writes_files_and_completes_the_phase(
    engine, prefect_api_url, project
):
    from prefect.artifacts import Artifact

    from flows.business_case import business_case

    summary = business_case(cohort="2027", as_of=date(2026, 6, 25), decision=APPROVAL)
    assert summary.status == "approved" and summary.version == 1
    assert summary.planned_participants == 27
    assert abs(summary.cost_per_participant - 18_500) < 0.01
    assert summary.european_lots == ["recruitment_selection", "training"]
    assert {p.name for p in (project / "2027").iterdir()} == {
        "business_case.md",
        "business_case.html",
        "scenarios.csv",
        "scenarios.xlsx",
    }
    assert "€ 18.500 per deelnemer" in Artifact.get("business-case-2027").data

    with Session(engine) as session:
        decisions = {d.kind: d for d in session.scalars(select(Decision))}
        assert decisions["business_case"].decided_by == "Stuurgroep RvG (voorzitter)"
        assert decisions["business_case"].reason == "Akkoord, binnen de begroting."
        assert decisions["business_case"].decided_at.date() == date(2026, 6, 24)  # midnight in NL
        assert "phase_completed" in decisions
        assert "business_case" in completed(session)

    again = business_case(cohort="2027", as_of=date(2026, 6, 26))
    assert (again.status, again.version) == ("approved", 1)
    with Session(engine) as session:
        assert len(session.scalars(select(BusinessCase)).all()) == 1


def test_open_decision_is_resumed_with_a_run_input_like_the_ui(engine, prefect_api_url, project):
    from prefect.flow_runs import resume_flow_run

    from flows.business_case import business_case

    result = {}
    runner = threading.Thread(
        target=lambda: result.update(summary=business_case(cohort="2027", as_of=date(2026, 6, 25)))
    )
    runner.start()
    run_id = wait_for_paused_run("business-case")
    resume_flow_run(
        run_id,
        run_input={**APPROVAL.model_dump(), "approved": False, "comment": "Eerst dekking regelen."},
    )
    runner.join(timeout=120)
    assert not runner.is_alive()
    assert result["summary"].status == "rejected"
    with Session(engine) as session:
        decision = session.scalar(select(Decision).where(Decision.kind == "business_case"))
        assert (decision.outcome, decision.reason) == ("rejected", "Eerst dekking regelen.")
        assert "business_case" not in completed(session)


def test_a_phase_run_carries_the_cohort_and_phase_tags_and_its_task_runs_none(
    engine, prefect_api_url, project
):
    """Started by hand (as from the UI, or by an event, which sets no tags), the run tags
    itself, so the UI filters a cohort's or a phase's runs. Its task runs carry no tags, not
    even those the run was started with: a tagged task run asks the server for concurrency
    slots each time it starts."""
    from prefect import get_client, tags
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    from flows.business_case import business_case

    with tags("started-with"):
        state = business_case(
            cohort="2027", as_of=date(2026, 6, 25), decision=APPROVAL, return_state=True
        )
    run_id = state.state_details.flow_run_id
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(run_id)
        task_runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id]))
        )
    wanted = {"cohort:2027", "phase:1-business-case"}
    assert wanted | {"started-with"} <= set(run.tags)
    assert task_runs and all(task.tags == [] for task in task_runs)

"""Phase 4 on a real Prefect server: funnel files and artifacts, stuck applicants to the team,
meet & greet invitations with a calendar invitation, once."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.models import Cohort, Contact, ContactRoleAssignment, Decision, Notification, Organisation
from tests.utils.applicants import add_applicants, commit_vacancies
from tests.utils.flows import cohort_in
from tests.utils.web import secretary

pytestmark = [pytest.mark.prefect, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]


@pytest.fixture
def recruiting(engine, monkeypatch, tmp_path):
    cohort_in(engine)
    monkeypatch.setenv("RVG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("RVG_OUTPUT_DIR", str(tmp_path / "out"))
    secretary(engine, "GM0855", email="secretaris@tilburg.example")
    with Session(engine) as session:
        cohort = session.scalar(select(Cohort))
        commit_vacancies(session, cohort, {"GM0855": {"ro": 2, "vm": 1}})
        add_applicants(session, cohort, ["M1", "M2"], stage="meet_greet")
        stuck = add_applicants(session, cohort, ["S1"], stage="screened")
        stuck[0].stage_date = stuck[0].stage_history[0].entered_on = date(2027, 4, 1)
        province = session.scalar(select(Organisation).where(Organisation.code == "PV30"))
        lead = Contact(
            organisation_id=province.id, name="Projectleider", email="lead@brabant.example"
        )
        lead.roles = [ContactRoleAssignment(role="project_team")]
        session.add(lead)
        session.commit()
    return tmp_path / "out" / "2027"


def _keys(engine, prefix):
    with Session(engine) as session:
        return {
            n.key: n
            for n in session.scalars(
                select(Notification).where(Notification.key.startswith(prefix))
            )
        }


def test_funnel_stuck_and_meet_greet(engine, prefect_api_url, recruiting):
    from prefect.artifacts import Artifact

    from flows.recruitment import recruitment

    before = recruitment(cohort="2027", as_of=date(2027, 5, 20))
    assert (before.applicants, before.stuck) == (3, 1)
    assert {p.name for p in recruiting.iterdir()} == {"funnel.csv", "funnel.html"}
    stuck_mail = _keys(engine, "stuck:2027:2027-05-20")
    assert len(stuck_mail) == 1
    assert "Voornaam" not in str(next(iter(stuck_mail.values())).context)  # refs, never names
    assert "S1" in Artifact.get("recruitment-stuck-2027").data
    assert _keys(engine, "meet-greet:") == {}  # more than 21 days before 17 June

    recruitment(cohort="2027", as_of=date(2027, 5, 27))
    invites = _keys(engine, "meet-greet:")
    assert set(invites) == {
        "meet-greet:2027:candidate:M1",
        "meet-greet:2027:candidate:M2",
        next(k for k in invites if k.startswith("meet-greet:2027:organisation:GM0855:")),
    }
    assert (
        invites["meet-greet:2027:candidate:M1"]
        .context["calendar_event"]["starts_at"]
        .startswith("2027-06-17T13:00")
    )
    recruitment(cohort="2027", as_of=date(2027, 5, 28))
    assert len(_keys(engine, "meet-greet:")) == 3  # once

    recruitment(cohort="2027", as_of=date(2027, 6, 18))
    with Session(engine) as session:
        assert (
            session.scalar(select(Decision.phase).where(Decision.kind == "phase_completed"))
            == "recruitment"
        )

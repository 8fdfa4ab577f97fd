"""Phase 5 on a real Prefect server: a stable proposal, approval, placements and e-mails."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.models import (
    Applicant,
    CandidatePreference,
    Cohort,
    Notification,
    Organisation,
    OrganisationPreference,
    Placement,
)
from rvg.placements.approval import MatchApproval
from tests.utils.applicants import add_applicants, commit_vacancies
from tests.utils.flows import cohort_in, completed
from tests.utils.web import secretary

pytestmark = [pytest.mark.prefect, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]
APPROVAL = MatchApproval(approved=True, decided_by="Projectleider", comment="Akkoord")


@pytest.fixture
def market(engine, monkeypatch, tmp_path):
    cohort_in(engine)
    monkeypatch.setenv("RVG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("RVG_OUTPUT_DIR", str(tmp_path / "out"))
    secretary(engine, "GM0855", email="secretaris@tilburg.example")
    with Session(engine) as session:
        cohort = session.scalar(select(Cohort))
        commit_vacancies(
            session, cohort, {"GM0855": {"ro": 1, "vm": 0}, "GM0772": {"ro": 1, "vm": 0}}
        )
        a1, a2, a3 = add_applicants(session, cohort, ["A1", "A2", "A3"])
        orgs = {o.code: o.id for o in session.scalars(select(Organisation))}
        for applicant, ranking in ((a1, ["GM0855", "GM0772"]), (a2, ["GM0855"]), (a3, ["GM0772"])):
            for rank, code in enumerate(ranking, 1):
                session.add(
                    CandidatePreference(
                        cohort_id=cohort.id,
                        applicant_id=applicant.id,
                        organisation_id=orgs[code],
                        rank=rank,
                    )
                )
        for code, ranking in (("GM0855", [a2, a1]), ("GM0772", [a1, a3])):
            for rank, applicant in enumerate(ranking, 1):
                session.add(
                    OrganisationPreference(
                        cohort_id=cohort.id,
                        organisation_id=orgs[code],
                        applicant_id=applicant.id,
                        rank=rank,
                    )
                )
        session.commit()


def test_approved_matching_places_candidates_once_and_tells_them(
    engine, prefect_api_url, market, tmp_path
):
    from flows.matching import matching

    result = matching(cohort="2027", as_of=date(2027, 6, 25), decision=APPROVAL)
    report = (tmp_path / "out" / "2027" / "matching.html").read_text(encoding="utf-8")
    assert '<td>A1</td><td>Eindhoven</td><td class="num">2</td>' in report
    assert "<td>A2</td><td>Tilburg</td>" in report and "goedgekeurd en geplaatst" in report
    assert "Niet gekoppeld: 1 kandidaat" in report
    ro = next(t for t in result.tracks if t.track == "ro")
    assert ro.pairs == {"A1": "GM0772", "A2": "GM0855", "A3": None}
    assert ro.ranks == {1: 1, 2: 1} and ro.unmatched == ["A3"]
    assert result.placed and result.decision == "approved"
    with Session(engine) as session:
        placements = session.scalars(select(Placement)).all()
        assert len(placements) == 2 and {p.starts_on for p in placements} == {date(2027, 9, 6)}
        assert (
            session.scalar(select(Applicant.stage).where(Applicant.applicant_ref == "A1"))
            == "matched"
        )
        keys = set(session.scalars(select(Notification.key)))
        assert {"match-candidate:2027:A1", "match-candidate:2027:A2"} <= keys
        assert any(k.startswith("match-organisation:2027:GM0855:") for k in keys)
        assert "matching" in completed(session)

    again = matching(cohort="2027", as_of=date(2027, 6, 26))
    assert again.placed
    with Session(engine) as session:
        assert len(session.scalars(select(Placement)).all()) == 2

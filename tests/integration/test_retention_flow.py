"""The retention flow and `rvg run retention` on a real Prefect server."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.models import Applicant, Cohort, ErasureAudit
from tests.utils.applicants import add_applicants
from tests.utils.cli import run_rvg
from tests.utils.flows import cohort_in

pytestmark = [pytest.mark.prefect, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]


@pytest.fixture
def applicants(engine, monkeypatch):
    cohort_in(engine)
    monkeypatch.setenv("RVG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with Session(engine) as session:
        cohort = session.scalar(select(Cohort))
        rejected = add_applicants(session, cohort, ["R1", "R2"], stage="rejected")
        for applicant, consent in zip(rejected, (None, date(2027, 12, 1)), strict=True):
            applicant.stage_date = applicant.procedure_ended_on = date(2027, 4, 1)
            applicant.consent_until = consent
        add_applicants(session, cohort, ["P1"], stage="interview")
        session.commit()


def test_dry_run_lists_and_the_real_run_anonymises_only_what_is_due(
    engine, prefect_api_url, applicants
):
    from flows.retention import retention

    dry = retention(as_of=date(2027, 5, 1), dry_run=True)
    assert (dry.due, dry.anonymised) == (1, 0)
    with Session(engine) as session:
        assert (
            session.scalar(select(Applicant.first_name).where(Applicant.applicant_ref == "R1"))
            is not None
        )

    done = retention(as_of=date(2027, 5, 1))
    assert (done.due, done.anonymised) == (1, 1)
    with Session(engine) as session:
        applicants = {a.applicant_ref: a for a in session.scalars(select(Applicant))}
        assert "R1" not in applicants and applicants["R2"].email is not None  # consent keeps R2
        anonymous = next(a for ref, a in applicants.items() if ref.startswith("anon-"))
        assert (anonymous.first_name, anonymous.email, anonymous.track_code) == (None, None, "ro")
        audit = session.scalars(select(ErasureAudit)).all()
        assert [(a.subject_id, a.action) for a in audit] == [(anonymous.id, "anonymised")]

    assert retention(as_of=date(2027, 5, 2)).due == 0  # nothing twice


def test_rvg_run_retention_dry_run(engine, prefect_api_url, applicants):
    result = run_rvg(
        "run",
        "retention",
        "--as-of",
        "2028-06-01",
        "--dry-run",
        database_url=engine.url.render_as_string(hide_password=False),
        PREFECT_API_URL=prefect_api_url,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert '"due":2' in result.stdout.strip().splitlines()[-1].replace(" ", "")

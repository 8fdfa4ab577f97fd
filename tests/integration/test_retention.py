"""``erase_due`` on both backends: dry run, anonymisation, audit without personal data."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from rvg.errors import NotFound
from rvg.models import Applicant, CandidatePreference, ErasureAudit, Organisation, StageChange
from rvg.programme import create_cohort
from rvg.recruitment.retention import anonymise, erase_due
from tests.utils.applicants import add_applicants
from tests.utils.config_files import BEFORE_2027, REAL_CONFIG

AS_OF = date(2027, 5, 1)


@pytest.fixture
def applicants(session) -> dict[str, Applicant]:
    """R1 ended 1 April (due 29 April), R2 with consent until December, R3 anonymised before,
    W1 withdrew 20 April (kept until 18 May), P1 still in the procedure."""
    cohort = create_cohort(
        "2027",
        REAL_CONFIG / "cohorts" / "2027.yaml",
        REAL_CONFIG,
        session=session,
        as_of=BEFORE_2027,
    ).cohort
    ended = add_applicants(session, cohort, ["R1", "R2", "R3"], stage="rejected")
    [withdrawn] = add_applicants(session, cohort, ["W1"], stage="withdrawn")
    [running] = add_applicants(session, cohort, ["P1"], stage="interview")
    for applicant, consent in zip(ended, (None, date(2027, 12, 1), None), strict=True):
        applicant.stage_date = applicant.procedure_ended_on = date(2027, 4, 1)
        applicant.consent_until = consent
    withdrawn.stage_date = date(2027, 4, 20)
    anonymise(ended[2], datetime(2027, 4, 30, tzinfo=UTC))
    organisation = session.scalar(select(Organisation).where(Organisation.code == "GM0855"))
    session.add(
        CandidatePreference(
            cohort_id=cohort.id, applicant_id=ended[0].id, organisation_id=organisation.id, rank=1
        )
    )
    session.commit()
    return {"R1": ended[0], "R2": ended[1], "R3": ended[2], "W1": withdrawn, "P1": running}


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_dry_run_lists_and_writes_nothing(session, applicants):
    report = erase_due(None, AS_OF, session=session, dry_run=True, performed_by="test")
    session.commit()

    assert [(a.applicant_id, a.retain_until, a.rule) for a in report.applicants] == [
        (applicants["R1"].id, date(2027, 4, 29), "28 days after procedure end")
    ]
    assert (
        report.line() == "due=1 anonymised=0 files_due=0 files_deleted=0 qa_interests_due=0 "
        "(dry run: nothing changed)"
    )
    session.expire_all()
    assert applicants["R1"].first_name == "VoornaamR1"
    assert _count(session, ErasureAudit) == 0


def test_real_run_anonymises_audits_and_skips_what_is_done(session, applicants):
    r1 = applicants["R1"]
    personal = {r1.applicant_ref, r1.first_name, r1.last_name, r1.email}

    report = erase_due("2027", AS_OF, session=session, dry_run=False, performed_by="projectteam")
    session.commit()

    assert report.line() == "due=1 anonymised=1 files_due=0 files_deleted=0 qa_interests_due=0"
    session.expire_all()
    assert (r1.applicant_ref, r1.first_name, r1.last_name, r1.email, r1.phone) == (
        f"anon-{r1.id}",
        None,
        None,
        None,
        None,
    )
    assert r1.anonymised_at == datetime(2027, 4, 30, 22, 0, tzinfo=UTC)  # midnight in Amsterdam
    assert (r1.track_code, r1.stage, r1.procedure_ended_on) == ("ro", "rejected", date(2027, 4, 1))
    assert _count(session, StageChange) == 5
    assert _count(session, CandidatePreference) == 1
    assert applicants["R2"].email == "r2@kandidaat.example"  # consent until 1 December
    assert applicants["W1"].email == "w1@kandidaat.example"  # until 18 May
    [audit] = session.scalars(select(ErasureAudit)).all()
    assert (audit.subject_type, audit.subject_id, audit.action, audit.rule) == (
        "applicant",
        r1.id,
        "anonymised",
        "28 days after procedure end",
    )
    assert (audit.cohort_id, audit.performed_by) == (r1.cohort_id, "projectteam")
    stored = " ".join(str(getattr(audit, column.key)) for column in ErasureAudit.__table__.columns)
    assert not any(text in stored for text in personal)

    again = erase_due(None, AS_OF, session=session, dry_run=False, performed_by="projectteam")
    assert again.applicants == []
    later = erase_due(None, date(2028, 1, 1), session=session, dry_run=False, performed_by="x")
    session.commit()
    assert [a.rule for a in later.applicants] == [
        "consent until 2027-12-01",
        "28 days after procedure end",
    ]
    assert _count(session, ErasureAudit) == 3
    assert session.scalar(select(Applicant.email).where(Applicant.id == applicants["P1"].id))


def test_an_unknown_cohort_is_named(session, applicants):
    with pytest.raises(NotFound, match="2031"):
        erase_due("2031", AS_OF, session=session, dry_run=True, performed_by="test")

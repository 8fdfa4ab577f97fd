"""Preferences import and the per-track matching markets built from the database."""

from sqlalchemy import func, select

from rvg.imports.preferences import import_preferences
from rvg.models import CandidatePreference, Cohort, OrganisationPreference
from rvg.programme import create_cohort
from rvg.repositories.placements import markets
from tests.utils.applicants import add_applicants, commit_vacancies
from tests.utils.config_files import BEFORE_2027, REAL_CONFIG


def _setup(session):
    create_cohort(
        "2027",
        REAL_CONFIG / "cohorts" / "2027.yaml",
        REAL_CONFIG,
        session=session,
        as_of=BEFORE_2027,
    )
    cohort = session.scalar(select(Cohort))
    add_applicants(session, cohort, ["A1", "A2", "A3"])
    add_applicants(session, cohort, ["B1"], track="vm")
    commit_vacancies(session, cohort, {"GM0855": {"ro": 1, "vm": 1}, "GM0772": {"ro": 2, "vm": 0}})
    return cohort


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_preferences_are_imported_once_and_replace_a_changed_list(session, tmp_path):
    cohort = _setup(session)
    candidates = _write(
        tmp_path / "c.csv",
        "candidate_id,organisation_id,rank\nA1,GM0855,1\nA1,Eindhoven,2\nA2,GM0772,1\nB1,Tilburg,1\n",
    )
    organisations = _write(
        tmp_path / "o.csv",
        "organisation_id,candidate_id,rank\nGM0855,A2,1\nGM0855,A1,2\nGM0855,B1,3\nGM0772,A1,1\n",
    )
    first, second = import_preferences(candidates, organisations, "2027", session=session)
    assert first.tally.line() == "imported=4 updated=0 unchanged=0 rejected=0"
    assert second.tally.line() == "imported=4 updated=0 unchanged=0 rejected=0"
    again = import_preferences(candidates, organisations, "2027", session=session)
    assert [r.tally.line() for r in again] == ["imported=0 updated=0 unchanged=4 rejected=0"] * 2

    _write(candidates, "candidate_id,organisation_id,rank\nA1,GM0772,1\n")
    changed, _ = import_preferences(candidates, organisations, "2027", session=session)
    assert changed.tally.line() == "imported=0 updated=1 unchanged=0 rejected=0"
    assert (
        session.scalar(select(func.count()).select_from(CandidatePreference)) == 3
    )  # A1's GM0855 gone

    (ro, vm) = markets(cohort, session=session)
    assert ro.track == "ro" and ro.candidate_prefs == {"A1": ["GM0772"], "A2": ["GM0772"]}
    assert ro.organisation_prefs == {"GM0855": ["A2", "A1"], "GM0772": ["A1"]}
    assert ro.capacities == {"GM0855": 1, "GM0772": 2}
    assert vm.candidate_prefs == {"B1": ["GM0855"]} and vm.organisation_prefs == {"GM0855": ["B1"]}


def test_bad_rows_are_rejected_with_row_and_field(session, tmp_path):
    _setup(session)
    candidates = _write(
        tmp_path / "c.csv",
        (
            "candidate_id,organisation_id,rank\n"
            "A1,GM0855,1\nA1,GM0772,1\nA2,Atlantis,1\nZZ,GM0855,1\nA3,GM0855,nul\nA1,GM0855,3\n"
        ),
    )
    organisations = _write(tmp_path / "o.csv", "organisation_id,candidate_id,rank\nGM0855,A2,1\n")
    result, _ = import_preferences(candidates, organisations, "2027", session=session)
    reasons = [r.reason for r in result.rejections]
    assert reasons == [
        "row 3, field 'rank': a tie: the same rank as row 2",
        "row 4, field 'organisation_id': unknown organisation 'Atlantis'",
        "row 5, field 'candidate_id': unknown candidate 'ZZ'",
        "row 6, field 'rank': 'nul' is not a whole number from 1 to 1000",
        "row 7, field 'organisation_id': a duplicate pair as row 2",
    ]
    assert result.rejected_file.exists()
    assert session.scalar(select(func.count()).select_from(OrganisationPreference)) == 1

"""Data access on both backends: idempotent loads, constraints that protect the data, UTC."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from rvg.models import (
    Applicant,
    Cohort,
    CohortMilestone,
    Commitment,
    Notification,
    Organisation,
    Placement,
)
from rvg.phases import Phase
from rvg.programme import create_cohort, load_region, read_region
from rvg.repositories.cohorts import get_cohort
from rvg.repositories.decisions import latest_decision, record_decision
from rvg.repositories.organisations import find_organisation
from tests.utils.config_files import BEFORE_2027, REAL_CONFIG, copy_config, replace_in

COHORT_FILE = REAL_CONFIG / "cohorts" / "2027.yaml"


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_loading_the_region_twice_changes_nothing(session):
    region = read_region(REAL_CONFIG)
    first = load_region(region, session=session)
    session.commit()
    second = load_region(region, session=session)
    session.commit()
    assert (first.imported, first.updated) == (len(region.organisations), 0)
    assert (second.imported, second.updated, second.unchanged) == (0, 0, len(region.organisations))
    assert _count(session, Organisation) == len(region.organisations)


def test_a_changed_organisation_is_updated_in_place(session, tmp_path):
    load_region(read_region(REAL_CONFIG), session=session)
    session.commit()
    config = copy_config(tmp_path)
    replace_in(config / "organisations.csv", "GM0855,Tilburg,", "GM0855,Gemeente Tilburg,")
    tally = load_region(read_region(config), session=session)
    session.commit()
    assert (tally.imported, tally.updated) == (0, 1)
    assert find_organisation("gm0855", session=session).name == "Gemeente Tilburg"


def test_create_cohort_is_idempotent_and_follows_file_changes(session, tmp_path):
    loaded = create_cohort("2027", COHORT_FILE, REAL_CONFIG, session=session, as_of=BEFORE_2027)
    cohort, outcome = loaded.cohort, loaded.outcome
    session.commit()
    assert outcome == "imported"
    again = create_cohort(
        "2027", COHORT_FILE, REAL_CONFIG, session=session, as_of=BEFORE_2027
    ).outcome
    session.commit()
    assert again == "unchanged"
    assert _count(session, Cohort) == 1

    config = copy_config(tmp_path)
    path = config / "cohorts" / "2027.yaml"
    replace_in(path, "training_start: 2027-09-06", "training_start: 2027-09-13")
    replace_in(path, "tracks: [ro, vm]", "tracks: [ro]")
    changed = create_cohort("2027", path, config, session=session, as_of=BEFORE_2027).outcome
    session.commit()
    session.expire_all()
    cohort = get_cohort("2027", session=session)
    assert changed == "updated"
    assert cohort.milestone("training_start").isoformat() == "2027-09-13"
    assert [t.track_code for t in cohort.tracks] == ["ro"]
    assert _count(session, CohortMilestone) == 7


def test_a_bad_cohort_file_writes_nothing(session, tmp_path):
    from rvg.errors import ConfigError

    config = copy_config(tmp_path)
    path = config / "cohorts" / "2027.yaml"
    replace_in(path, "organisations: all", "organisations: [Gemeente Atlantis]")
    with pytest.raises(ConfigError):
        create_cohort("2027", path, config, session=session, as_of=BEFORE_2027)
    session.rollback()
    assert _count(session, Organisation) == 0
    assert _count(session, Cohort) == 0


def _cohort(session) -> Cohort:
    cohort = create_cohort(
        "2027", COHORT_FILE, REAL_CONFIG, session=session, as_of=BEFORE_2027
    ).cohort
    session.commit()
    return cohort


def test_check_constraints_refuse_unknown_statuses(session):
    cohort = _cohort(session)
    session.add(Commitment(cohort_id=cohort.id, organisation_id=1, status="maybe"))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_a_commitment_needs_agreement_to_the_costs(session):
    cohort = _cohort(session)
    org = find_organisation("Tilburg", session=session)
    session.add(Commitment(cohort_id=cohort.id, organisation_id=org.id, status="committed"))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_one_commitment_per_organisation_per_cohort(session):
    cohort = _cohort(session)
    org = find_organisation("Breda", session=session)
    session.add_all([Commitment(cohort_id=cohort.id, organisation_id=org.id) for _ in range(2)])
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_foreign_keys_are_enforced(session):
    cohort = _cohort(session)
    session.add(Commitment(cohort_id=cohort.id, organisation_id=99_999))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_a_drop_out_needs_a_date_and_a_reason(session):
    cohort = _cohort(session)
    org = find_organisation("Oss", session=session)
    applicant = Applicant(
        cohort_id=cohort.id,
        applicant_ref="A1",
        first_name="Test",
        last_name="Persoon",
        email="a1@example.org",
        track_code="ro",
        stage="placed",
        stage_date=datetime(2027, 7, 1, tzinfo=UTC).date(),
    )
    session.add(applicant)
    session.flush()
    session.add(
        Placement(
            cohort_id=cohort.id,
            applicant_id=applicant.id,
            organisation_id=org.id,
            track_code="ro",
            starts_on=cohort.milestone("training_start"),
            status="dropped_out",
        )
    )
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_timestamps_are_stored_in_utc_and_come_back_aware(session):
    amsterdam_summer = timezone(timedelta(hours=2))
    due = datetime(2027, 7, 1, 9, 0, tzinfo=amsterdam_summer)
    session.add(Notification(key="k1", to_address="x@example.org", template="test", due_at=due))
    session.commit()
    session.expire_all()
    stored = session.scalar(select(Notification.due_at))
    assert stored == due
    assert stored.utcoffset() == timedelta(0)
    assert stored.hour == 7


def test_naive_datetimes_are_refused(session):
    session.add(
        Notification(
            key="k2", to_address="x@example.org", template="test", due_at=datetime(2027, 7, 1)
        )
    )
    with pytest.raises(Exception, match="naive datetime"):
        session.flush()
    session.rollback()


def test_decisions_keep_who_when_and_why(session):
    cohort = _cohort(session)
    when = datetime(2026, 11, 12, 14, 0, tzinfo=UTC)
    record_decision(
        cohort,
        Phase.COMMITMENTS,
        session=session,
        kind="go_no_go",
        outcome="go",
        decided_by="stuurgroep",
        decided_at=when,
        reason="15 organisaties",
        payload={"count": 15},
    )
    record_decision(
        cohort,
        Phase.COMMITMENTS,
        session=session,
        kind="go_no_go",
        outcome="no_go",
        decided_by="stuurgroep",
        decided_at=when - timedelta(days=1),
        reason="eerder besluit",
    )
    session.commit()
    decision = latest_decision(cohort, "go_no_go", session=session)
    assert (decision.outcome, decision.decided_by, decision.reason) == (
        "go",
        "stuurgroep",
        "15 organisaties",
    )
    assert decision.payload == {"count": 15}

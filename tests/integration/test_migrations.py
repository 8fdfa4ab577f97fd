"""Alembic builds the schema from nothing on both backends, and it matches the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import rvg.models  # noqa: F401
from rvg.db import Base, make_engine
from rvg.migrate import current_revision, downgrade, head_revision, upgrade


def test_upgrade_from_empty_creates_every_table(database_url):
    engine = make_engine(database_url)
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    upgrade(engine)  # a second upgrade is a no-op
    engine.dispose()


def test_migrations_match_the_models(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_downgrade_to_base_removes_the_schema(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    downgrade(engine, "base")
    assert not set(Base.metadata.tables) & set(inspect(engine).get_table_names())
    engine.dispose()


def test_upgrade_keeps_the_data_of_the_initial_revision(database_url):
    """A region that ran the released schema upgrades in place: its applicants stay, and the
    new retention rules (tombstones, rejected-row files) work on them at once."""
    from datetime import date

    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from rvg.models import Applicant, Tombstone
    from rvg.programme import create_cohort
    from rvg.recruitment.retention import erase_due
    from tests.utils.applicants import add_applicants
    from tests.utils.config_files import REAL_CONFIG

    engine = make_engine(database_url)
    upgrade(engine, "ab2b2d70b04c")
    with Session(engine) as session:
        cohort, _ = create_cohort(
            "2027", REAL_CONFIG / "cohorts" / "2027.yaml", REAL_CONFIG, session=session
        )
        [applicant] = add_applicants(session, cohort, ["R1"], stage="rejected")
        applicant.procedure_ended_on = date(2027, 4, 1)
        session.commit()

    upgrade(engine)

    with Session(engine) as session:
        assert session.scalar(select(Applicant.first_name)) == "VoornaamR1"
        report = erase_due(None, date(2027, 5, 1), session=session, dry_run=False, performed_by="t")
        session.commit()
        assert len(report.applicants) == 1
        assert session.scalar(select(Tombstone.erased_on)) == date(2027, 5, 1)
    engine.dispose()


def test_upgrade_keeps_tenders_and_allows_the_social_services_path(database_url):
    """Revision 5c1e7a9d2b40 widens the tender path check: stored tenders and their
    milestones stay, a light-touch tender can be stored, an unknown path is still refused."""
    from datetime import date

    import pytest
    from sqlalchemy import select
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm import Session

    from rvg.models import Tender, TenderMilestone
    from rvg.programme import create_cohort
    from tests.utils.config_files import REAL_CONFIG

    engine = make_engine(database_url)
    upgrade(engine, "2afc967cac93")
    with Session(engine) as session:
        cohort, _ = create_cohort(
            "2027", REAL_CONFIG / "cohorts" / "2027.yaml", REAL_CONFIG, session=session
        )
        tender = Tender(cohort_id=cohort.id, lot="training", path="open_procedure")
        tender.milestones.append(TenderMilestone(name="publication", due_on=date(2026, 11, 13)))
        session.add(tender)
        session.commit()
        cohort_id = cohort.id
        with pytest.raises(IntegrityError):
            session.add(Tender(cohort_id=cohort_id, lot="recruitment_selection", path="x"))
            session.flush()

    upgrade(engine)

    with Session(engine) as session:
        stored = session.scalars(select(Tender)).one()
        assert (stored.lot, stored.path) == ("training", "open_procedure")
        assert [m.name for m in stored.milestones] == ["publication"]
        stored.path = "social_services"
        session.commit()
        with pytest.raises(IntegrityError):
            session.add(Tender(cohort_id=cohort_id, lot="recruitment_selection", path="x"))
            session.flush()
    engine.dispose()

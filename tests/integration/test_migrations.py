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
    from types import SimpleNamespace

    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from rvg.models import Applicant, Tombstone
    from rvg.recruitment.retention import erase_due
    from tests.utils.applicants import add_applicants

    engine = make_engine(database_url)
    upgrade(engine, "ab2b2d70b04c")
    with engine.begin() as connection:
        cohort_id = _old_cohort(connection)
        with Session(connection) as session:
            [applicant] = add_applicants(
                session,
                SimpleNamespace(id=cohort_id),  # type: ignore[arg-type]
                ["R1"],
                stage="rejected",
            )
            applicant.procedure_ended_on = date(2027, 4, 1)
            session.flush()

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
    milestones stay (on SQLite the table is rebuilt), a light-touch tender can be stored, an
    unknown path is still refused."""
    import pytest
    from sqlalchemy.exc import IntegrityError

    engine = make_engine(database_url)
    upgrade(engine, "2afc967cac93")
    tender_id = _old_tender(engine, "training", "open_procedure")
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.exec_driver_sql(
            f"UPDATE tenders SET path = 'social_services' WHERE id = {tender_id}"
        )

    upgrade(engine, "5c1e7a9d2b40")

    with engine.begin() as connection:
        rows = connection.exec_driver_sql(
            "SELECT t.lot, t.path, m.name FROM tenders t JOIN tender_milestones m "
            "ON m.tender_id = t.id"
        ).all()
        assert [tuple(row) for row in rows] == [("training", "open_procedure", "publication")]
        connection.exec_driver_sql("UPDATE tenders SET path = 'social_services'")
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.exec_driver_sql("UPDATE tenders SET path = 'x'")
    engine.dispose()


def _old_cohort(connection) -> int:  # type: ignore[no-untyped-def]
    """Cohort 2027 with its key dates, written in SQL as the revisions before 6f2d8a4c1b93
    stored it (the Cohort model is newer); the region's tracks and organisations through the
    service, whose tables have not changed since the first revision."""
    from sqlalchemy.orm import Session

    from rvg.config import load_cohort
    from rvg.programme import load_region, read_region
    from tests.utils.config_files import REAL_CONFIG

    region = read_region(REAL_CONFIG)
    config = load_cohort(
        REAL_CONFIG / "cohorts" / "2027.yaml", region.programme, region.organisations
    )
    with Session(connection) as session:
        load_region(region, session=session)
        session.flush()
    connection.exec_driver_sql(
        "INSERT INTO cohorts (code, name, region, current_phase, min_organisations, "
        "target_participants_min, target_participants_max, parameters, created_at, updated_at) "
        "VALUES ('2027', 'Lichting 2027', 'Noord-Brabant', 'business_case', 12, 20, 34, "
        "'{\"organisations\": \"all\"}', '2026-06-01 00:00:00', '2026-06-01 00:00:00')"
    )
    cohort_id = int(connection.exec_driver_sql("SELECT id FROM cohorts").scalar_one())
    for code in config.tracks:
        connection.exec_driver_sql(
            f"INSERT INTO cohort_tracks (cohort_id, track_code) VALUES ({cohort_id}, '{code}')"
        )
    for name, on in config.key_dates.items():
        connection.exec_driver_sql(
            'INSERT INTO cohort_milestones (cohort_id, name, "on") '
            f"VALUES ({cohort_id}, '{name}', '{on.isoformat()}')"
        )
    return cohort_id


def _old_tender(engine, lot: str, path: str) -> int:  # type: ignore[no-untyped-def]
    """Cohort 2027 and one tender with a milestone, written in SQL: the models are newer than
    the revision under test."""
    with engine.begin() as connection:
        cohort_id = _old_cohort(connection)
        connection.exec_driver_sql(
            "INSERT INTO tenders (cohort_id, lot, path, status, created_at) "
            f"VALUES ({cohort_id}, '{lot}', '{path}', 'planned', '2026-09-01 00:00:00')"
        )
        tender_id = connection.exec_driver_sql("SELECT id FROM tenders").scalar_one()
        connection.exec_driver_sql(
            "INSERT INTO tender_milestones (tender_id, name, due_on) "
            f"VALUES ({tender_id}, 'publication', '2026-11-13')"
        )
    return int(tender_id)


def test_upgrade_keeps_tenders_and_adds_the_planned_extension_options(database_url):
    """Revision 8e4b1f0c7a21: a tender stored before it keeps its path and milestones, has
    no planned options (NULL), and the column takes a value afterwards."""
    from datetime import date

    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from rvg.models import Tender

    engine = make_engine(database_url)
    upgrade(engine, "5c1e7a9d2b40")
    _old_tender(engine, "recruitment_selection", "extension")

    upgrade(engine)

    with Session(engine) as session:
        tender = session.scalars(select(Tender)).one()
        assert (tender.path, tender.extension_options_planned) == ("extension", None)
        assert tender.extension_until_planned is None
        assert [(m.name, m.due_on) for m in tender.milestones] == [
            ("publication", date(2026, 11, 13))
        ]
        tender.extension_options_planned = 1
        session.commit()
    engine.dispose()


def test_upgrade_keeps_cohorts_live_and_records_history(database_url):
    """Revision 6f2d8a4c1b93: a cohort stored before it stays a live cohort with its key
    dates and no outcomes; a past cohort with outcomes can be recorded next to it."""
    from datetime import date

    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from rvg.models import Cohort
    from rvg.programme import create_cohort
    from tests.utils.config_files import REAL_CONFIG

    engine = make_engine(database_url)
    upgrade(engine, "3d9a6c2e5f18")
    with engine.begin() as connection:
        _old_cohort(connection)

    upgrade(engine)

    with Session(engine) as session:
        live = session.scalars(select(Cohort)).one()
        assert (live.code, live.historical, live.outcomes) == ("2027", False, [])
        assert live.milestone("training_start") == date(2027, 9, 6)
        loaded = create_cohort(
            "1",
            REAL_CONFIG / "history" / "1.yaml",
            REAL_CONFIG,
            session=session,
            as_of=date(2026, 12, 4),
            history=True,
        )
        session.commit()
        assert loaded.cohort.historical
        assert {o.measure: o.value for o in loaded.cohort.outcomes}["applicants"] == 249
    engine.dispose()


def test_upgrade_keeps_every_sent_link_working_as_the_invitations_first_link(database_url):
    """Revision 7a3c5e9b2d14: the token hash an invitation held becomes its first link, so a
    link already in someone's mailbox opens the same form; a reminder then adds one."""
    from datetime import UTC, datetime

    from sqlalchemy.orm import Session

    from rvg.invitations.tokens import hash_token, new_token
    from rvg.repositories.invitations import find_invitation, issue_link

    token = new_token()
    engine = make_engine(database_url)
    upgrade(engine, "6f2d8a4c1b93")
    with engine.begin() as connection:
        cohort_id = _old_cohort(connection)
        organisation_id = connection.exec_driver_sql("SELECT min(id) FROM organisations").scalar()
        connection.exec_driver_sql(
            "INSERT INTO invitations (purpose, cohort_id, token_hash, organisation_id, "
            "expires_at, reminders_sent, created_at) VALUES ('signup', "
            f"{cohort_id}, '{hash_token(token)}', {organisation_id}, '2026-11-01 00:00:00', 0, "
            "'2026-09-07 08:00:00')"
        )

    upgrade(engine)

    during = datetime(2026, 9, 20, 10, tzinfo=UTC)
    with Session(engine) as session:
        invitation = find_invitation(token, "signup", session=session, now=during)
        assert invitation is not None and invitation.organisation_id == organisation_id
        issued = issue_link(invitation.id, session=session)
        assert issued is not None
        again = find_invitation(issued[1], "signup", session=session, now=during)
        assert again is invitation
        assert find_invitation(token, "signup", session=session, now=during) is invitation
    engine.dispose()


def test_upgrade_lets_a_stored_cohort_adopt_the_rules_it_runs_on(database_url, tmp_path):
    """Revision 9b4e2f7c1a36: a cohort stored before it has no rule set; the first read of its
    rules takes config/'s files as its version 1, and later edits of config/ leave it alone."""
    from rvg.settings import Settings
    from rvg.unit import unit
    from tests.utils.config_files import copy_config, replace_in

    engine = make_engine(database_url)
    upgrade(engine, "7a3c5e9b2d14")
    with engine.begin() as connection:
        _old_cohort(connection)
    upgrade(engine)
    engine.dispose()

    config = copy_config(tmp_path)
    settings = Settings(database_url=database_url, config_dir=config)
    with unit("2027", settings=settings) as u:
        assert u.cohort.rule_sets == []
        first = u.config.surveys.rounds[0].title
        assert [(r.version, r.reason[:7]) for r in u.cohort.rule_sets] == [(1, "adopted")]
    replace_in(config / "surveys.yaml", first, "Een andere titel")
    with unit("2027", settings=settings) as u:
        assert u.config.surveys.rounds[0].title == first


def test_upgrade_derives_the_phases_from_those_completed_and_downgrade_restores_one(
    database_url,
):
    """Revision 4c8d1e6a9f27: the single current phase goes; a cohort that completed its
    business case and commitments is in tendering (and recruitment lies ahead), and a
    downgrade writes the phase after the last one completed back."""
    from datetime import date
    from zoneinfo import ZoneInfo

    from sqlalchemy import select, text
    from sqlalchemy.orm import Session

    from rvg.cycle import cohort_phases
    from rvg.models import Cohort
    from rvg.phases import Phase

    engine = make_engine(database_url)
    upgrade(engine, "9b4e2f7c1a36")
    with engine.begin() as connection:
        cohort_id = _old_cohort(connection)
        connection.execute(text("UPDATE cohorts SET current_phase = 'tendering'"))
        for phase in ("business_case", "commitments"):
            connection.execute(
                text(
                    "INSERT INTO decisions (cohort_id, phase, kind, outcome, decided_by, "
                    "decided_at, payload) VALUES (:c, :p, 'phase_completed', 'completed', "
                    "'system', '2026-11-13 10:00:00', '{}')"
                ),
                {"c": cohort_id, "p": phase},
            )
    upgrade(engine)
    assert "current_phase" not in {c["name"] for c in inspect(engine).get_columns("cohorts")}
    with Session(engine) as session:
        cohort = session.scalars(select(Cohort)).one()
        states = cohort_phases(
            cohort, date(2026, 12, 1), session=session, zone=ZoneInfo("Europe/Amsterdam")
        )
    assert states.done == (Phase.BUSINESS_CASE, Phase.COMMITMENTS)
    assert states.running == (Phase.TENDERING,)
    assert states.ahead == ((Phase.RECRUITMENT, date(2027, 3, 1)),)
    assert states.line() == (
        "running: tendering; from 2027-03-01: recruitment; done: business-case, commitments"
    )
    downgrade(engine, "9b4e2f7c1a36")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT current_phase FROM cohorts")).scalar() == (
            "tendering"
        )
    engine.dispose()


def test_upgrade_keeps_cohorts_and_starts_without_ticks_that_a_cohort_then_records(
    database_url,
):
    """Revision d2a7f3b81c05: a cohort stored before it has no ticks (its first tick starts
    what is due by then); ticks recorded after it are kept per phase and go with a cohort."""
    from datetime import date

    from sqlalchemy import select, text
    from sqlalchemy.orm import Session

    from rvg.models import Cohort, PhaseTick
    from rvg.phases import Phase
    from rvg.repositories.cohorts import phase_ticks, record_ticks

    engine = make_engine(database_url)
    upgrade(engine, "9b4e2f7c1a36")
    with engine.begin() as connection:
        _old_cohort(connection)
    upgrade(engine, "4c8d1e6a9f27")  # the previous revision, holding the cohort
    upgrade(engine)
    with Session(engine) as session:
        cohort = session.scalars(select(Cohort)).one()
        assert phase_ticks([cohort], session=session) == {"2027": {}}
        record_ticks([(cohort, Phase.TENDERING)], date(2026, 7, 1), session=session)
        session.commit()
        assert phase_ticks([cohort], session=session) == {
            "2027": {Phase.TENDERING: date(2026, 7, 1)}
        }
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM cohorts"))
    with Session(engine) as session:
        assert session.scalars(select(PhaseTick)).all() == []
    downgrade(engine, "4c8d1e6a9f27")
    assert "phase_ticks" not in inspect(engine).get_table_names()
    engine.dispose()


def test_upgrade_keeps_sent_links_and_adds_profiles_and_their_invitations(database_url):
    """Revision 3e8b6c1d7f42: a sign-up link sent before it keeps working; invitations may now
    be to an organisation's information page (with an organisation, or refused), whose
    versions are kept; downgrade removes both again."""
    from datetime import UTC, datetime

    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm import Session

    from rvg.invitations.tokens import hash_token, new_token
    from rvg.repositories.invitations import find_invitation

    token = new_token()
    engine = make_engine(database_url)
    upgrade(engine, "9b4e2f7c1a36")
    with engine.begin() as connection:
        cohort_id = _old_cohort(connection)
    upgrade(engine, "d2a7f3b81c05")  # the previous revision, holding a sent sign-up link
    with engine.begin() as connection:
        organisation_id = connection.exec_driver_sql("SELECT min(id) FROM organisations").scalar()
        connection.exec_driver_sql(
            "INSERT INTO invitations (purpose, cohort_id, organisation_id, expires_at, "
            f"reminders_sent, created_at) VALUES ('signup', {cohort_id}, {organisation_id}, "
            "'2026-11-01 00:00:00', 0, '2026-09-07 08:00:00')"
        )
        invitation_id = connection.exec_driver_sql("SELECT max(id) FROM invitations").scalar()
        connection.exec_driver_sql(
            "INSERT INTO invitation_links (invitation_id, token_hash, created_at) VALUES "
            f"({invitation_id}, '{hash_token(token)}', '2026-09-07 08:00:00')"
        )

    upgrade(engine)

    during = datetime(2026, 9, 20, 10, tzinfo=UTC)
    with Session(engine) as session:
        found = find_invitation(token, "signup", session=session, now=during)
        assert found is not None and found.organisation_id == organisation_id
    insert = (
        "INSERT INTO invitations (purpose, cohort_id, organisation_id, expires_at, "
        "reminders_sent, created_at) VALUES ('profile', {cohort}, {organisation}, "
        "'2027-07-01 00:00:00', 0, '2026-11-12 08:00:00')"
    )
    with engine.begin() as connection:
        connection.exec_driver_sql(insert.format(cohort=cohort_id, organisation=organisation_id))
        connection.exec_driver_sql(
            "INSERT INTO organisation_profiles (cohort_id, organisation_id, created_at, "
            f"updated_at) VALUES ({cohort_id}, {organisation_id}, '2026-11-20 10:00:00', "
            "'2026-11-20 10:00:00')"
        )
    for wrong in (
        insert.format(cohort=cohort_id, organisation="NULL"),
        insert.replace("'profile'", "'bogus'").format(
            cohort=cohort_id, organisation=organisation_id
        ),
    ):
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.exec_driver_sql(wrong)

    downgrade(engine, "d2a7f3b81c05")
    with engine.connect() as connection:
        purposes = connection.execute(text("SELECT purpose FROM invitations")).scalars().all()
    assert purposes == ["signup"]
    assert "organisation_profiles" not in inspect(engine).get_table_names()
    engine.dispose()


def test_upgrade_keeps_registered_candidates_and_enrols_organisations_beside_them(database_url):
    """Revisions 8d2f4a6c9e51 and a1c3e5f7b9d2: a candidate registered before the audience
    existed stays a candidate; the same address may be enrolled for the organisations'
    sessions, never twice for one audience; downgrade keeps the candidates only."""
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    engine = make_engine(database_url)
    upgrade(engine, "9b4e2f7c1a36")
    with engine.begin() as connection:
        cohort_id = _old_cohort(connection)
    upgrade(engine, "8d2f4a6c9e51")  # the previous revision, holding a registration
    insert = (
        "INSERT INTO qa_interests (cohort_id, {columns}email, asked_at, confirmations_sent, "
        "created_at) VALUES ({cohort}, {values}'k@voorbeeld.example', '2027-03-10 11:00:00', "
        "1, '2027-03-10 11:00:00')"
    )
    with engine.begin() as connection:
        connection.exec_driver_sql(insert.format(columns="", values="", cohort=cohort_id))

    upgrade(engine)

    with engine.begin() as connection:
        rows = connection.execute(text("SELECT audience, email FROM qa_interests")).all()
        assert [tuple(r) for r in rows] == [("candidates", "k@voorbeeld.example")]
        connection.exec_driver_sql(
            insert.format(columns="audience, ", values="'organisations', ", cohort=cohort_id)
        )
    for audience in ("candidates", "bestuur"):
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.exec_driver_sql(
                insert.format(columns="audience, ", values=f"'{audience}', ", cohort=cohort_id)
            )
    downgrade(engine, "8d2f4a6c9e51")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM qa_interests")).scalar() == 1
    engine.dispose()

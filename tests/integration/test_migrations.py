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

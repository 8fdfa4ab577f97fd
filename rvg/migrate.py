"""Schema migrations (Alembic) run from code, so ``rvg db upgrade`` and the tests share one path."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from rvg.db import cached_engine, make_sessionmaker
from rvg.errors import UserError
from rvg.settings import Settings, load_settings

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def _config() -> Config:
    if not (MIGRATIONS / "env.py").exists():
        raise UserError(f"migrations not found at {MIGRATIONS}; install the project with pip -e")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@contextmanager
def _migrating(engine: Engine) -> Iterator[Config]:
    """An Alembic config bound to one connection in one transaction.

    On SQLite a revision that changes a constraint copies the table (batch mode) and drops
    the old one; with foreign keys enforced, that drop would cascade to the rows referring to
    it (a tender's milestones). So foreign keys are off while migrating, as SQLite prescribes
    for a table rebuild, and checked before the transaction commits.
    """
    config = _config()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()  # a no-op inside a transaction: set it before one begins
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                yield config
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")
        finally:
            if sqlite:
                connection.rollback()  # nothing is left open after a failed migration
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database behind ``engine`` to ``revision`` (default: the newest)."""
    with _migrating(engine) as config:
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database back to ``revision`` (``base``: no tables at all)."""
    with _migrating(engine) as config:
        command.downgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@lru_cache(maxsize=1)
def head_revision() -> str | None:
    """The newest revision; read from the migration scripts once per process."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def safe_url(url: str) -> str:
    """The URL without its password, fit for printing."""
    return make_url(url).render_as_string(hide_password=True)


_AT_HEAD: set[str] = set()  # databases this process found at the newest schema


def migrated_sessionmaker(settings: Settings | None = None) -> sessionmaker[Session]:
    """Sessions on the configured database, which must be at the newest schema; checked once
    per database and process (a schema does not go back while the code runs)."""
    settings = settings or load_settings()
    engine = cached_engine(settings.database_url)
    if settings.database_url not in _AT_HEAD:
        current, head = current_revision(engine), head_revision()
        if current != head:
            state = "empty" if current is None else f"at revision {current}, newest is {head}"
            raise UserError(
                f"the database {safe_url(settings.database_url)} is {state}; run `rvg db upgrade`"
            )
        _AT_HEAD.add(settings.database_url)
    return make_sessionmaker(engine)

"""Schema migrations (Alembic) run from code, so ``rvg db upgrade`` and the tests share one path."""

from __future__ import annotations

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


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database behind ``engine`` to ``revision`` (default: the newest)."""
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database back to ``revision`` (``base``: no tables at all)."""
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
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


def migrated_sessionmaker(settings: Settings | None = None) -> sessionmaker[Session]:
    """Sessions on the configured database, which must be at the newest schema."""
    settings = settings or load_settings()
    engine = cached_engine(settings.database_url)
    current, head = current_revision(engine), head_revision()
    if current != head:
        state = "empty" if current is None else f"at revision {current}, newest is {head}"
        raise UserError(
            f"the database {safe_url(settings.database_url)} is {state}; run `rvg db upgrade`"
        )
    return make_sessionmaker(engine)

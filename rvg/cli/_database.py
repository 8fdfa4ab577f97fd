"""Opening the database from the settings, for commands."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from rvg.db import make_engine, make_sessionmaker
from rvg.errors import UserError
from rvg.migrate import current_revision, head_revision
from rvg.settings import Settings, load_settings


def safe_url(url: str) -> str:
    """The URL without its password, fit for printing."""
    return make_url(url).render_as_string(hide_password=True)


def engine_from_settings(settings: Settings | None = None) -> Engine:
    return make_engine((settings or load_settings()).database_url)


def migrated_sessionmaker(settings: Settings | None = None) -> sessionmaker[Session]:
    """A session factory for a database that is at the newest schema, else a clear error."""
    settings = settings or load_settings()
    engine = engine_from_settings(settings)
    current, head = current_revision(engine), head_revision()
    if current != head:
        state = "empty" if current is None else f"at revision {current}, newest is {head}"
        raise UserError(
            f"the database {safe_url(settings.database_url)} is {state}; run `rvg db upgrade`"
        )
    return make_sessionmaker(engine)

"""Database plumbing: the declarative base, portable column types, engines and sessions.

The same schema runs on SQLite (the embedded default) and PostgreSQL. Timestamps are stored
in UTC and always come back timezone-aware, whichever backend is underneath.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONType = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as UTC; refuses naive datetimes so no local time slips in."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use rvg.clock for aware datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSONType,
    }


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA secure_delete=ON")  # erased personal data is overwritten, not freed
    cursor.close()


def checkpoint(engine: Engine) -> bool | None:
    """SQLite: copy the write-ahead log into the database and empty it, so erased values are
    gone from the log too. True when it was emptied, False when a reader kept it busy; None on
    other databases (PostgreSQL erases logically; VACUUM reclaims the pages)."""
    if engine.dialect.name != "sqlite":
        return None
    with engine.connect() as connection:
        busy, _, _ = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    return not busy


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; for SQLite the file is owner-only (its folder is created) and
    foreign keys are enforced. Every engine is disposed when the process exits."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            owner_only(Path(parsed.database))
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True, **kwargs)
    _ENGINES.add(engine)
    return engine


# SQLite's own files beside the database: the write-ahead log and its index. SQLite gives them
# the database file's permissions when it creates them.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def owner_only(database: Path) -> None:
    """Create the SQLite database file (and a missing folder) readable by its owner only, and
    take group and other access from an existing one and its companions: they hold personal
    data and, in the write-ahead log, recent changes."""
    database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Only a file that does not exist yet is opened here: closing a descriptor of a database
    # this process has open would drop SQLite's POSIX locks on it (they belong to the process,
    # not the descriptor), and another connection could then write under a reader.
    try:
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError:
        return  # not ours to create here: SQLite reports the real problem when it opens it
    for path in (database, *(Path(f"{database}{suffix}") for suffix in SQLITE_COMPANIONS)):
        with contextlib.suppress(OSError):  # gone, or owned by someone else
            if path.stat().st_mode & 0o077:
                path.chmod(0o600)


_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


@atexit.register
def _dispose_engines() -> None:
    """Close the pooled connections of every engine at exit: the last SQLite connection to
    close checkpoints the write-ahead log into the database and removes the -wal file."""
    for engine in list(_ENGINES):
        with contextlib.suppress(Exception):
            engine.dispose()


@lru_cache(maxsize=8)
def cached_engine(url: str) -> Engine:
    """One long-lived engine (and connection pool) per URL and process."""
    return make_engine(url)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A unit of work: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# PostgreSQL error classes worth a second try: the connection was lost or refused (08),
# a serialisation failure or deadlock (40001, 40P01), the server shutting down or not yet
# accepting connections (57P01-57P03).
_TRANSIENT_SQLSTATES = ("08", "40001", "40P01", "57P01", "57P02", "57P03")


def is_transient(error: BaseException) -> bool:
    """Whether ``error`` is the database's passing trouble (a dropped connection, a deadlock,
    a locked SQLite file) rather than a fault a retry would only repeat."""
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    sqlstate = getattr(error.orig, "sqlstate", None)
    if isinstance(sqlstate, str):
        return sqlstate.startswith(_TRANSIENT_SQLSTATES)
    return "database is locked" in str(error.orig)


def is_conflict(error: BaseException) -> bool:
    """Whether ``error`` is a unique key that a concurrent transaction took first: run again,
    the work finds the row the other one stored."""
    if not isinstance(error, IntegrityError):
        return False
    sqlstate = getattr(error.orig, "sqlstate", None)
    if isinstance(sqlstate, str):
        return sqlstate == "23505"
    return "UNIQUE constraint failed" in str(error.orig)


def begin_writing(session: Session) -> None:
    """Take the database's write lock at the start of the session's transaction, on SQLite.

    SQLite's default transaction takes it at the first write; when another transaction has
    committed since this one began reading, that write fails at once ("database is locked")
    instead of waiting. Taking it first makes concurrent writers wait their turn (up to the
    busy timeout). PostgreSQL locks rows, not the database: nothing to do there.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")

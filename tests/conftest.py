"""Shared fixtures: databases on both backends (SQLite file and PostgreSQL).

PostgreSQL is reached at RVG_TEST_POSTGRES_URL (default: the local test server). Each test
session works in a schema of its own, dropped at the end. When CI is set, an unreachable
PostgreSQL fails the run instead of skipping its tests.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from rvg.db import make_sessionmaker
from tests.utils.databases import (
    PostgresServer,
    clear_tables,
    migrated_engine,
    sqlite_url,
)

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Files the project keeps (rejected import rows, the erasure key) go to a folder of this run.
os.environ.setdefault("RVG_DATA_DIR", tempfile.mkdtemp(prefix="rvg-test-data-"))

# PostgreSQL cases carry the postgres mark, so `make test-fast` can leave them to `make test`.
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer.from_environment()
    reason = server.unreachable_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI: {reason}")
        pytest.skip(f"PostgreSQL not reachable: {reason}")
    yield server
    server.drop_created_schemas()


@pytest.fixture(scope="session")
def _engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Engine]]:
    engines: dict[str, Engine] = {}
    yield engines
    for engine in engines.values():
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path_factory) -> str:
    """A URL of an empty, not yet migrated database on ``backend``."""
    if backend == "sqlite":
        return sqlite_url(tmp_path_factory.mktemp("db") / "rvg.sqlite")
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.new_schema_url()


@pytest.fixture
def engine(backend: str, request: pytest.FixtureRequest, _engines, tmp_path_factory) -> Engine:
    """A migrated database on ``backend`` with every table empty; shared within the session."""
    if backend not in _engines:
        url = (
            sqlite_url(tmp_path_factory.mktemp("shared") / "rvg.sqlite")
            if backend == "sqlite"
            else request.getfixturevalue("postgres").new_schema_url()
        )
        _engines[backend] = migrated_engine(url)
    clear_tables(_engines[backend])
    return _engines[backend]


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with make_sessionmaker(engine)() as session:
        yield session


@pytest.fixture(scope="session")
def prefect_api_url() -> Iterator[str]:
    """One real Prefect server for the whole test session (slow to start: 13-20 s here)."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield str(PREFECT_API_URL.value())

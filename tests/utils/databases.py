"""Test databases: SQLite files and per-session PostgreSQL schemas."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

import rvg.models  # noqa: F401
from rvg.db import Base, make_engine
from rvg.migrate import upgrade

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def migrated_engine(url: str) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    return engine


def clear_tables(engine: Engine) -> None:
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))


@dataclass
class PostgresServer:
    url: str
    schemas: list[str] = field(default_factory=list)

    @classmethod
    def from_environment(cls) -> PostgresServer:
        return cls(os.environ.get("RVG_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))

    def _connect(self) -> psycopg.Connection:
        url = make_url(self.url)
        return psycopg.connect(
            host=url.host,
            port=url.port or 5432,
            user=url.username,
            password=url.password,
            dbname=url.database,
            autocommit=True,
            connect_timeout=5,
        )

    def unreachable_reason(self) -> str | None:
        try:
            with self._connect():
                return None
        except psycopg.Error as exc:
            return str(exc).strip()

    def new_schema_url(self) -> str:
        """A URL whose connections work in a fresh, empty schema of their own."""
        schema = f"rvg_test_{os.getpid()}_{secrets.token_hex(4)}"
        with self._connect() as connection:
            connection.execute(f'CREATE SCHEMA "{schema}"')  # type: ignore[arg-type]
        self.schemas.append(schema)
        url = make_url(self.url).update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    def drop_created_schemas(self) -> None:
        with self._connect() as connection:
            for schema in self.schemas:
                connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')  # type: ignore[arg-type]

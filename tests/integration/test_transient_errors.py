"""Which failures the tasks retry: the database's and the API's passing trouble, made real
here (a PostgreSQL connection killed, a SQLite file locked), and never a user's mistake."""

import sqlite3

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from rvg.db import is_transient, make_engine
from rvg.errors import NotFound


def _error_of(call) -> BaseException:
    with pytest.raises(Exception) as caught:
        call()
    return caught.value


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_postgresql_connection_killed_under_a_session_is_transient(engine):
    with engine.connect() as victim:
        pid = victim.scalar(select(func.pg_backend_pid()))
        with engine.connect() as admin:
            assert admin.scalar(select(func.pg_terminate_backend(pid))) is True
        error = _error_of(lambda: victim.execute(text("select 1")))
    assert isinstance(error, DBAPIError)
    assert is_transient(error)


def test_a_locked_sqlite_file_is_transient(tmp_path):
    path = tmp_path / "locked.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("create table t (x integer)"))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("begin immediate")  # another process holds the write lock
    try:
        with engine.connect() as writer:
            writer.exec_driver_sql("PRAGMA busy_timeout=50")  # not the 30 s it waits in use
            error = _error_of(lambda: writer.execute(text("insert into t values (1)")))
        assert is_transient(error)
    finally:
        holder.execute("rollback")
        holder.close()
        engine.dispose()


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_a_fault_a_retry_would_repeat_is_not_transient(engine):
    with engine.connect() as connection:
        missing_table = _error_of(lambda: connection.execute(text("select * from nowhere")))
    assert isinstance(missing_table, DBAPIError)
    assert not is_transient(missing_table)
    assert not is_transient(NotFound("Cohort 2099 bestaat niet."))
    assert not is_transient(ValueError("a bug"))


def test_the_retry_conditions_read_the_failed_state():
    from prefect.exceptions import PrefectHTTPStatusError
    from prefect.states import Failed

    from tasks.retrying import api_trouble, database_trouble

    def status_error(code: int) -> PrefectHTTPStatusError:
        request = httpx.Request("POST", "http://127.0.0.1:4200/api/deployments/x/create_flow_run")
        response = httpx.Response(code, request=request)
        return PrefectHTTPStatusError.from_httpx_error(
            httpx.HTTPStatusError("failed", request=request, response=response)
        )

    def failed(error: BaseException):
        return Failed(data=error)

    assert api_trouble(None, None, failed(httpx.ConnectError("refused")))
    assert api_trouble(None, None, failed(status_error(503)))
    assert not api_trouble(None, None, failed(status_error(404)))
    assert not api_trouble(None, None, failed(ValueError("a bug")))
    assert not database_trouble(None, None, failed(NotFound("Cohort 2099 bestaat niet.")))
    assert not database_trouble(None, None, Failed(message="no exception attached"))


@pytest.mark.prefect
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_task_retries_a_dropped_connection_and_fails_a_user_error_at_once(
    engine, prefect_api_url
):
    """On a real Prefect server: the first try loses its connection and the second succeeds;
    an unknown cohort fails on its first try."""
    from prefect import flow, task

    from tasks.retrying import ON_DATABASE_TROUBLE

    tries: list[str] = []

    @task(**{**ON_DATABASE_TROUBLE, "retry_delay_seconds": 0})
    def count_rows(kind: str) -> int:
        tries.append(kind)
        if kind == "user error":
            raise NotFound("Cohort 2099 bestaat niet.")
        with engine.connect() as connection:
            if len(tries) == 1:  # the server drops this connection on the first try
                pid = connection.scalar(select(func.pg_backend_pid()))
                with engine.connect() as admin:
                    admin.execute(select(func.pg_terminate_backend(pid)))
            return int(connection.scalar(text("select count(*) from cohorts")))

    @flow
    def run(kind: str) -> int:
        return count_rows(kind)

    assert run("dropped connection") == 0
    assert tries == ["dropped connection", "dropped connection"]
    tries.clear()
    with pytest.raises(NotFound):
        run("user error")
    assert tries == ["user error"]

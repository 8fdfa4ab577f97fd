"""The ``rvg`` command as a user meets it: real processes, real databases."""

import pytest
import typer.main
from sqlalchemy import func, select
from typer.testing import CliRunner

from rvg.cli.app import app
from rvg.db import make_engine
from rvg.migrate import head_revision
from rvg.models import Cohort, Organisation
from tests.utils.cli import plain, run_rvg
from tests.utils.config_files import REAL_CONFIG, copy_config, replace_in

COHORT_FILE = str(REAL_CONFIG / "cohorts" / "2027.yaml")


def _counts(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    with engine.connect() as connection:
        counts = (
            connection.scalar(select(func.count()).select_from(Organisation)),
            connection.scalar(select(func.count()).select_from(Cohort)),
        )
    engine.dispose()
    return counts


def test_db_upgrade_then_create_cohort_twice(database_url):
    upgraded = run_rvg("db", "upgrade", database_url=database_url)
    assert upgraded.returncode == 0, upgraded.stderr
    assert upgraded.stdout.strip().splitlines()[-1].endswith(f"from=empty to={head_revision()}")

    create = ("cohort", "create", "2027", "--config", COHORT_FILE, "--as-of", "2026-06-01")
    first = run_rvg(*create, database_url=database_url)
    second = run_rvg(*create, database_url=database_url)
    assert first.returncode == 0, first.stderr
    last = "key_dates=7 warnings=0"
    assert first.stdout.strip().splitlines()[-1] == f"cohort=2027 outcome=imported {last}"
    assert second.stdout.strip().splitlines()[-1] == f"cohort=2027 outcome=unchanged {last}"
    assert _counts(database_url) == (63, 1)


def test_bad_config_names_file_and_field_and_writes_nothing(database_url, tmp_path):
    assert run_rvg("db", "upgrade", database_url=database_url).returncode == 0
    config = copy_config(tmp_path)
    path = config / "cohorts" / "2027.yaml"
    replace_in(path, "organisations: all", "organisations: [Tilburg, Gemeente Atlantis]")
    replace_in(path, "  min: 20", "  min: twintig")
    result = run_rvg(
        "cohort",
        "create",
        "2027",
        "--config",
        str(path),
        "--config-dir",
        str(config),
        database_url=database_url,
    )
    assert result.returncode == 2
    assert str(path) in result.stderr
    assert "field 'organisations': unknown organisation(s): 'Gemeente Atlantis'" in result.stderr
    assert "field 'target_participants.min'" in result.stderr
    assert "Traceback" not in result.stderr
    assert _counts(database_url) == (0, 0)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_commands_refuse_an_unmigrated_database(database_url):
    result = run_rvg("cohort", "list", database_url=database_url)
    assert result.returncode == 2
    assert "is empty; run `rvg db upgrade`" in result.stderr


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_unknown_cohort_is_a_clear_error(database_url):
    run_rvg("db", "upgrade", database_url=database_url)
    result = run_rvg("cohort", "show", "1999", database_url=database_url)
    assert result.returncode == 2
    assert "unknown cohort '1999'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_cycle_refuses_to_mail_a_real_server(database_url):
    result = run_rvg(
        "run",
        "cycle",
        "--cohort",
        "2027",
        database_url=database_url,
        RVG_SMTP_HOST="smtp.provincie.example",
    )
    assert result.returncode == 2
    assert "not starting the cycle" in result.stderr
    assert "'smtp.provincie.example', not a local sink" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_cohorts_to_walk_are_checked_before_the_cycle_starts(database_url):
    run_rvg("db", "upgrade", database_url=database_url)
    cases = [
        (["--cohorts", "2027,,2028"], "'2027,,2028': cohort codes separated by commas, each once"),
        (["--cohorts", "2027,2027"], "each once"),
        (["--cohorts", "2027,1999"], "unknown cohort '2027'"),
        (["--cohort", "2027", "--cohorts", "2027"], "give --cohort or --cohorts, not both"),
        ([], "no live cohort whose cycle is not over"),
    ]
    for options, message in cases:
        result = run_rvg("run", "cycle", *options, database_url=database_url)
        assert result.returncode == 2, options
        assert message in plain(result.stderr), (options, result.stderr)
        assert "Traceback" not in result.stderr
    other = run_rvg("run", "matching", "--cohorts", "2027", database_url=database_url)
    assert other.returncode == 2 and "only the cycle walks several cohorts" in plain(other.stderr)
    following = run_rvg("run", "matching", "--follow", "1", database_url=database_url)
    assert following.returncode == 2 and "only the cycle follows cohorts" in plain(following.stderr)
    negative = run_rvg("run", "cycle", "--follow", "-1", database_url=database_url)
    assert negative.returncode == 2 and "--follow" in plain(negative.stderr)
    assert "Traceback" not in negative.stderr


def test_bad_settings_are_reported_without_traceback(tmp_path):
    result = run_rvg(
        "db", "upgrade", database_url=f"sqlite:///{tmp_path}/x.sqlite", RVG_SMTP_TLS="ssl"
    )
    assert result.returncode == 2
    assert "RVG_SMTP_TLS" in result.stderr
    assert "Traceback" not in result.stderr


def _all_command_paths(command, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [prefix]
    for name, sub in getattr(command, "commands", {}).items():
        paths.extend(_all_command_paths(sub, (*prefix, name)))
    return paths


def test_every_command_has_help():
    runner = CliRunner()
    paths = _all_command_paths(typer.main.get_command(app))
    assert ("db", "upgrade") in paths and ("cohort", "create") in paths
    for path in paths:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage" in result.output


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("garbage", "'garbage' is not a database URL"),
        ("mysql://rvg@localhost/rvg", "the database 'mysql' is not supported"),
        ("postgresql+asyncpg://rvg@localhost/rvg", "the driver 'asyncpg' is not installed"),
        ("sqlite://", "give the SQLite file"),
    ],
)
def test_an_unsupported_database_url_names_the_variable_and_the_accepted_forms(url, expected):
    result = run_rvg("db", "upgrade", database_url=url)
    assert result.returncode == 2
    assert f"RVG_DATABASE_URL: {expected}; use sqlite:///PATH/rvg.sqlite or " in result.stderr
    assert "postgresql+psycopg://USER@HOST:5432/DATABASE" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_rvg_run_with_an_unknown_cohort_is_one_line_before_prefect_starts(database_url):
    assert run_rvg("db", "upgrade", database_url=database_url).returncode == 0
    result = run_rvg("run", "commitments", "--cohort", "9999", database_url=database_url)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: unknown cohort '9999'; create it with `rvg cohort create 9999 --config FILE`"
    ]


@pytest.mark.prefect
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_user_error_inside_a_flow_prints_no_prefect_traceback(database_url, prefect_api_url):
    assert run_rvg("db", "upgrade", database_url=database_url).returncode == 0
    result = run_rvg(
        "run",
        "retention",
        database_url=database_url,
        RVG_ERASURE_KEY="te-kort",  # refused inside the retention task
        PREFECT_API_URL=prefect_api_url,
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "error: RVG_ERASURE_KEY: use at least 32 characters (e.g. 64 hex digits)"
    )


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_rvg_run_refuses_a_past_as_of_against_a_real_mail_server(database_url):
    assert run_rvg("db", "upgrade", database_url=database_url).returncode == 0
    config = str(REAL_CONFIG / "cohorts" / "2027.yaml")
    created = run_rvg(
        "cohort",
        "create",
        "2027",
        "--config",
        config,
        "--as-of",
        "2026-06-01",
        database_url=database_url,
    )
    assert created.returncode == 0, created.stderr
    args = ("run", "commitments", "--cohort", "2027", "--as-of", "2026-09-07")
    refused = run_rvg(*args, database_url=database_url, RVG_SMTP_HOST="smtp.provincie.example")
    assert refused.returncode == 2
    [line] = refused.stderr.strip().splitlines()
    assert line.startswith("error: not running: commitments as of 2026-09-07 lies in the past")
    assert "rehearse against the local sink" in line

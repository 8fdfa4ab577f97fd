"""Each cohort keeps its own rules: the rule files it was created with, so editing config/
for the next cohort changes nothing for one already running."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from rvg.db import make_engine
from rvg.migrate import upgrade
from rvg.models import Cohort, CohortRuleSet
from rvg.programme import create_cohort
from rvg.rule_sets import RULE_FILES, digest_of, read_rule_files
from rvg.settings import Settings
from rvg.unit import unit
from tests.utils.cli import run_rvg
from tests.utils.config_files import BEFORE_2027, copy_config, replace_in

QUESTION = "Mijn buddy heeft voldoende tijd voor mij."
EDITED = "Mijn buddy maakt voldoende tijd voor mij vrij."


def _cohort_2028(config):
    """Cohort 2028: the 2027 file a year on, in the same config folder."""
    path = config / "cohorts" / "2028.yaml"
    text = (config / "cohorts" / "2027.yaml").read_text(encoding="utf-8")
    for year in ("2028", "2027", "2026"):
        text = text.replace(f"{year}-", f"{int(year) + 1}-")
    path.write_text(
        text.replace('code: "2027"', 'code: "2028"').replace("lichting 2027", "lichting 2028"),
        encoding="utf-8",
    )
    return path


def _upgraded(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    engine.dispose()


def _cohort_2027(database_url, tmp_path):
    """A copy of config/ and cohort 2027 created from it; the copy and the settings (with a
    data folder of its own, so the rule folders written there are this test's alone)."""
    config = copy_config(tmp_path)
    settings = Settings(database_url=database_url, config_dir=config, data_dir=tmp_path / "data")
    _upgraded(database_url)
    with unit(settings=settings) as u:
        create_cohort(
            "2027", config / "cohorts" / "2027.yaml", config, session=u.session, as_of=BEFORE_2027
        )
    return config, settings


def _questions(settings, code):
    with unit(code, settings=settings) as u:
        return [q.text for q in u.config.surveys.questions]


def test_a_cohort_keeps_the_rules_it_was_created_with(database_url, tmp_path):
    config, settings = _cohort_2027(database_url, tmp_path)
    # The team edits config/ for the next cohort: a survey question and the first block.
    replace_in(config / "surveys.yaml", QUESTION, EDITED)
    replace_in(config / "training.yaml", "first_block:", "first_block: # 2028\n")
    with unit(settings=settings) as u:
        loaded = create_cohort(
            "2028", _cohort_2028(config), config, session=u.session, as_of=BEFORE_2027
        )
        assert not any("own rules" in warning for warning in loaded.warnings)
        again = create_cohort(
            "2027", config / "cohorts" / "2027.yaml", config, session=u.session, as_of=BEFORE_2027
        )
        assert again.outcome == "unchanged"
        assert again.warnings[-1] == (
            "cohort 2027 keeps its own rules (version 1); config/ now differs in surveys.yaml, "
            "training.yaml: see `rvg cohort rules 2027 --diff config`"
        )

    assert QUESTION in _questions(settings, "2027") and EDITED not in _questions(settings, "2027")
    assert EDITED in _questions(settings, "2028") and QUESTION not in _questions(settings, "2028")
    with unit(settings=settings) as u:
        sets = {
            code: [(r.version, r.reason) for r in u.session.get_one(Cohort, cohort_id).rule_sets]
            for code, cohort_id in u.session.execute(select(Cohort.code, Cohort.id))
        }
        assert sets == {"2027": [(1, "created")], "2028": [(1, "created")]}
        stored = u.session.scalars(select(CohortRuleSet)).all()
        assert all(set(r.files) == set(RULE_FILES) for r in stored)
        assert len({r.digest for r in stored}) == 2
    # Its files are read from a folder named after their digest, written once.
    folders = sorted(p.name for p in (settings.data_dir / "rules").iterdir())
    assert set(folders) == {r.digest for r in stored}


def test_a_cohort_stored_before_rule_sets_adopts_the_files_it_runs_on(database_url, tmp_path):
    """A cohort of the previous release (no rule set) takes config/'s files when its rules
    are first read, and keeps them from then on."""
    config, settings = _cohort_2027(database_url, tmp_path)
    with unit("2027", settings=settings) as u:
        for rule_set in u.cohort.rule_sets:
            u.session.delete(rule_set)
    assert QUESTION in _questions(settings, "2027")  # adopts config/ as it is now
    replace_in(config / "surveys.yaml", QUESTION, EDITED)
    assert QUESTION in _questions(settings, "2027")  # and keeps it
    with unit("2027", settings=settings) as u:
        (adopted,) = u.cohort.rule_sets
        assert adopted.reason.startswith("adopted") and adopted.version == 1
        assert adopted.digest != digest_of(read_rule_files(config))


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_cli_shows_the_version_and_how_two_cohorts_differ(database_url, tmp_path):
    config, settings = _cohort_2027(database_url, tmp_path)
    replace_in(config / "surveys.yaml", QUESTION, EDITED)
    with unit(settings=settings) as u:
        create_cohort("2028", _cohort_2028(config), config, session=u.session, as_of=BEFORE_2027)
    env = {"RVG_CONFIG_DIR": str(config)}

    shown = run_rvg("cohort", "show", "2027", database_url=database_url, **env)
    assert shown.returncode == 0, shown.stderr
    assert re.search(
        r"^rules: version 1 of \d{4}-\d\d-\d\d \(created\), [0-9a-f]{12}", shown.stdout, re.M
    )
    listed = run_rvg("cohort", "rules", "2027", database_url=database_url, **env)
    assert listed.returncode == 0 and "version 1" in listed.stdout and "created" in listed.stdout
    diff = run_rvg("cohort", "rules", "2027", "--diff", "2028", database_url=database_url, **env)
    assert diff.returncode == 0, diff.stderr
    assert diff.stdout.startswith("--- 2027/surveys.yaml\n+++ 2028/surveys.yaml\n")
    removed = [
        line for line in diff.stdout.splitlines() if line.startswith("-") and QUESTION in line
    ]
    added = [line for line in diff.stdout.splitlines() if line.startswith("+") and EDITED in line]
    assert len(removed) == len(added) == 1
    assert "training.yaml" not in diff.stdout
    same = run_rvg("cohort", "rules", "2028", "--diff", "config", database_url=database_url, **env)
    assert same.stdout.strip() == "cohort 2028's rules and config's are the same"
    unknown = run_rvg("cohort", "rules", "2027", "--diff", "2031", database_url=database_url, **env)
    assert unknown.returncode != 0 and "Traceback" not in unknown.stderr


def test_changing_a_running_cohorts_rules_says_what_moves_and_needs_consent(database_url, tmp_path):
    from rvg.cohort_rules import update_rules
    from rvg.errors import UserError
    from rvg.training.service import plan_and_store, stored_sessions

    config, settings = _cohort_2027(database_url, tmp_path)
    with unit("2027", settings=settings) as u:
        assert not update_rules(u, BEFORE_2027, apply_to_running=False).applied  # the same
    # Before the training year a change is simply the next version.
    replace_in(config / "surveys.yaml", QUESTION, EDITED)
    with unit("2027", settings=settings) as u:
        before = update_rules(u, date(2027, 8, 1), apply_to_running=False)
    assert (before.applied, before.version, before.files, before.running) == (
        True,
        2,
        ["surveys.yaml"],
        False,
    )
    assert EDITED in _questions(settings, "2027")
    # In the year's second week: the first block starts half an hour later from now on; the
    # first week has been held and stays as it was.
    with unit("2027", settings=settings) as u:
        plan_and_store(u.cohort, u.config.training, session=u.session, zone=u.settings.zone)
    replace_in(config / "training.yaml", 'start: "09:00"', 'start: "09:30"')
    during = date(2027, 9, 13)
    with pytest.raises(UserError) as refused, unit("2027", settings=settings) as u:
        update_rules(u, during, apply_to_running=False)
    message = str(refused.value)
    assert "training year started on 2027-09-06" in message and "--apply-to-running" in message
    assert "2027-09-13 09:00 -> 2027-09-13 09:30" in message
    assert "2027-09-06 09:00 ->" not in message  # held
    with unit("2027", settings=settings) as u:
        assert u.rule_set().version == 2  # nothing changed
        applied = update_rules(u, during, apply_to_running=True)
    assert (applied.applied, applied.version, applied.running) == (True, 3, True)
    assert applied.held >= 3 and f"{applied.held} sessions already held stay" in (
        "\n".join(applied.lines())
    )
    assert len(applied.moved) >= 6 and not applied.added and not applied.dropped  # the block
    with unit("2027", settings=settings) as u:
        (latest,) = [r for r in u.cohort.rule_sets if r.version == 3]
        assert latest.reason == "updated from config/ during the training year"
        assert u.config.training.first_block.start.isoformat() == "09:30:00"
        # the training flow stores what the preview said: the held week as it was
        stored = plan_and_store(
            u.cohort, u.config.training, session=u.session, zone=u.settings.zone, as_of=during
        )
        assert (stored.moved, stored.held, stored.created) == (len(applied.moved), applied.held, 0)
        starts = sorted(
            s.starts_at.astimezone(u.settings.zone)
            for s, _ in stored_sessions(u.cohort, session=u.session)
            if s.session_type == "training"
        )
    first_week = [t.strftime("%H:%M") for t in starts if t.date() < during]
    later_block = [t.strftime("%H:%M") for t in starts if during <= t.date() < date(2027, 9, 27)]
    assert first_week and set(first_week) == {"09:00"}
    assert later_block and set(later_block) == {"09:30"}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_cli_refuses_a_running_change_without_consent_in_plain_words(database_url, tmp_path):
    config, _ = _cohort_2027(database_url, tmp_path)
    replace_in(config / "reminders.yaml", 'send_time: "09:00"', 'send_time: "08:30"')
    env = {"RVG_CONFIG_DIR": str(config)}
    args = ("cohort", "rules", "2027", "--update", "--as-of", "2027-10-01")
    refused = run_rvg(*args, database_url=database_url, **env)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "reminders.yaml" in refused.stderr and "--apply-to-running" in refused.stderr
    done = run_rvg(*args, "--apply-to-running", database_url=database_url, **env)
    assert done.returncode == 0, done.stderr
    assert "cohort=2027 rules_version=2 files=reminders.yaml running=yes" in done.stdout


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_no_cohort_takes_a_broken_rule_file(database_url, tmp_path):
    from rvg.errors import ConfigError

    config = copy_config(tmp_path)
    settings = Settings(database_url=database_url, config_dir=config)
    _upgraded(database_url)
    replace_in(config / "surveys.yaml", "open_days: 14", "open_days: veertien")
    with pytest.raises(ConfigError) as refused, unit(settings=settings) as u:
        create_cohort(
            "2027", config / "cohorts" / "2027.yaml", config, session=u.session, as_of=BEFORE_2027
        )
    assert "surveys.yaml" in str(refused.value) and "open_days" in str(refused.value)
    with unit(settings=settings) as u:
        assert u.session.scalars(select(Cohort)).all() == []

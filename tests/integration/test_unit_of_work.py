"""The unit of work every task and command runs in: the cohort, one transaction, and the
configuration read once until its file changes."""

import os

import pytest
from sqlalchemy import select

from rvg.errors import NotFound
from rvg.models import Cohort
from rvg.settings import Settings
from rvg.unit import unit
from tests.utils.config_files import copy_config
from tests.utils.flows import cohort_in


def _settings(engine, config_dir=None) -> Settings:
    url = engine.url.render_as_string(hide_password=False)
    extra = {"config_dir": config_dir} if config_dir else {}
    return Settings(database_url=url, **extra)


def test_a_unit_gives_the_cohort_and_commits_or_rolls_back(engine):
    cohort_in(engine)
    settings = _settings(engine)
    with unit("2027", settings=settings) as u:
        u.cohort.name = "Lichting 2027, hernoemd"
    with pytest.raises(RuntimeError, match="boom"), unit("2027", settings=settings) as u:
        u.cohort.name = "niet bewaard"
        raise RuntimeError("boom")
    with unit(settings=settings) as u:
        assert u.session.scalar(select(Cohort.name)) == "Lichting 2027, hernoemd"
        with pytest.raises(RuntimeError, match="without a cohort"):
            u.cohort  # noqa: B018
    with pytest.raises(NotFound), unit("2099", settings=settings):
        pass


def test_the_configuration_is_read_once_until_its_file_changes(engine, tmp_path):
    config = copy_config(tmp_path)
    settings = _settings(engine, config)
    with unit(settings=settings) as u:
        first = u.config.training
        assert u.config.training is first  # not read again
    with unit(settings=settings) as u:
        assert u.config.training is first  # nor in the next unit
    path = config / "training.yaml"
    stamp = path.stat().st_mtime_ns + 1_000_000
    os.utime(path, ns=(stamp, stamp))
    with unit(settings=settings) as u:
        again = u.config.training
    assert again is not first and again == first

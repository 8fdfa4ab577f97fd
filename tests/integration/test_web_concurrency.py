"""Many people posting at once, through the real server (uvicorn) on both databases.

Twenty posts of one form and twenty of different forms arrive together; every one is answered
within seconds (a saved answer, never a 500), each invitation keeps one answer with its
versions in order, and the health page answers throughout.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, Select, func, select
from sqlalchemy.exc import OperationalError

from rvg.db import make_sessionmaker
from rvg.models import CommitmentVersion, Organisation, SurveyResponse
from rvg.settings import Settings
from rvg.unit import Unit
from rvg.web.app import create_app
from rvg.web.deps import Transact
from rvg.web.server import BackgroundServer
from tests.utils.surveys import ANSWERS as SURVEY
from tests.utils.surveys import survey_round, survey_token
from tests.utils.web import SIGNUP_ANSWER as SIGNUP
from tests.utils.web import Clock, HealthWatch, invitation_token, post_all

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SIGNUP_DAY = datetime(2026, 9, 20, 11, 0, tzinfo=AMSTERDAM)
SURVEY_DAY = datetime(2027, 12, 10, 11, 0, tzinfo=AMSTERDAM)
PEOPLE = 20
ANSWERED_WITHIN = 15.0  # seconds for the whole burst; a frozen server takes minutes
HEALTH_WITHIN = 2.0  # seconds for any one health check during the burst


def burst(engine: Engine, moment: datetime, paths: list[str], form: dict[str, str]) -> list[int]:
    app = create_app(Settings(), make_sessionmaker(engine), now=Clock(moment))
    with BackgroundServer(app) as server, HealthWatch(server.url) as health:
        answered = post_all(server.url, paths, form)
    assert answered.took < ANSWERED_WITHIN, f"{len(paths)} posts took {answered.took:.1f} s"
    assert health.failures == []
    assert health.slowest < HEALTH_WITHIN, f"the health page waited {health.slowest:.1f} s"
    return answered.statuses


def organisation_codes(engine: Engine, count: int) -> list[str]:
    with make_sessionmaker(engine)() as session:
        codes = session.scalars(select(Organisation.code).order_by(Organisation.code)).all()
    return list(codes[:count])


def _count(engine: Engine, query: Select[Any]) -> list[Any]:
    with make_sessionmaker(engine)() as session:
        return list(session.execute(query).all())


@pytest.mark.timeout(300)
def test_twenty_posts_of_one_signup_form_are_all_saved_as_versions(engine):
    token = invitation_token(engine)
    statuses = burst(engine, SIGNUP_DAY, [f"/aanmelden/{token}"] * PEOPLE, SIGNUP)
    assert statuses == [303] * PEOPLE
    versions = _count(engine, select(CommitmentVersion.version))
    assert sorted(v for (v,) in versions) == list(range(1, PEOPLE + 1))


@pytest.mark.timeout(300)
def test_twenty_posts_of_different_signup_forms_are_all_saved(engine):
    invitation_token(engine)  # the cohort and one secretary
    tokens = [invitation_token(engine, code) for code in organisation_codes(engine, PEOPLE)]
    statuses = burst(engine, SIGNUP_DAY, [f"/aanmelden/{t}" for t in tokens], SIGNUP)
    assert statuses == [303] * PEOPLE
    per_commitment = _count(
        engine,
        select(CommitmentVersion.commitment_id, func.count()).group_by(
            CommitmentVersion.commitment_id
        ),
    )
    assert len(per_commitment) == PEOPLE and {n for _, n in per_commitment} == {1}


@pytest.mark.timeout(300)
def test_twenty_posts_of_one_survey_form_keep_one_answer(engine):
    token = survey_token(engine, survey_round(engine))
    statuses = burst(engine, SURVEY_DAY, [f"/enquete/{token}"] * PEOPLE, SURVEY)
    assert statuses == [303] * PEOPLE
    assert _count(engine, select(SurveyResponse.version)) == [(PEOPLE,)]


@pytest.mark.timeout(300)
def test_twenty_posts_of_different_survey_forms_keep_one_answer_each(engine):
    round_id = survey_round(engine)
    tokens = [survey_token(engine, round_id) for _ in range(PEOPLE)]
    statuses = burst(engine, SURVEY_DAY, [f"/enquete/{t}" for t in tokens], SURVEY)
    assert statuses == [303] * PEOPLE
    rows = _count(engine, select(SurveyResponse.invitation_id, SurveyResponse.version))
    assert len(rows) == PEOPLE and {version for _, version in rows} == {1}


def test_a_unique_key_taken_by_another_save_is_tried_again(engine):
    """The work runs again in a new transaction and finds what the other save stored."""
    transact = Transact(Settings(), make_sessionmaker(engine))
    tries: list[int] = []

    def work(u: Unit) -> int:
        tries.append(1)
        organisation = u.session.scalar(select(Organisation).where(Organisation.code == "X1"))
        if organisation is None:
            if len(tries) == 1:  # another request stores the same key first
                with make_sessionmaker(engine).begin() as other:
                    other.add(
                        Organisation(
                            code="X1", name="Eerst", kind="municipality", region="West-Brabant"
                        )
                    )
            u.session.add(
                Organisation(code="X1", name="Tweede", kind="municipality", region="West-Brabant")
            )
            u.session.flush()
            return 0
        return organisation.id

    # without the write lock first: with it, SQLite would make the other save wait for this one
    assert transact(work) > 0
    assert len(tries) == 2


def test_a_conflict_that_outlasts_every_try_is_the_dutch_busy_page(engine):
    transact = Transact(Settings(), make_sessionmaker(engine))

    def always_locked(u: Unit) -> None:
        raise OperationalError(
            "BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked")
        )

    app = create_app(Settings(), make_sessionmaker(engine))
    app.add_api_route("/druk", lambda: transact(always_locked, writes=True), methods=["POST"])
    response = TestClient(app).post("/druk")
    assert response.status_code == 503
    assert "erg druk" in response.text and "niet opgeslagen" in response.text
    assert response.headers["retry-after"] == "30"
    assert response.headers["referrer-policy"] == "no-referrer"

"""LimeSurvey response exports on both backends, and ``rvg import survey-responses``."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rvg.evaluation.definitions import load_surveys
from rvg.imports.survey_responses import import_survey_responses
from rvg.models import Invitation, SurveyResponse
from tests.utils.cli import run_rvg
from tests.utils.config_files import REAL_CONFIG
from tests.utils.surveys import survey_round, survey_token

AT = datetime(2027, 12, 21, 9, 0, tzinfo=UTC)
HEADER = (
    "id;submitdate;lastpage;token;"
    "guid_buddy;guid_manager;info_clear;train_useful;work_place;nps;remark;Q99"
)
PARTICIPANT = "4;5;3;4;5;{nps};Goed zo;x"

SURVEYS = load_surveys(REAL_CONFIG / "surveys.yaml")


def _write(path, header: str, rows: list[str]):
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _import(engine, path):
    with Session(engine) as session, session.begin():
        return import_survey_responses(
            path, "2027", "m03", session=session, at=AT, definitions=SURVEYS
        )


def test_token_rows_are_stored_bad_rows_reported_and_a_reimport_is_unchanged(engine, tmp_path):
    round_id = survey_round(engine)
    first, second = survey_token(engine, round_id), survey_token(engine, round_id)
    path = _write(
        tmp_path / "results-survey123.csv",
        HEADER,
        [
            f"1;2027-12-08 10:00;4;{first};" + PARTICIPANT.format(nps=9),
            f"2;2027-12-09 10:00;4;{second};" + PARTICIPANT.format(nps=11),
            "3;2027-12-09 11:00;4;" + "x" * 43 + ";" + PARTICIPANT.format(nps=8),
            f"4;2027-12-09 12:00;4;{first};" + PARTICIPANT.format(nps=7),
        ],
    )

    result = _import(engine, path)

    assert (result.tally.imported, result.tally.rejected) == (1, 3)
    assert result.ignored_columns == ["Q99"]
    reasons = [rejection.reason for rejection in result.rejections]
    assert reasons[0] == "row 3, field 'nps': Kies een waarde van 0 tot en met 10."
    assert reasons[1] == "row 4, field 'token': no live invitation to round m03 has it"
    assert reasons[2] == "row 5, field 'token': already on row 2"
    assert result.rejected_file is not None and result.rejected_file.exists()
    with Session(engine) as session:
        (response,) = session.scalars(select(SurveyResponse)).all()
        assert response.answers["nps"] == 9 and response.answers["remark"] == "Goed zo"
        assert response.version == 1

    again = _import(engine, path)
    assert (again.tally.imported, again.tally.updated, again.tally.unchanged) == (0, 0, 1)
    with Session(engine) as session:
        assert session.scalar(select(SurveyResponse.version)) == 1


def test_anonymous_rows_get_placeholder_invitations_once(engine, tmp_path):
    survey_round(engine)
    path = _write(
        tmp_path / "anonymous.csv",
        "id;audience;guid_support;info_clear;buddy_hours;nps",
        ["11;buddy;4;4;3,5;8", "12;manager;5;4;;9", "13;buddy;4;4;;9", "14;ouder;4;4;;9"],
    )

    result = _import(engine, path)

    assert (result.tally.imported, result.tally.rejected) == (2, 2)
    assert [r.reason for r in result.rejections] == [
        "row 4, field 'buddy_hours': Beantwoord deze vraag.",
        "row 5, field 'audience': must be one of participant, buddy, manager",
    ]
    assert _import(engine, path).tally.unchanged == 2
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Invitation)) == 2
        hours = session.scalars(select(SurveyResponse.answers)).all()
        assert sorted(str(a.get("buddy_hours")) for a in hours) == ["3.5", "None"]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_rvg_import_survey_responses(engine, tmp_path):
    round_id = survey_round(engine)
    token = survey_token(engine, round_id)
    path = _write(tmp_path / "results.csv", HEADER, [f"1;;4;{token};" + PARTICIPANT.format(nps=12)])
    url = engine.url.render_as_string(hide_password=False)
    args = ("import", "survey-responses", str(path), "--cohort", "2027", "--round", "m03")

    result = run_rvg(*args, database_url=url)

    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("imported=0 updated=0 unchanged=0 rejected=1 rejected_rows=")
    assert "row 2, field 'nps': Kies een waarde van 0 tot en met 10." in result.stderr
    assert "note: ignored column(s): Q99" in result.stderr

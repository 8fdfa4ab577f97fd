"""``rvg import applicants`` on both backends: files as agencies send them, history kept."""

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from rvg.db import make_engine
from rvg.errors import ConfigError, NotFound
from rvg.imports.applicants import import_applicants
from rvg.imports.tabular import rejected_folder
from rvg.models import Applicant, StageChange
from rvg.programme import create_cohort
from rvg.recruitment.retention import anonymise
from tests.utils.cli import run_rvg
from tests.utils.config_files import BEFORE_2027, REAL_CONFIG

AT = datetime(2027, 4, 15, 10, 0, tzinfo=UTC)
LATER = datetime(2027, 5, 20, 10, 0, tzinfo=UTC)
COLUMNS = [
    "applicant_ref",
    "first_name",
    "last_name",
    "email",
    "track",
    "stage",
    "stage_date",
    "phone",
    "years_experience",
    "education_level",
    "source",
    "capacity_score",
    "personality_score",
    "drives_score",
    "interview_score",
    "consent_until",
]
RENEE = ["A-001", "Renée", "Smeets", "renee@example.org", "ro", "applied", "02-03-2027"]
ZOE = ["A-002", "Zoë", "van den Broek", "zoe@example.org", "Verkeer en Mobiliteit"]
HELENE = ["A-003", "Hélène", "Dijkstra", "helene@example.org", "RO", "Screened", "2027-03-20"]
GOOD = [
    [*RENEE, "06 12345678", "12", "hbo", "LinkedIn", "7,5", "6", "", "", ""],
    [*ZOE, "assessment", "2027-04-01", "", "", "wo", "", "8.25", "", "7", "", "01-02-2028"],
    [*HELENE, "", "0", "", "website", "", "", "", "", ""],
]


def _write(path, rows, *, header=COLUMNS, encoding="utf-8", delimiter=","):
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def _applicants(session) -> dict[str, Applicant]:
    session.expire_all()
    return {a.applicant_ref: a for a in session.scalars(select(Applicant))}


def _history(applicant: Applicant) -> list[tuple[str, date]]:
    return [(change.stage, change.entered_on) for change in applicant.stage_history]


def _rejected_rows(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def cohort(session):
    create_cohort(
        "2027",
        REAL_CONFIG / "cohorts" / "2027.yaml",
        REAL_CONFIG,
        session=session,
        as_of=BEFORE_2027,
    )
    session.commit()


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("cp1252", ";"), ("cp1252", ",")],
)
def test_files_as_dutch_offices_save_them(session, cohort, tmp_path, encoding, delimiter):
    path = _write(tmp_path / "sollicitanten.csv", GOOD, encoding=encoding, delimiter=delimiter)

    result = import_applicants(path, "2027", session=session, at=AT)
    session.commit()

    assert result.tally.line() == "imported=3 updated=0 unchanged=0 rejected=0"
    assert result.rejected_file is None
    stored = _applicants(session)
    renee, zoe, helene = stored["A-001"], stored["A-002"], stored["A-003"]
    assert (renee.first_name, zoe.first_name, helene.first_name) == ("Renée", "Zoë", "Hélène")
    assert (renee.track_code, zoe.track_code, helene.track_code) == ("ro", "vm", "ro")
    assert (renee.stage, renee.stage_date) == ("applied", date(2027, 3, 2))
    assert (helene.stage, helene.stage_date) == ("screened", date(2027, 3, 20))
    assert (renee.capacity_score, renee.personality_score) == (7.5, 6)
    assert (zoe.capacity_score, zoe.drives_score, zoe.interview_score) == (8.25, 7, None)
    assert (renee.years_experience, helene.years_experience, zoe.years_experience) == (12, 0, None)
    assert (renee.phone, renee.source, zoe.education_level) == ("06 12345678", "LinkedIn", "wo")
    assert zoe.consent_until == date(2028, 2, 1)
    assert (zoe.procedure_ended_on, zoe.retain_until) == (None, None)
    assert _history(zoe) == [("assessment", date(2027, 4, 1))]


def test_xlsx_with_real_dates_and_numbers(session, cohort, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS[:12])
    sheet.append(["A-010", "Bram", "Kuipers", "bram@example.org", "vm", "Meet & Greet"])
    sheet.append([])
    sheet.append([1011, "Fleur", "Jansen", "fleur@example.org", "ro", "interview"])
    cells = ((2, date(2027, 4, 10), 3, 6.5), (4, datetime(2027, 4, 2), 8.0, 7))
    for row, day, years, score in cells:
        for column, value in ((7, day), (9, years), (12, score)):
            sheet.cell(row=row, column=column, value=value)
    path = tmp_path / "sollicitanten.xlsx"
    workbook.save(path)

    result = import_applicants(path, "2027", session=session, at=AT)
    session.commit()

    assert result.tally.line() == "imported=2 updated=0 unchanged=0 rejected=0"
    stored = _applicants(session)
    assert (stored["A-010"].stage, stored["A-010"].stage_date) == ("meet_greet", date(2027, 4, 10))
    assert (stored["A-010"].years_experience, stored["A-010"].capacity_score) == (3, 6.5)
    assert (stored["1011"].stage_date, stored["1011"].years_experience) == (date(2027, 4, 2), 8)


B5 = ["B-5", "Eva", "Visser", "eva@example.org", "ro", "applied", "01-03-2027"]
B8 = ["B-8", "Gijs", "Visser", "gijs@example.org", "vm", "rejected", "01-03-2027"]


def test_bad_rows_are_rejected_naming_row_and_field(session, cohort, tmp_path):
    path = _write(
        tmp_path / "sollicitanten.csv",
        [
            GOOD[0],
            ["B-1", "Ad", "Visser", "ad@example.org", "bouwkunde", "applied", "01-03-2027"],
            ["B-2", "Bo", "Visser", "bo@example.org", "ro", "hired", "01-03-2027"],
            ["B-3", "Cas", "Visser", "niet-een-adres", "ro", "applied", "01-03-2027"],
            ["B-4", "Dirk", "Visser", "dirk@example.org", "ro", "applied", "31-02-2027"],
            [*B5, "", "75", "", "", "zeven"],
            ["B-6", "Fem", "Visser", "fem@example.org", "ro", "applied", "16-04-2027"],
            ["A-001", "Renée", "Smeets", "renee2@example.org", "ro", "applied", "02-03-2027"],
            ["B-7", "Renée", "Smeets", "RENEE@example.org", "ro", "applied", "02-03-2027"],
            [*B8, *[""] * 8, "01-06-2028"],
            ["", "", "", "", "ro", "applied", ""],
        ],
    )

    result = import_applicants(path, "2027", session=session, at=AT)
    session.commit()

    assert result.tally.line() == "imported=1 updated=0 unchanged=0 rejected=10"
    reasons = [rejection.reason for rejection in result.rejections]
    assert reasons[0] == (
        "row 3, field 'track': 'bouwkunde' is not a track of this cohort; "
        "use one of ro (Ruimtelijke Ordening), vm (Verkeer en Mobiliteit)"
    )
    assert reasons[1].startswith("row 4, field 'stage': 'hired' is not a known stage; use one of")
    assert reasons[2].startswith("row 5, field 'email': not a valid e-mail address (")
    assert reasons[3] == (
        "row 6, field 'stage_date': '31-02-2027' is not a valid date "
        "(day is out of range for month)"
    )
    assert reasons[4] == (
        "row 7, field 'years_experience': '75' is not a whole number of years from 0 to 60; "
        "field 'capacity_score': 'zeven' is not a number from 0 to 100 (e.g. 7 or 7,5)"
    )
    assert reasons[5] == "row 8, field 'stage_date': 16-04-2027 lies in the future"
    assert reasons[6] == "row 9, field 'applicant_ref': 'A-001' is already on row 2"
    assert reasons[7] == "row 10, field 'email': is already on row 2, for applicant_ref 'A-001'"
    assert reasons[8].startswith(
        "row 11, field 'consent_until': 01-06-2028 is more than 1 year after the stage_date"
    )
    assert reasons[9].startswith("row 12, field 'applicant_ref': is required")
    assert "field 'email'" in reasons[9] and "field 'stage_date': is empty" in reasons[9]
    assert list(_applicants(session)) == ["A-001"]

    assert result.rejected_file.parent == rejected_folder()
    written = _rejected_rows(result.rejected_file)
    assert [row["row"] for row in written] == [str(n) for n in range(3, 13)]
    assert written[0]["track"] == "bouwkunde"
    assert written[0]["reason"] == reasons[0]
    assert list(written[0]) == ["row", *COLUMNS, "reason"]


def test_reimport_changes_nothing_and_a_new_stage_is_appended(session, cohort, tmp_path):
    path = _write(tmp_path / "sollicitanten.csv", GOOD)
    first = import_applicants(path, "2027", session=session, at=AT)
    session.commit()
    again = import_applicants(path, "2027", session=session, at=AT)
    session.commit()
    assert first.tally.line() == "imported=3 updated=0 unchanged=0 rejected=0"
    assert again.tally.line() == "imported=0 updated=0 unchanged=3 rejected=0"
    first_entry = _applicants(session)["A-001"].stage_history[0].id

    moved = [
        [*RENEE[:5], "screened", "20-04-2027", "", "", "", "", "8"],
        [*ZOE, "rejected", "2027-05-02"],
        [*HELENE, "", "", "", "", "", "", "", "", "2027-04-30"],
    ]
    later = import_applicants(
        _write(tmp_path / "mei.csv", moved, header=COLUMNS), "2027", session=session, at=LATER
    )
    session.commit()

    assert later.tally.line() == "imported=0 updated=3 unchanged=0 rejected=0"
    stored = _applicants(session)
    renee, zoe, helene = stored["A-001"], stored["A-002"], stored["A-003"]
    assert _history(renee) == [("applied", date(2027, 3, 2)), ("screened", date(2027, 4, 20))]
    assert renee.stage_history[0].id == first_entry
    assert (renee.stage, renee.capacity_score, renee.phone) == ("screened", 8.0, "06 12345678")
    assert (zoe.stage, zoe.procedure_ended_on) == ("rejected", date(2027, 5, 2))
    assert zoe.retain_until == date(2028, 2, 1)  # consent from the first file still holds
    assert (helene.consent_until, _history(helene)) == (
        date(2027, 4, 30),
        [("screened", date(2027, 3, 20))],
    )

    old_file = import_applicants(path, "2027", session=session, at=LATER)
    session.commit()
    assert old_file.tally.line() == "imported=0 updated=0 unchanged=1 rejected=2"
    assert old_file.rejections[0].reason == (
        "row 2, field 'stage_date': applied on 02-03-2027 is earlier than the stored stage "
        "screened on 20-04-2027; the history is not rewritten"
    )
    assert session.scalar(select(func.count()).select_from(StageChange)) == 5


def test_a_stage_of_the_same_day_cannot_come_back(session, cohort, tmp_path):
    """Screened and invited to the assessment on one day: a later file that says "screened"
    again on that day would rewrite the history, even though its date is not earlier."""
    day = "20-04-2027"
    for name, stage in (("a.csv", "screened"), ("b.csv", "assessment")):
        row = [*RENEE[:5], stage, day]
        import_applicants(_write(tmp_path / name, [row]), "2027", session=session, at=LATER)
        session.commit()

    back = [*RENEE[:5], "screened", day]
    result = import_applicants(
        _write(tmp_path / "c.csv", [back]), "2027", session=session, at=LATER
    )

    assert result.tally.line() == "imported=0 updated=0 unchanged=0 rejected=1"
    assert "the history is not rewritten" in result.rejections[0].reason
    assert _history(_applicants(session)["A-001"]) == [
        ("screened", date(2027, 4, 20)),
        ("assessment", date(2027, 4, 20)),
    ]


def test_an_address_stored_for_another_ref_is_a_conflict(session, cohort, tmp_path):
    import_applicants(_write(tmp_path / "a.csv", GOOD[:1]), "2027", session=session, at=AT)
    session.commit()
    other = ["A-999", "Renée", "Smeets", "Renee@Example.org", "ro", "applied", "02-03-2027"]

    result = import_applicants(_write(tmp_path / "b.csv", [other]), "2027", session=session, at=AT)

    assert result.tally.line() == "imported=0 updated=0 unchanged=0 rejected=1"
    assert result.rejections[0].reason == (
        "row 2, field 'email': is stored for applicant_ref 'A-001', not 'A-999'"
    )


def test_anonymised_applicants_are_never_updated_or_brought_back(session, cohort, tmp_path):
    ended = [
        [*RENEE[:5], "rejected", "01-03-2027"],
        [*ZOE, "withdrawn", "2027-03-10"],
    ]
    path = _write(tmp_path / "sollicitanten.csv", ended)
    import_applicants(path, "2027", session=session, at=datetime(2027, 3, 20, tzinfo=UTC))
    session.commit()
    renee = _applicants(session)["A-001"]
    anonymise(renee, datetime(2027, 4, 1, tzinfo=UTC))
    session.commit()
    anon_row = [f"anon-{renee.id}", "R.", "Smeets", "r.smeets@example.org", "ro", "rejected"]

    result = import_applicants(
        _write(tmp_path / "b.csv", [*ended, [*anon_row, "01-03-2027"]]),
        "2027",
        session=session,
        at=AT,
    )
    session.commit()

    assert result.tally.line() == "imported=0 updated=0 unchanged=1 rejected=2"
    assert result.rejections[0].reason == (
        "row 2, field 'stage_date': the procedure ended on 01-03-2027 and the data may be kept "
        "only until 29-03-2027; the applicant is not imported"
    )
    assert result.rejections[1].reason == (
        "row 4, field 'applicant_ref': was anonymised on 01-04-2027; it is not updated"
    )
    stored = _applicants(session)
    assert sorted(stored) == ["A-002", f"anon-{renee.id}"]
    assert stored[f"anon-{renee.id}"].first_name is None


def test_a_missing_column_or_unknown_cohort_writes_nothing(session, cohort, tmp_path):
    header = [name for name in COLUMNS if name != "stage_date"]
    path = _write(tmp_path / "sollicitanten.csv", [RENEE[:6]], header=header)

    with pytest.raises(ConfigError) as raised:
        import_applicants(path, "2027", session=session, at=AT)
    with pytest.raises(NotFound):
        import_applicants(_write(tmp_path / "ok.csv", GOOD), "2031", session=session, at=AT)

    assert "missing required column(s): stage_date" in str(raised.value)
    assert str(path) in str(raised.value)
    assert not (tmp_path / "sollicitanten.csv.rejected.csv").exists()
    assert session.scalar(select(func.count()).select_from(Applicant)) == 0


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_rvg_import_applicants(database_url, tmp_path):
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
    past = "06-01-2025"  # the command runs on the real clock
    rows = [[*RENEE[:6], past], [*RENEE[:3], "x", "ro", "applied", past]]
    path = _write(tmp_path / "sollicitanten.csv", rows)
    missing = _write(tmp_path / "kapot.csv", [RENEE[:6]], header=COLUMNS[:6])

    result = run_rvg(
        "import", "applicants", str(path), "--cohort", "2027", database_url=database_url
    )
    refused = run_rvg(
        "import", "applicants", str(missing), "--cohort", "2027", database_url=database_url
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    counts, _, written = lines[-1].partition(" rejected_rows=")
    assert counts == "imported=1 updated=0 unchanged=0 rejected=1"
    assert Path(written).parent == rejected_folder() and Path(written).is_file()
    assert "row 3, field 'email': not a valid e-mail address" in result.stderr
    assert refused.returncode == 2
    assert "missing required column(s): stage_date" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not (tmp_path / "kapot.csv.rejected.csv").exists()
    too_many = _write(tmp_path / "te-groot.csv", [[f"B-{n}", *RENEE[1:6], past] for n in range(3)])
    capped = run_rvg(
        "import",
        "applicants",
        str(too_many),
        "--cohort",
        "2027",
        database_url=database_url,
        RVG_IMPORT_MAX_ROWS="2",
    )
    assert capped.returncode == 2 and "Traceback" not in capped.stderr
    assert "more than 2 rows after the header; nothing was imported" in capped.stderr
    engine = make_engine(database_url)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Applicant)) == 1
    engine.dispose()


@pytest.mark.parametrize("score", ["nan", "inf", "1e309", "²", "٣", "1_0", "-1", "101"])
def test_odd_scores_are_rejected_and_nan_never_stored(session, cohort, tmp_path, score):
    row = [*RENEE, "", "", "", "", score, "", "", "", ""]
    path = _write(tmp_path / "sollicitanten.csv", [row, GOOD[2]])

    result = import_applicants(path, "2027", session=session, at=AT)
    session.commit()

    assert result.tally.line() == "imported=1 updated=0 unchanged=0 rejected=1"
    assert result.rejections[0].reason == (
        f"row 2, field 'capacity_score': {score!r} is not a number from 0 to 100 (e.g. 7 or 7,5)"
    )
    assert list(_applicants(session)) == ["A-003"]


def test_a_nul_byte_in_a_name_rejects_the_row_on_both_databases(session, cohort, tmp_path):
    path = _write(tmp_path / "sollicitanten.csv", [[RENEE[0], "Ren\x00ée", *RENEE[2:]], GOOD[2]])

    result = import_applicants(path, "2027", session=session, at=AT)
    session.commit()

    assert result.tally.line() == "imported=1 updated=0 unchanged=0 rejected=1"
    assert result.rejections[0].reason == (
        "row 2, field 'first_name': holds the invisible control character U+0000; remove it"
    )
    assert list(_applicants(session)) == ["A-003"]


def test_a_path_like_reference_or_a_bidi_control_in_a_name_rejects_the_row(
    session, cohort, tmp_path
):
    evil = ["../../../../etc/evil", *RENEE[1:]]
    flipped = [RENEE[0], "Ren\u202eée", *RENEE[2:]]
    path = _write(tmp_path / "sollicitanten.csv", [evil, flipped, GOOD[2]])

    result = import_applicants(path, "2027", session=session, at=AT)
    session.commit()

    assert result.tally.line() == "imported=1 updated=0 unchanged=0 rejected=2"
    reasons = [r.reason for r in result.rejections]
    assert reasons[0].startswith("row 2, field 'applicant_ref': '../../../../etc/evil' may hold")
    assert reasons[1] == (
        "row 3, field 'first_name': holds the invisible control character U+202E; remove it"
    )
    assert list(_applicants(session)) == ["A-003"]

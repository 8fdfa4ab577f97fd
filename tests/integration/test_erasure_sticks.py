"""Erasure that sticks, on both backends: tombstones refuse an old export, rejected-row files are
deleted on time, and on SQLite the erased values are gone from the file and its log."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from rvg.db import make_engine
from rvg.errors import UserError
from rvg.imports.applicants import import_applicants
from rvg.imports.tabular import rejected_folder
from rvg.models import Applicant, ErasureAudit, RejectedFile, Tombstone
from rvg.programme import create_cohort
from rvg.recruitment.retention import erase_due, run_retention
from rvg.settings import Settings
from tests.utils.config_files import BEFORE_2027, REAL_CONFIG
from tests.utils.databases import migrated_engine, sqlite_url

HEADER = ["applicant_ref", "first_name", "last_name", "email", "track", "stage", "stage_date"]
APPLIED = ["R001", "Renée", "Smeets", "renee@example.org", "ro", "applied", "01-03-2027"]
REJECTED = [*APPLIED[:5], "rejected", "15-03-2027"]  # kept until 12 April
OTHER = ["R002", "Bas", "de Bruijn", "bas@example.org", "vm", "applied", "01-03-2027"]
AT = datetime(2027, 3, 20, 9, 0, tzinfo=UTC)
ERASED_AT = date(2027, 4, 13)
LATER = datetime(2027, 4, 20, 9, 0, tzinfo=UTC)


def _export(path, *rows):
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\r\n").writerows([HEADER, *rows])
    path.write_text(text.getvalue(), encoding="utf-8")
    return path


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


def test_an_erased_applicant_is_not_imported_again(session, cohort, tmp_path):
    first = _export(tmp_path / "export-1.csv", APPLIED, OTHER)
    import_applicants(first, "2027", session=session, at=AT)
    import_applicants(_export(tmp_path / "export-2.csv", REJECTED), "2027", session=session, at=AT)
    report = erase_due("2027", ERASED_AT, session=session, dry_run=False, performed_by="test")
    session.commit()
    assert len(report.applicants) == 1

    again = import_applicants(first, "2027", session=session, at=LATER)
    by_address = _export(tmp_path / "export-3.csv", ["X-9", *APPLIED[1:]])  # a new reference
    moved = import_applicants(by_address, "2027", session=session, at=LATER)
    session.commit()

    assert again.tally.line() == "imported=0 updated=0 unchanged=1 rejected=1"
    assert [r.reason for r in again.rejections] == [
        "row 2, field 'applicant_ref': this applicant was erased on 13-04-2027 under the "
        "retention rules; not imported"
    ]
    assert moved.tally.rejected == 1 and "was erased on 13-04-2027" in moved.rejections[0].reason
    stored = session.scalars(select(Applicant).order_by(Applicant.id)).all()
    assert [(a.applicant_ref, a.first_name, a.email) for a in stored] == [
        (f"anon-{stored[0].id}", None, None),
        ("R002", "Bas", "bas@example.org"),
    ]
    [tombstone] = session.scalars(select(Tombstone)).all()
    values = (tombstone.ref_digest, tombstone.email_digest or "", tombstone.key_id)
    assert tombstone.erased_on == ERASED_AT and len(tombstone.ref_digest) == 64
    assert not any(part in value for value in values for part in ("R001", "renee", "Smeets"))


def test_a_tombstone_belongs_to_its_cohort(session, cohort, tmp_path):
    text = (REAL_CONFIG / "cohorts" / "2027.yaml").read_text(encoding="utf-8")
    (tmp_path / "2028.yaml").write_text(text.replace('code: "2027"', 'code: "2028"'), "utf-8")
    create_cohort("2028", tmp_path / "2028.yaml", REAL_CONFIG, session=session, as_of=BEFORE_2027)
    import_applicants(_export(tmp_path / "a.csv", REJECTED), "2027", session=session, at=AT)
    erase_due("2027", ERASED_AT, session=session, dry_run=False, performed_by="test")
    session.commit()

    later = datetime(2028, 3, 1, 9, 0, tzinfo=UTC)
    result = import_applicants(
        _export(tmp_path / "b.csv", APPLIED), "2028", session=session, at=later
    )

    assert result.tally.imported == 1  # the same person may apply to a later cohort


def test_another_erasure_key_is_refused_not_ignored(session, cohort, tmp_path, monkeypatch):
    import_applicants(_export(tmp_path / "a.csv", REJECTED), "2027", session=session, at=AT)
    erase_due("2027", ERASED_AT, session=session, dry_run=False, performed_by="test")
    session.commit()
    monkeypatch.setenv("RVG_ERASURE_KEY", "x" * 40)

    with pytest.raises(UserError, match="is not the one the tombstones were made with"):
        import_applicants(_export(tmp_path / "b.csv", APPLIED), "2027", session=session, at=LATER)


def test_rejected_rows_are_kept_28_days_in_the_managed_folder_then_deleted(
    session, cohort, tmp_path
):
    bad = [*OTHER[:3], "geen-adres", *OTHER[4:]]
    result = import_applicants(_export(tmp_path / "a.csv", bad), "2027", session=session, at=AT)
    session.commit()
    written = result.rejected_file
    assert written is not None and written.parent == rejected_folder() and written.is_file()
    [record] = session.scalars(select(RejectedFile)).all()
    assert (record.kind, record.rows, record.delete_after) == ("applicants", 1, date(2027, 4, 17))

    kept = erase_due(None, date(2027, 4, 17), session=session, dry_run=False, performed_by="t")
    listed = erase_due(None, date(2027, 4, 18), session=session, dry_run=True, performed_by="t")
    assert (kept.files, written.is_file()) == ([], True)
    assert [f.file_id for f in listed.files] == [record.id] and written.is_file()

    deleted = erase_due(None, date(2027, 4, 18), session=session, dry_run=False, performed_by="t")
    session.commit()

    assert [f.file_id for f in deleted.files] == [record.id]
    assert not written.exists()
    assert record.deleted_at is not None
    audit = session.scalars(select(ErasureAudit)).all()
    assert [(a.subject_type, a.subject_id, a.action) for a in audit] == [
        ("rejected_file", record.id, "erased")
    ]
    assert deleted.line() == "due=0 anonymised=0 files_due=1 files_deleted=1 qa_interests_due=0"


def test_on_sqlite_the_erased_name_is_gone_from_the_file_and_its_log(tmp_path):
    path = tmp_path / "rvg.sqlite"
    engine = migrated_engine(sqlite_url(path))
    marker = "Zwanenburg-Qxyzzy"
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA wal_autocheckpoint=0")  # keep everything in the log
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        create_cohort(
            "2027",
            REAL_CONFIG / "cohorts" / "2027.yaml",
            REAL_CONFIG,
            session=session,
            as_of=BEFORE_2027,
        )
        session.commit()
        row = [*REJECTED[:2], marker, f"{marker.lower()}@example.org", *REJECTED[4:]]
        import_applicants(_export(tmp_path / "a.csv", row), "2027", session=session, at=AT)
        session.commit()
    engine.dispose()

    settings = Settings(database_url=sqlite_url(path), data_dir=tmp_path / "data")
    report = run_retention(None, ERASED_AT, dry_run=False, performed_by="t", settings=settings)

    assert len(report.applicants) == 1 and report.log_emptied is True
    make_engine(sqlite_url(path)).dispose()
    wal = tmp_path / "rvg.sqlite-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    for name in ("rvg.sqlite", "rvg.sqlite-wal"):
        if (tmp_path / name).exists():
            content = (tmp_path / name).read_bytes()
            assert marker.encode() not in content and marker.lower().encode() not in content


def test_candidates_not_placed_are_closed_thanked_and_later_erased(session, cohort):
    from rvg.models import Cohort, Notification, Placement
    from rvg.notifications.rendering import render
    from rvg.placements.unplaced import close_unplaced
    from rvg.repositories.placements import create_placements
    from tests.utils.applicants import add_applicants

    loaded = session.scalar(select(Cohort))
    placed, waiting, screened = add_applicants(session, loaded, ["P1", "W1", "S1"])
    screened.stage = "screened"
    session.commit()
    approved_on = date(2027, 6, 24)
    moment = datetime(2027, 6, 24, 10, 0, tzinfo=UTC)
    create_placements(
        loaded,
        {"ro": {"P1": "GM0855"}},
        session=session,
        starts_on=date(2027, 9, 6),
        matched_on=approved_on,
    )

    closed = close_unplaced(loaded, session=session, day=approved_on, due=moment)
    session.commit()

    assert closed == 2
    assert (placed.stage, session.scalar(select(Placement.applicant_id))) == ("matched", placed.id)
    for applicant in (waiting, screened):
        assert (applicant.stage, applicant.procedure_ended_on) == ("rejected", approved_on)
        assert applicant.retain_until == date(2027, 7, 22)
        assert applicant.stage_history[-1].stage == "rejected"
    mails = session.scalars(select(Notification).where(Notification.template == "not_placed"))
    mail = {m.to_address: m for m in mails}["w1@kandidaat.example"]
    rendered = render("not_placed", mail.context)
    assert rendered.subject == "Geen plek in Ruimte voor Groei, lichting 2027"
    text = rendered.text
    assert "geen plek gevonden" in text and "Hartelijk dank" in text and "22-07-2027" in text
    assert close_unplaced(loaded, session=session, day=approved_on, due=moment) == 0

    erase_due(None, date(2027, 7, 23), session=session, dry_run=False, performed_by="test")
    session.commit()

    assert (waiting.first_name, waiting.email, placed.first_name) == (None, None, "VoornaamP1")
    session.expire_all()
    addresses = set(session.scalars(select(Notification.to_address)))
    assert "w1@kandidaat.example" not in addresses and "gewist@invalid" in addresses
    scrubbed = session.scalar(
        select(Notification).where(Notification.to_address == "gewist@invalid")
    )
    assert scrubbed.context == {} and scrubbed.status == "cancelled"  # it was never sent

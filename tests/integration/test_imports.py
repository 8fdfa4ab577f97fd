"""Imports of contacts and sign-ups on both backends, and ``rvg import`` as a user runs it."""

import csv
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rvg.db import make_engine
from rvg.imports.commitments import import_commitments
from rvg.imports.contacts import import_contacts
from rvg.imports.tabular import rejected_folder
from rvg.models import Commitment, CommitmentVersion, Contact
from rvg.programme import create_cohort, load_region, read_region
from rvg.repositories.organisations import find_organisation
from tests.utils.cli import run_rvg
from tests.utils.config_files import BEFORE_2027, REAL_CONFIG

AT = datetime(2026, 9, 20, 10, 0, tzinfo=UTC)
LATER = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def _csv(path, rows: list[str], header: str):
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _contacts_file(tmp_path, *rows: str):
    return _csv(tmp_path / "contacts.csv", list(rows), "organisation;role;name;email;phone")


def _rejected(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _roles(session, organisation: str) -> dict[str, set[str]]:
    org = find_organisation(organisation, session=session)
    contacts = session.scalars(select(Contact).where(Contact.organisation_id == org.id))
    return {contact.email: {r.role for r in contact.roles} for contact in contacts}


@pytest.fixture
def region(session):
    load_region(read_region(REAL_CONFIG), session=session)
    session.commit()


def test_contacts_good_rows_imported_bad_rows_rejected(session, region, tmp_path):
    path = _contacts_file(
        tmp_path,
        "GM0855;secretary;Renée Smeets;renee.smeets@tilburg.nl;013 542 0000",
        "tilburg;Leidinggevende;Bas  de Bruijn;bas@tilburg.nl;",
        "Breda;buddy;Sanne Vos;sanne@breda.nl;",
        "Gemeente Atlantis;secretary;Ad Visser;ad@atlantis.nl;",
        "Oss;koffie;;niet-een-adres;",
        "GM0855;Secretaris;Renée Smeets;RENEE.SMEETS@tilburg.nl;",
        "Tilburg;hr;R. Smeets;renee.smeets@tilburg.nl;",
    )
    result = import_contacts(path, session=session)
    session.commit()

    assert result.tally.line() == "imported=3 updated=0 unchanged=0 rejected=4"
    assert _roles(session, "Tilburg") == {
        "renee.smeets@tilburg.nl": {"secretary"},
        "bas@tilburg.nl": {"manager"},
    }
    assert session.scalar(select(Contact.name).where(Contact.email == "bas@tilburg.nl")) == (
        "Bas de Bruijn"
    )
    reasons = [rejection.reason for rejection in result.rejections]
    assert reasons[0] == (
        "row 5, field 'organisation': unknown organisation 'Gemeente Atlantis'; "
        "give its code or name"
    )
    assert reasons[1].startswith(
        "row 6, field 'role': unknown role 'koffie'; use one of secretary, manager, buddy, hr,"
    )
    assert "; field 'name': give the person's name" in reasons[1]
    assert "; field 'email': not a valid e-mail address (" in reasons[1]
    assert reasons[2] == (
        "row 7, field 'email': RENEE.SMEETS@tilburg.nl with role 'secretary' is already on row 2"
    )
    assert reasons[3] == "row 8, field 'name': 'R. Smeets' differs from 'Renée Smeets' on row 2"

    assert result.rejected_file.parent == rejected_folder()  # not beside the input
    assert re.fullmatch(r"\d{8}T\d{6}-contacts-[0-9a-f]{8}\.csv", result.rejected_file.name)
    assert list(tmp_path.iterdir()) == [tmp_path / "contacts.csv"]
    written = _rejected(result.rejected_file)
    assert [row["row"] for row in written] == ["5", "6", "7", "8"]
    assert written[0] == {
        "row": "5",
        "organisation": "Gemeente Atlantis",
        "role": "secretary",
        "name": "Ad Visser",
        "email": "ad@atlantis.nl",
        "phone": "",
        "reason": reasons[0],
    }


def test_contacts_reimport_changes_nothing_and_a_new_role_is_added(session, region, tmp_path):
    rows = [
        "GM0855;secretary;Renée Smeets;renee@tilburg.nl;013 542 0000",
        "GM0855;p&o;Renée Smeets;renee@tilburg.nl;",
        "Breda;buddy;Sanne Vos;sanne@breda.nl;",
    ]
    first = import_contacts(_contacts_file(tmp_path, *rows), session=session)
    session.commit()
    again = import_contacts(_contacts_file(tmp_path, *rows), session=session)
    session.commit()
    assert again.rejected_file is None
    changed = import_contacts(
        _contacts_file(
            tmp_path,
            "Tilburg;Inkoop;Renée Smeets;Renee@Tilburg.nl;",
            "Breda;buddy;Sanne de Vos;sanne@breda.nl;076 529 4000",
            "Breda;buddy;Sanne de Vos;sanne@breda.nl;076 529 4000",
        ),
        session=session,
    )
    session.commit()

    assert first.tally.line() == "imported=3 updated=0 unchanged=0 rejected=0"
    assert again.tally.line() == "imported=0 updated=0 unchanged=3 rejected=0"
    assert changed.tally.line() == "imported=0 updated=2 unchanged=0 rejected=1"
    assert _roles(session, "Tilburg") == {"renee@tilburg.nl": {"secretary", "hr", "procurement"}}
    sanne = session.scalar(select(Contact).where(Contact.email == "sanne@breda.nl"))
    assert (sanne.name, sanne.phone) == ("Sanne de Vos", "076 529 4000")
    renee = session.scalar(select(Contact).where(Contact.email == "renee@tilburg.nl"))
    assert renee.phone == "013 542 0000"
    assert session.scalar(select(func.count()).select_from(Contact)) == 2


COMMITMENT_HEADER = (
    "organisation,takes_part,agrees_to_costs,vacancies_ro,vacancies_vm,"
    "signed_by_name,signed_by_function,comment,Inzendingsdatum"
)


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


def _commitments_file(tmp_path, *rows: str):
    return _csv(tmp_path / "aanmeldingen.csv", list(rows), COMMITMENT_HEADER)


def _versions(session) -> int:
    return session.scalar(select(func.count()).select_from(CommitmentVersion))


def _commitment(session, organisation: str) -> Commitment:
    org = find_organisation(organisation, session=session)
    return session.scalar(select(Commitment).where(Commitment.organisation_id == org.id))


GOOD_ROWS = (
    "GM0855,ja,ja,2,1,Wim de Vries,gemeentesecretaris,,2026-09-18",
    "Breda,nee,,,,Els Jansen,directeur bedrijfsvoering,Volgend jaar weer,2026-09-19",
)


def test_commitments_first_import_then_unchanged_then_a_new_version(session, cohort, tmp_path):
    first = import_commitments(
        _commitments_file(tmp_path, *GOOD_ROWS), "2027", session=session, at=AT
    )
    session.commit()
    again = import_commitments(
        _commitments_file(tmp_path, *GOOD_ROWS), "2027", session=session, at=LATER
    )
    session.commit()
    assert first.tally.line() == "imported=2 updated=0 unchanged=0 rejected=0"
    assert first.ignored_columns == ["Inzendingsdatum"]
    assert again.tally.line() == "imported=0 updated=0 unchanged=2 rejected=0"
    assert _versions(session) == 2

    changed_row = "gm0855,Ja,x,3,1,Wim de Vries,gemeentesecretaris,,2026-09-30"
    changed = import_commitments(
        _commitments_file(tmp_path, changed_row, GOOD_ROWS[1]), "2027", session=session, at=LATER
    )
    session.commit()
    assert changed.tally.line() == "imported=0 updated=1 unchanged=1 rejected=0"
    tilburg = _commitment(session, "Tilburg")
    assert (tilburg.status, tilburg.version, tilburg.responded_at) == ("committed", 2, LATER)
    assert {v.track_code: v.vacancies for v in tilburg.vacancies} == {"ro": 3, "vm": 1}
    assert [(v.version, v.source) for v in tilburg.versions] == [(1, "import"), (2, "import")]
    assert tilburg.versions[0].payload["vacancies"] == {"ro": 2, "vm": 1}
    breda = _commitment(session, "Breda")
    assert (breda.status, breda.version, breda.comment) == ("declined", 1, "Volgend jaar weer")


def test_commitments_bad_rows_are_rejected_with_their_reasons(session, cohort, tmp_path):
    path = _commitments_file(
        tmp_path,
        "Gemeente Atlantis,ja,ja,1,0,A. Visser,secretaris,,",
        "Tilburg,ja,nee,1,0,Wim de Vries,gemeentesecretaris,,",
        "Breda,ja,ja,-1,twee,Els Jansen,directeur,,",
        "Oss,misschien,,,,,,,",
        "Eindhoven,ja,ja,0,2,Anna Bakker,gemeentesecretaris,,",
        "eindhoven,nee,,,,Anna Bakker,gemeentesecretaris,,",
    )
    result = import_commitments(path, "2027", session=session, at=AT)
    session.commit()

    assert result.tally.line() == "imported=1 updated=0 unchanged=0 rejected=5"
    reasons = [rejection.reason for rejection in result.rejections]
    assert reasons[0] == (
        "row 2, field 'organisation': unknown organisation 'Gemeente Atlantis'; "
        "give its code or name"
    )
    assert reasons[1] == (
        "row 3, field 'agrees_to_costs': Ga akkoord met de kostenbijdrage om mee te doen."
    )
    assert reasons[2] == (
        "row 4, field 'vacancies_ro': Vul bij Ruimtelijke Ordening een heel getal in van 0 tot "
        "en met 50.; field 'vacancies_vm': Vul bij Verkeer en Mobiliteit een heel getal in van 0 "
        "tot en met 50."
    )
    assert reasons[3].startswith("row 5, field 'takes_part': Geef aan of uw organisatie meedoet.")
    assert "field 'signed_by_name'" in reasons[3]
    assert reasons[4] == "row 7, field 'organisation': 'Eindhoven' is already on row 6"
    assert _versions(session) == 1
    assert session.scalar(select(func.count()).select_from(Commitment)) == 1
    written = _rejected(result.rejected_file)
    assert [row["row"] for row in written] == ["2", "3", "4", "5", "7"]
    assert written[2]["vacancies_vm"] == "twee"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_rvg_import_contacts(database_url, tmp_path):
    assert run_rvg("db", "upgrade", database_url=database_url).returncode == 0
    assert run_rvg("organisations", "load", database_url=database_url).returncode == 0
    path = _contacts_file(
        tmp_path,
        "GM0855;secretary;Renée Smeets;renee@tilburg.nl;",
        "Breda;buddy;Sanne Vos;niet-een-adres;",
    )

    result = run_rvg("import", "contacts", str(path), database_url=database_url)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    counts, _, written = lines[-1].partition(" rejected_rows=")
    assert counts == "imported=1 updated=0 unchanged=0 rejected=1"
    assert Path(written).parent == rejected_folder() and Path(written).is_file()
    assert "row 3, field 'email': not a valid e-mail address" in result.stderr


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_rvg_import_refuses_a_file_without_a_required_column(database_url, tmp_path):
    assert run_rvg("db", "upgrade", database_url=database_url).returncode == 0
    assert run_rvg("organisations", "load", database_url=database_url).returncode == 0
    path = _csv(
        tmp_path / "contacts.csv", ["GM0855;secretary;renee@tilburg.nl"], "organisation;role;email"
    )

    result = run_rvg("import", "contacts", str(path), database_url=database_url)

    assert result.returncode == 2
    assert str(path) in result.stderr
    assert "missing required column(s): name" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "contacts.csv.rejected.csv").exists()
    engine = make_engine(database_url)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Contact)) == 0
    engine.dispose()

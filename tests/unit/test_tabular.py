"""Reading import files as offices produce them, and writing back the rejected rows."""

import codecs
import csv
import re
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from rvg.errors import UserError
from rvg.imports.tabular import Rejection, Row, parse_date, read_table, write_rejected

REQUIRED = ("organisation", "name", "email")
OPTIONAL = ("phone",)


def _write(path, text: str, encoding: str = "utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def _read(*args):
    """The table and its rows, read once (``rows`` is consumed as it is read)."""
    table = read_table(*args)
    return table, list(table.rows)


def _values(rows) -> list[tuple[int, dict[str, str]]]:
    return [(row.number, row.values) for row in rows]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_csv_in_every_encoding_and_separator(tmp_path, encoding, separator):
    lines = [
        ["organisation", "name", "email", "phone"],
        ["Tilburg", "Renée Smeets", "renee@tilburg.nl", "013 123 4567"],
        ["'s-Hertogenbosch", "Joël de Wit, MSc", "joel@s-hertogenbosch.nl", ""],
    ]
    text = "\r\n".join(separator.join(_quoted(cell, separator) for cell in line) for line in lines)
    path = _write(tmp_path / "contacts.csv", text + "\r\n", encoding)

    table, rows = _read(path, REQUIRED, OPTIONAL)

    assert table.columns == ["organisation", "name", "email", "phone"]
    assert _values(rows)[0] == (
        2,
        {
            "organisation": "Tilburg",
            "name": "Renée Smeets",
            "email": "renee@tilburg.nl",
            "phone": "013 123 4567",
        },
    )
    assert rows[1].values["name"] == "Joël de Wit, MSc"


def _quoted(cell: str, separator: str) -> str:
    return f'"{cell}"' if separator in cell or "," in cell else cell


def test_header_matched_ignoring_case_and_spaces_extra_columns_listed(tmp_path):
    path = _write(
        tmp_path / "contacts.csv",
        " Organisation ;NAME;E-mail adres;Email;Opmerking\nTilburg;Renée;x;renee@tilburg.nl;hoi\n",
    )
    table, rows = _read(path, REQUIRED, OPTIONAL)
    assert table.columns == ["organisation", "name", "email"]
    assert table.ignored_columns == ["E-mail adres", "Opmerking"]
    assert rows[0].values == {
        "organisation": "Tilburg",
        "name": "Renée",
        "email": "renee@tilburg.nl",
        "phone": "",
    }


def test_empty_rows_are_skipped_but_keep_their_row_numbers(tmp_path):
    path = _write(
        tmp_path / "contacts.csv",
        "organisation,name,email\nA,a,a@x.nl\n\n,  ,\nB,b,b@x.nl\nC,c\n",
    )
    _table, rows = _read(path, REQUIRED)
    assert [(number, values["organisation"]) for number, values in _values(rows)] == [
        (2, "A"),
        (5, "B"),
        (6, "C"),
    ]
    assert rows[2].values["email"] == ""


def test_xlsx_first_sheet_with_dates_and_numbers_as_text(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Organisation", "Name", "Email", "Phone", "Signed on", "Vacancies"])
    sheet.append(["Tilburg", "Renée", "renee@tilburg.nl", 131234567, date(2027, 9, 6), 3])
    sheet.append([])
    sheet.append(["Breda", "Bas", "bas@breda.nl", None, datetime(2027, 9, 6, 14, 30), 2.0])
    sheet.append(["Oss", "Olga", "olga@oss.nl", None, None, 2.5])
    workbook.create_sheet("Ignored").append(["organisation"])
    path = tmp_path / "contacts.xlsx"
    workbook.save(path)

    _table, rows = _read(path, REQUIRED, [*OPTIONAL, "signed on", "vacancies"])

    assert [number for number, _ in _values(rows)] == [2, 4, 5]
    first, second, third = (row.values for row in rows)
    assert (first["phone"], first["signed on"], first["vacancies"]) == (
        "131234567",
        "2027-09-06",
        "3",
    )
    assert (second["phone"], second["signed on"], second["vacancies"]) == (
        "",
        "2027-09-06 14:30:00",
        "2",
    )
    assert third["vacancies"] == "2.5"


def test_missing_required_column_names_it_and_the_columns_found(tmp_path):
    path = _write(tmp_path / "contacts.csv", "organisation;naam;email\nTilburg;Renée;r@t.nl\n")
    with pytest.raises(UserError) as raised:
        read_table(path, REQUIRED, OPTIONAL)
    message = str(raised.value)
    assert str(path) in message
    assert "missing required column(s): name" in message
    assert "columns found: organisation, naam, email" in message


def test_a_known_column_twice_is_refused(tmp_path):
    path = _write(tmp_path / "contacts.csv", "organisation,name,email,Email\nA,a,a@x.nl,b@x.nl\n")
    with pytest.raises(UserError, match="column 'Email' appears more than once"):
        read_table(path, REQUIRED)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("contacts.pdf", b"%PDF-1.7", "unsupported file type '.pdf': save it as .csv or .xlsx"),
        ("contacts", b"organisation", "unsupported file type (no extension)"),
        ("contacts.xlsx", b"organisation,name\n", "not a readable XLSX file"),
        ("contacts.csv", b"PK\x03\x04\x00\x00\x00", "not a text file"),
    ],
)
def test_unusable_files_are_refused_with_their_name(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserError, match=re.escape(expected)) as raised:
        read_table(path, REQUIRED)
    assert str(path) in str(raised.value)


def test_missing_file(tmp_path):
    with pytest.raises(UserError, match="file not found"):
        read_table(tmp_path / "nowhere.csv", REQUIRED)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("06-09-2027", date(2027, 9, 6)),
        ("6-9-2027", date(2027, 9, 6)),
        ("06/09/2027", date(2027, 9, 6)),
        ("2027-09-06", date(2027, 9, 6)),
        (" 29-02-2028 ", date(2028, 2, 29)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("6-9-27", "'6-9-27' is not a date; write it as dd-mm-yyyy or yyyy-mm-dd"),
        ("06-09/2027", "not a date"),
        ("september 2027", "not a date"),
        ("31-09-2027", "'31-09-2027' is not a valid date (day is out of range for month)"),
        ("2027-13-01", "not a valid date"),
    ],
)
def test_parse_date_refuses(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_date(text)


def test_rejected_rows_are_written_owner_only_with_formulas_neutralised(tmp_path):
    row = Row(7, {"organisation": "Tilburg", "name": '=HYPERLINK("http://x")', "email": "r@"})
    reason = "row 7, field 'email': not a valid e-mail address (...)"

    written = write_rejected(
        tmp_path / "rejected", "20270415-contacts-ab12.csv", [Rejection(row, reason)]
    )

    assert written == tmp_path / "rejected" / "20270415-contacts-ab12.csv"
    assert written.read_bytes().startswith(b"\xef\xbb\xbf")
    assert written.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "rejected").stat().st_mode & 0o777 == 0o700
    with written.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [
            ["row", "organisation", "name", "email", "reason"],
            ["7", "Tilburg", '\'=HYPERLINK("http://x")', "r@", reason],
        ]


def test_rejected_file_read_back_as_an_import(tmp_path):
    row = Row(3, {"organisation": "Tilburg", "name": "", "email": "r@t.nl", "phone": ""})
    written = write_rejected(tmp_path, "x.csv", [Rejection(row, "row 3, field 'name': empty")])
    again = read_table(written, REQUIRED, OPTIONAL)
    assert again.ignored_columns == ["row", "reason"]
    assert next(again.rows).values == row.values


def test_rows_with_control_characters_are_refused(tmp_path):
    text = (
        "organisation,name,email,notes\n"
        "Tilburg,Ren\x1bée,renee@tilburg.nl,\n"
        "Breda,Bas,bas@breda.nl,ignored \x07 column\n"
        "Oss,Ol\x85ga,olga@oss.nl,\n"
        "Best,Bea,bea@best.nl\x00,\n" + "Eindhoven,Eva,eva@eindhoven.nl,\n" * 10
    )
    table, rows = _read(_write(tmp_path / "contacts.csv", text), REQUIRED, OPTIONAL)
    assert [row.number for row in rows] == [3, *range(6, 16)]  # other columns: ignored
    assert [item.reason for item in table.refused] == [
        "row 2, field 'name': holds the invisible control character U+001B; remove it",
        "row 4, field 'name': holds the invisible control character U+0085; remove it",
        "row 5, field 'email': holds the invisible control character U+0000; remove it",
    ]


def test_xlsx_formula_without_a_stored_value_says_so(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["organisation", "name", "email"])
    sheet.append(["Tilburg", '=CONCAT("Ren";"ée")', "renee@tilburg.nl"])  # never calculated
    sheet.append(["Breda", "Bas", "bas@breda.nl"])
    path = tmp_path / "contacts.xlsx"
    workbook.save(path)

    table, rows = _read(path, REQUIRED, OPTIONAL)

    assert [row.number for row in rows] == [3]
    assert [item.reason for item in table.refused] == [
        "row 2, field 'name': formula without a stored value; save the file in Excel first"
    ]


def _contacts_xlsx(path, rows=(("Tilburg", "Renée", "renee@tilburg.nl"),)):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["organisation", "name", "email", "phone"])
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def _rewrite_sheet(path, change) -> None:
    """Rewrite the first sheet's XML of an XLSX file with ``change`` (bytes -> bytes, or an
    iterator of chunks), keeping every other part."""
    original = path.with_suffix(".orig")
    path.rename(original)
    with (
        zipfile.ZipFile(original) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename != "xl/worksheets/sheet1.xml":
                target.writestr(item, data)
                continue
            with target.open(item.filename, "w", force_zip64=True) as part:
                changed = change(data)
                for chunk in [changed] if isinstance(changed, bytes) else changed:
                    part.write(chunk)
    original.unlink()


def test_a_number_cell_that_is_no_number_is_its_rows_problem(tmp_path):
    path = _contacts_xlsx(
        tmp_path / "contacts.xlsx",
        [("Tilburg", "Renée", "renee@tilburg.nl", 1), ("Breda", "Bas", "bas@breda.nl", 2)],
    )
    _rewrite_sheet(path, lambda xml: xml.replace(b"<v>1</v>", b"<v>NaN</v>"))

    table, rows = _read(path, REQUIRED, OPTIONAL)

    assert [row.number for row in rows] == [3]
    assert [item.reason for item in table.refused] == [
        "row 2, field 'phone': holds 'NaN', which is not a number Excel wrote; type the value again"
    ]


def test_an_xlsx_that_unpacks_far_beyond_its_size_is_refused_before_reading(tmp_path):
    """A few hundred KB that would unpack to 200 MB of sheet: refused from the archive's
    directory, before a byte of it is unpacked."""
    path = _contacts_xlsx(tmp_path / "bom.xlsx")
    blank = b" " * (1024 * 1024)

    def padded(xml: bytes):
        head, tail = xml.split(b"<sheetData>", 1)
        yield head + b"<sheetData>"
        for _ in range(200):
            yield blank
        yield tail

    _rewrite_sheet(path, padded)
    assert path.stat().st_size < 1024 * 1024

    with pytest.raises(UserError, match=r"unpacks to \d[\d,]* times its size \(at most 200\)"):
        read_table(path, REQUIRED, OPTIONAL)


def test_an_xlsx_that_unpacks_beyond_the_limit_in_all_is_refused(tmp_path, monkeypatch):
    import rvg.imports.tabular as tabular

    path = _contacts_xlsx(tmp_path / "contacts.xlsx")
    monkeypatch.setattr(tabular, "MAX_UNPACKED_BYTES", 4096)
    with pytest.raises(UserError, match="more than the 0 MB an XLSX import reads"):
        read_table(path, REQUIRED, OPTIONAL)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_with_more_rows_than_the_limit_stops_with_a_message(tmp_path, monkeypatch, kind):
    monkeypatch.setenv("RVG_IMPORT_MAX_ROWS", "5")
    rows = [(f"Gemeente {n}", f"Naam {n}", f"n{n}@example.org") for n in range(6)]
    if kind == "csv":
        lines = ["organisation,name,email", *(",".join(row) for row in rows)]
        path = _write(tmp_path / "contacts.csv", "\n".join(lines))
    else:
        path = _contacts_xlsx(tmp_path / "contacts.xlsx", rows)
    table = read_table(path, REQUIRED, OPTIONAL)
    with pytest.raises(UserError, match="more than 5 rows after the header; nothing was imported"):
        list(table.rows)
    monkeypatch.setenv("RVG_IMPORT_MAX_ROWS", "6")
    assert len(list(read_table(path, REQUIRED, OPTIONAL).rows)) == 6


def test_a_utf8_marker_before_windows_1252_text_says_what_is_wrong(tmp_path):
    text = "organisation,name,email\nTilburg,Renée,renee@tilburg.nl\n"
    path = tmp_path / "contacts.csv"
    path.write_bytes(codecs.BOM_UTF8 + text.encode("cp1252"))
    with pytest.raises(UserError) as refused:
        read_table(path, REQUIRED, OPTIONAL)
    message = str(refused.value)
    assert "starts with the UTF-8 marker (BOM) but is not UTF-8" in message
    assert "byte 0xE9 on line 2" in message and "ï»¿" not in message

"""Reading tables as Dutch offices produce them, and keeping the rows that were rejected.

CSV comes as UTF-8 (with or without BOM), Windows-1252 or, from Excel's "Unicode text", UTF-16,
separated by commas, semicolons (Dutch Excel) or tabs; XLSX is read from its first sheet.
Row numbers are the ones a person sees in Excel or a text editor: the header is row 1.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import secrets
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy.orm import Session

from rvg import clock
from rvg.errors import ConfigError, UserError
from rvg.inputs import control_character
from rvg.models import RejectedFile
from rvg.settings import load_settings
from rvg.spreadsheets import spreadsheet_writer
from rvg.tally import Tally

CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
SEPARATORS = (",", ";", "\t")


@dataclass(frozen=True)
class Row:
    """One data row: ``number`` as Excel shows it, ``values`` by column in the file's order."""

    number: int
    values: dict[str, str]


@dataclass
class Table:
    """A file's header, read at once, and its rows, read as they are consumed (once).

    ``refused`` fills while ``rows`` is read: look at it after the last row.
    """

    columns: list[str]  # the known columns the file has, by their names in lower case
    rows: Iterator[Row]
    ignored_columns: list[str] = field(default_factory=list)  # as written in the file
    refused: list[Rejection] = field(default_factory=list)  # rows no import can read


FORMULA_WITHOUT_VALUE = "formula without a stored value; save the file in Excel first"


@dataclass(frozen=True)
class Rejection:
    row: Row
    reason: str  # "row 7, field 'email': ..."


@dataclass(frozen=True)
class ImportResult:
    tally: Tally
    rejected_file: Path | None
    rejections: list[Rejection] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def read_table(path: Path, required: Sequence[str], optional: Sequence[str] = ()) -> Table:
    """The non-empty rows of a CSV or XLSX file; ConfigError when the file is unusable.

    A row whose known columns hold a control character, or (XLSX) a formula whose value was
    never stored, is in ``refused`` with its reason instead of ``rows``; ``finish`` counts it.
    """
    cells, formulas = _read_cells(path)
    header = next(cells, [])
    wanted = [_normal(name) for name in (*required, *optional)]
    positions, ignored = _match_header(path, header, wanted, [_normal(n) for n in required])
    columns = sorted(positions, key=positions.__getitem__)
    names = [*columns, *(name for name in wanted if name not in positions)]
    refused: list[Rejection] = []
    rows = _rows(cells, names, positions, formulas, refused)
    return Table(columns=columns, rows=rows, ignored_columns=ignored, refused=refused)


def _rows(
    cells: Iterable[list[str]],
    names: list[str],
    positions: dict[str, int],
    formulas: set[tuple[int, int]],
    refused: list[Rejection],
) -> Iterator[Row]:
    present = [(name, positions[name]) for name in names if name in positions]
    width = max(positions.values(), default=-1) + 1
    missing = {name: "" for name in names if name not in positions}
    for index, raw in enumerate(cells, start=1):
        if not any(raw) and not any((index, at) in formulas for at in positions.values()):
            continue
        if len(raw) >= width:
            values = {name: raw[at] for name, at in present} | missing
        else:  # a short line: the cells it lacks are empty
            values = {name: _at(raw, positions.get(name)) for name in names}
        row = Row(index + 1, values)
        problems = _unreadable(row, index, positions, formulas)
        if problems:
            refused.append(reject(row, problems))
        else:
            yield row


def _unreadable(
    row: Row, index: int, positions: dict[str, int], formulas: set[tuple[int, int]]
) -> list[tuple[str, str]]:
    """Why cells of a known column cannot be read as what a person typed."""
    if not formulas and not control_character("".join(row.values.values())):
        return []  # the common case, checked at once
    problems = []
    for name, position in positions.items():
        if (index, position) in formulas:
            problems.append((name, FORMULA_WITHOUT_VALUE))
        elif found := control_character(row.values[name]):
            problems.append((name, f"holds the invisible control character {found}; remove it"))
    return problems


def _normal(name: str) -> str:
    return " ".join(name.split()).casefold()


def _at(raw: list[str], position: int | None) -> str:
    return raw[position] if position is not None and position < len(raw) else ""


def _match_header(
    path: Path, header: list[str], wanted: list[str], required: list[str]
) -> tuple[dict[str, int], list[str]]:
    """Where each wanted column is, and the other (ignored) columns; all problems at once."""
    positions: dict[str, int] = {}
    ignored: list[str] = []
    problems = []
    for position, name in enumerate(header):
        normal = _normal(name)
        if normal in positions:
            problems.append(f"column {name!r} appears more than once")
        elif normal in wanted:
            positions[normal] = position
        elif normal:
            ignored.append(name)
    missing = [name for name in required if name not in positions]
    if missing:
        found = ", ".join(name for name in header if name) or "(none)"
        problems.append(
            f"missing required column(s): {', '.join(missing)} (columns found: {found})"
        )
    if problems:
        raise ConfigError(str(path), problems)
    return positions, ignored


def _read_cells(path: Path) -> tuple[Iterator[list[str]], set[tuple[int, int]]]:
    """Every row of the file as stripped texts, empty rows included so numbers stay true,
    and the (row, column) positions of XLSX formulas without a stored value. A CSV file's
    rows are parsed as they are read; the file itself is read and decoded at once."""
    if not path.is_file():
        raise ConfigError(str(path), ["file not found"])
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        cells, formulas = _xlsx_cells(path)
        return iter(cells), formulas
    if suffix in CSV_SUFFIXES:
        return _csv_cells(path), set()
    kind = repr(suffix) if suffix else "(no extension)"
    raise ConfigError(str(path), [f"unsupported file type {kind}: save it as .csv or .xlsx"])


def _csv_cells(path: Path) -> Iterator[list[str]]:
    return _csv_rows(path, _decode(path))  # the file is read and decoded before any row


def _csv_rows(path: Path, text: str) -> Iterator[list[str]]:
    first_line = text.partition("\n")[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(first_line))
    try:
        for row in reader:
            yield [cell.strip() for cell in row]
    except csv.Error as exc:
        raise ConfigError(
            str(path), [f"line {reader.line_num}: not readable as CSV ({exc})"]
        ) from None


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(str(path), [f"cannot read the file ({exc.strerror})"]) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Many NULs mean UTF-16 without its BOM or a binary file; a stray one is a row's problem.
        if text.count("\x00") * 100 <= len(text):
            return text
    raise ConfigError(str(path), ["not a text file in UTF-8 or Windows-1252: save it as CSV"])


def _separator(header_line: str) -> str:
    """The separator that occurs most in the header line outside quotes; comma on a tie."""
    unquoted = re.sub(r'"[^"]*"', "", header_line)
    return max(SEPARATORS, key=unquoted.count)


def _xlsx_cells(path: Path) -> tuple[list[list[str]], set[tuple[int, int]]]:
    cells = [[_cell_text(value) for value in row] for row in _xlsx_rows(path, formulas=False)]
    formulas: set[tuple[int, int]] = set()
    if _has_formulas(path):  # a second pass, only then: the formulas themselves
        for index, row in enumerate(_xlsx_rows(path, formulas=True)):
            for position, value in enumerate(row):
                empty = position >= len(cells[index]) or not cells[index][position]
                if empty and isinstance(value, str) and value.startswith("="):
                    formulas.add((index, position))
    return cells, formulas


def _xlsx_rows(path: Path, *, formulas: bool) -> list[tuple[object, ...]]:
    """The first sheet's rows: stored values, or with ``formulas`` the formulas as written."""
    from openpyxl import load_workbook  # only here: the CLI starts faster without it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=not formulas)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise ConfigError(str(path), [f"not a readable XLSX file ({exc})"]) from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some exporters write wrong dimensions; read every row
        return list(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet of the file holds a formula element (``<f>``)."""
    with zipfile.ZipFile(path) as archive:
        return any(
            b"<f>" in data or b"<f " in data
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
            for data in (archive.read(name),)
        )


def _cell_text(value: object) -> str:
    """A spreadsheet value as the text a person would type: dates ISO, ``3`` not ``3.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.time() == time.min:
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DUTCH_DATE = re.compile(r"(\d{1,2})([-/])(\d{1,2})\2(\d{4})")


@lru_cache(maxsize=4096)  # an export holds a few hundred distinct dates
def parse_date(text: str) -> date:
    """A date written as dd-mm-yyyy, d-m-yyyy, dd/mm/yyyy or yyyy-mm-dd; else ValueError."""
    value = text.strip()
    if iso := _ISO_DATE.fullmatch(value):
        year, month, day = iso.groups()
    elif dutch := _DUTCH_DATE.fullmatch(value):
        day, _, month, year = dutch.groups()
    else:
        raise ValueError(f"{value!r} is not a date; write it as dd-mm-yyyy or yyyy-mm-dd")
    try:
        return date(int(year), int(month), int(day))
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a valid date ({exc})") from None


def date_cell(
    values: dict[str, str], name: str, problems: list[tuple[str, str]], *, required: bool = False
) -> date | None:
    """The date in cell ``name``, or None with the problem appended (an empty cell is one
    only when ``required``)."""
    if not values[name]:
        if required:
            problems.append((name, "is empty; write the date as dd-mm-yyyy or yyyy-mm-dd"))
        return None
    try:
        return parse_date(values[name])
    except ValueError as exc:
        problems.append((name, str(exc)))
        return None


def reject(row: Row, problems: Sequence[tuple[str, str]]) -> Rejection:
    """A rejection naming the row and each (field, message) problem."""
    fields = "; ".join(f"field {name!r}: {message}" for name, message in problems)
    return Rejection(row, f"row {row.number}, {fields}")


REJECTED_FOLDER = "rejected"
REJECTED_DAYS = 28  # as long as the retention rules keep an ended procedure's data


def rejected_folder() -> Path:
    """The managed folder of rejected-row files, under the data directory (never beside the
    file a user gave: those rows hold names and addresses, and the retention run deletes them)."""
    return load_settings().data_dir / REJECTED_FOLDER


def write_rejected(folder: Path, name: str, rejected: list[Rejection]) -> Path:
    """Write the rejected rows to ``folder/name`` as CSV (UTF-8 with BOM), owner-only."""
    target = folder / name
    columns = list(dict.fromkeys(name for item in rejected for name in item.row.values))
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(descriptor, "w", encoding="utf-8-sig", newline="") as handle:
            writer = spreadsheet_writer(handle)
            writer.writerow(["row", *columns, "reason"])
            for item in rejected:
                values = [item.row.values.get(name, "") for name in columns]
                writer.writerow([item.row.number, *values, item.reason])
    except OSError as exc:
        raise UserError(f"{target}: cannot write the rejected rows ({exc.strerror})") from None
    return target


def delete_rejected_file(name: str) -> None:
    """Delete a rejected-row file of the managed folder (gone already is fine)."""
    (rejected_folder() / Path(name).name).unlink(missing_ok=True)


def finish(
    table: Table,
    tally: Tally,
    rejected: list[Rejection],
    *,
    session: Session,
    kind: str,
    cohort_id: int | None = None,
    at: datetime | None = None,
) -> ImportResult:
    """The result of an import; rejected rows are written to the managed folder and registered
    (``RejectedFile``) for deletion after ``REJECTED_DAYS``.

    The rows ``read_table`` refused are counted as rejected here, in row order with the rest.
    """
    tally.rejected += len(table.refused)
    rejected = sorted([*table.refused, *rejected], key=lambda item: item.row.number)
    written = None
    if rejected:
        at = at or clock.utcnow()
        name = f"{at:%Y%m%dT%H%M%S}-{kind}-{secrets.token_hex(4)}.csv"
        written = write_rejected(rejected_folder(), name, rejected)
        session.add(
            RejectedFile(
                cohort_id=cohort_id,
                kind=kind,
                file_name=name,
                rows=len(rejected),
                written_at=at,
                delete_after=clock.today(at) + timedelta(days=REJECTED_DAYS),
            )
        )
        session.flush()
    return ImportResult(
        tally=tally,
        rejected_file=written,
        rejections=rejected,
        ignored_columns=table.ignored_columns,
    )

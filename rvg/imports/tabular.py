"""Reading tables as Dutch offices produce them, and keeping the rows that were rejected.

CSV comes as UTF-8 (with or without BOM), Windows-1252 or, from Excel's "Unicode text", UTF-16,
separated by commas, semicolons (Dutch Excel) or tabs; XLSX is read from its first sheet.
Row numbers are the ones a person sees in Excel or a text editor: the header is row 1.

Reading is bounded, whatever the file holds: an XLSX sheet is read as a stream (never whole),
an archive whose unpacked size or compression ratio passes ``MAX_UNPACKED_BYTES`` or
``MAX_RATIO`` is refused before it is opened (a "zip bomb"), a CSV file over ``MAX_CSV_BYTES``
is refused before it is read, and a file with more rows than ``RVG_IMPORT_MAX_ROWS`` (default
200,000) stops with a message; the import's transaction then stores nothing. A cell the
spreadsheet cannot read (a number cell holding ``NaN``) is its row's problem, named by field.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import os
import re
import secrets
import zipfile
from collections.abc import Iterator, Sequence
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
    never stored or a cell the spreadsheet cannot read, is in ``refused`` with its reason
    instead of ``rows``; ``finish`` counts it.
    """
    sheet = _read_cells(path)
    header = next(sheet.rows, [])
    wanted = [_normal(name) for name in (*required, *optional)]
    positions, ignored = _match_header(path, header, wanted, [_normal(n) for n in required])
    columns = sorted(positions, key=positions.__getitem__)
    names = [*columns, *(name for name in wanted if name not in positions)]
    refused: list[Rejection] = []
    rows = _rows(path, sheet, names, positions, refused, max_rows())
    return Table(columns=columns, rows=rows, ignored_columns=ignored, refused=refused)


def max_rows() -> int:
    return load_settings().import_max_rows


@dataclass
class _Sheet:
    """A file's rows as stripped texts (empty rows included, so numbers stay true), read as
    they are consumed, and the cells found unreadable so far by (row index, column); a row's
    problems are known by the time the row is yielded."""

    rows: Iterator[list[str]]
    problems: dict[tuple[int, int], str] = field(default_factory=dict)


def _rows(
    path: Path,
    sheet: _Sheet,
    names: list[str],
    positions: dict[str, int],
    refused: list[Rejection],
    limit: int,
) -> Iterator[Row]:
    present = [(name, positions[name]) for name in names if name in positions]
    width = max(positions.values(), default=-1) + 1
    missing = {name: "" for name in names if name not in positions}
    problems = sheet.problems
    for index, raw in enumerate(sheet.rows, start=1):
        if index > limit:
            raise ConfigError(
                str(path),
                [
                    f"more than {limit:,} rows after the header; nothing was imported. Split "
                    "the file, or raise RVG_IMPORT_MAX_ROWS if a file this large is expected"
                ],
            )
        if not any(raw) and not any((index, at) in problems for at in positions.values()):
            continue
        if len(raw) >= width:
            values = {name: raw[at] for name, at in present} | missing
        else:  # a short line: the cells it lacks are empty
            values = {name: _at(raw, positions.get(name)) for name in names}
        row = Row(index + 1, values)
        unreadable = _unreadable(row, index, positions, problems)
        if unreadable:
            refused.append(reject(row, unreadable))
        else:
            yield row


def _unreadable(
    row: Row, index: int, positions: dict[str, int], problems: dict[tuple[int, int], str]
) -> list[tuple[str, str]]:
    """Why cells of a known column cannot be read as what a person typed."""
    if not problems and not control_character("".join(row.values.values())):
        return []  # the common case, checked at once
    found = []
    for name, position in positions.items():
        if cell := problems.get((index, position)):
            found.append((name, cell))
        elif control := control_character(row.values[name]):
            found.append((name, f"holds the invisible control character {control}; remove it"))
    return found


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


def _read_cells(path: Path) -> _Sheet:
    """The rows of a CSV or XLSX file, read as they are consumed."""
    if not path.is_file():
        raise ConfigError(str(path), ["file not found"])
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return _xlsx_sheet(path)
    if suffix in CSV_SUFFIXES:
        return _Sheet(_csv_cells(path))
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


MAX_CSV_BYTES = 256 * 1024 * 1024  # 200,000 rows of an agency export take about 40 MB


def _decode(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise ConfigError(
                str(path),
                [
                    f"{size / 2**20:,.0f} MB is larger than the {MAX_CSV_BYTES // 2**20} MB a CSV "
                    "import reads; split the file"
                ],
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(str(path), [f"cannot read the file ({exc.strerror})"]) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    elif data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]  # the marker promises UTF-8: never read it as Windows-1252
    else:
        encodings = ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            if encoding == "utf-8-sig":
                raise ConfigError(str(path), [_not_utf8(data)]) from None
            continue
        # Many NULs mean UTF-16 without its BOM or a binary file; a stray one is a row's problem.
        if text.count("\x00") * 100 <= len(text):
            return text
    raise ConfigError(str(path), ["not a text file in UTF-8 or Windows-1252: save it as CSV"])


def _not_utf8(data: bytes) -> str:
    """What is wrong with ``data``, which starts with the UTF-8 marker but is not UTF-8."""
    body = data[len(codecs.BOM_UTF8) :]
    try:
        body.decode("utf-8")
        at = 0
    except UnicodeDecodeError as error:
        at = error.start
    line = body.count(b"\n", 0, at) + 1
    return (
        f"the file starts with the UTF-8 marker (BOM) but is not UTF-8: byte "
        f"0x{body[at]:02X} on line {line} is not valid UTF-8 (the rest was probably "
        "saved as Windows-1252). Save it again as 'CSV UTF-8' (or as CSV without the marker)"
    )


def _separator(header_line: str) -> str:
    """The separator that occurs most in the header line outside quotes; comma on a tie."""
    unquoted = re.sub(r'"[^"]*"', "", header_line)
    return max(SEPARATORS, key=unquoted.count)


# An XLSX file is a zip archive of XML. Its parts unpack to about 5 to 30 times their
# compressed size; a part that unpacks to more than MAX_RATIO times, or an archive that
# unpacks to more than MAX_UNPACKED_BYTES in all, is refused before it is opened.
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200
_RATIO_FROM_BYTES = 1024 * 1024  # tiny parts may compress better; they cannot hurt
_FORMULA_TAGS = (b"<f>", b"<f ")
_CHUNK = 1024 * 1024
UNREADABLE_NUMBER = "holds {text!r}, which is not a number Excel wrote; type the value again"


def _xlsx_sheet(path: Path) -> _Sheet:
    """The first sheet's rows as texts, streamed; with formulas in the file, a second stream
    of the same sheet in step with the first gives the formulas whose value was never stored."""
    _refuse_bombs(path)
    sheet = _Sheet(iter(()))
    values = _xlsx_rows(path, formulas=False)
    written = _xlsx_rows(path, formulas=True) if _has_formulas(path) else None
    sheet.rows = _xlsx_texts(values, written, sheet.problems)
    return sheet


def _xlsx_texts(
    values: Iterator[tuple[object, ...]],
    written: Iterator[tuple[object, ...]] | None,
    problems: dict[tuple[int, int], str],
) -> Iterator[list[str]]:
    for index, row in enumerate(values):
        texts = []
        for position, value in enumerate(row):
            if isinstance(value, _UnreadableNumber) or (
                isinstance(value, float) and not math.isfinite(value)
            ):
                problems[(index, position)] = UNREADABLE_NUMBER.format(text=str(value)[:40])
                value = None
            texts.append(_cell_text(value))
        if written is not None:
            for position, formula in enumerate(next(written, ())):
                empty = position >= len(texts) or not texts[position]
                if empty and isinstance(formula, str) and formula.startswith("="):
                    problems.setdefault((index, position), FORMULA_WITHOUT_VALUE)
        yield texts


def _refuse_bombs(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ConfigError(str(path), [f"not a readable XLSX file ({exc})"]) from None
    total = sum(part.file_size for part in parts)
    if total > MAX_UNPACKED_BYTES:
        raise ConfigError(
            str(path),
            [
                f"unpacks to {total / 2**20:,.0f} MB, more than the "
                f"{MAX_UNPACKED_BYTES // 2**20:,} MB an XLSX import reads; split the file or "
                "save it as CSV"
            ],
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > _RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise ConfigError(
                str(path),
                [
                    f"part {part.filename!r} unpacks to {ratio:,.0f} times its size (at most "
                    f"{MAX_RATIO}); this is not a spreadsheet an office saves. Save it again "
                    "from Excel, or as CSV"
                ],
            )


def _xlsx_rows(path: Path, *, formulas: bool) -> Iterator[tuple[object, ...]]:
    """The first sheet's rows, streamed: stored values, or with ``formulas`` the formulas as
    written. The workbook is closed when the rows have been read (or the reader is dropped)."""
    from openpyxl import load_workbook  # only here: the CLI starts faster without it
    from openpyxl.utils.exceptions import InvalidFileException

    _read_unreadable_numbers()
    try:
        workbook = load_workbook(path, read_only=True, data_only=not formulas)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ConfigError(str(path), [f"not a readable XLSX file ({exc})"]) from None
    if not workbook.worksheets:
        workbook.close()
        raise ConfigError(str(path), ["the workbook has no worksheet"])
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()  # some exporters write wrong dimensions; read every row

    def rows() -> Iterator[tuple[object, ...]]:
        try:
            yield from sheet.iter_rows(values_only=True)
        except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:  # a broken sheet
            raise ConfigError(str(path), [f"not a readable XLSX file ({exc})"]) from None
        finally:
            workbook.close()

    return rows()


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet of the file holds a formula element (``<f>``), read in chunks."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with archive.open(name) as part:
                tail = b""
                while chunk := part.read(_CHUNK):
                    window = tail + chunk
                    if any(tag in window for tag in _FORMULA_TAGS):
                        return True
                    tail = window[-3:]
    return False


class _UnreadableNumber(str):
    """The text of a number cell that is no number (``<v>NaN</v>``), kept to be named."""


@lru_cache(maxsize=1)
def _read_unreadable_numbers() -> None:
    """openpyxl raises ValueError from deep inside its sheet reader for a number cell that
    holds no number, ending the whole read; this makes such a cell an _UnreadableNumber that
    the reader names as its row's problem. Its reader module looks the function up by name on
    every cell, so replacing it there is enough."""
    from openpyxl.worksheet import _reader

    cast = _reader._cast_number

    def tolerant(value: str) -> object:
        try:
            return cast(value)
        except ValueError:
            return _UnreadableNumber(value)

    _reader._cast_number = tolerant


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

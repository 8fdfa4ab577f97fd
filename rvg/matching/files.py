"""The files of ``rvg match``: two preference lists and the capacities in, the matching out.

C.csv ``candidate_id,organisation_id,rank``, O.csv ``organisation_id,candidate_id,rank``,
K.csv ``organisation_id,capacity``: UTF-8 with or without BOM, comma-separated, a header with
exactly these columns (any order, any case). Rank 1 is most preferred, ranks are unique
within one list. Row numbers are the ones a spreadsheet shows: the header is row 1.

Every problem of every file is collected before failing. Large valid files take a fast path
of checks on whole columns; only when one of them fails are the rows examined one by one, to
name the row and field of each problem.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping
from itertools import compress
from operator import ge, methodcaller, ne
from pathlib import Path

from rvg.errors import UserError
from rvg.matching.algorithm import Instance
from rvg.spreadsheets import spreadsheet_writer

CANDIDATE_COLUMNS = ("candidate_id", "organisation_id", "rank")
ORGANISATION_COLUMNS = ("organisation_id", "candidate_id", "rank")
CAPACITY_COLUMNS = ("organisation_id", "capacity")
OUTPUT_COLUMNS = ("candidate_id", "organisation_id")
LISTED = 20  # problems shown per file; the rest are counted
HEADER_CHARS = 65_536  # the header is read from the start of the text alone

Rows = list[list[str]]
Preferences = dict[str, list[str]]


class MatchInputError(UserError):
    """One or more input files are invalid; each problem names its file, row and field."""

    def __init__(self, problems: Mapping[str, list[str]]) -> None:
        self.problems = dict(problems)
        parts = []
        for file, found in self.problems.items():
            lines = [f"  - {problem}" for problem in found[:LISTED]]
            if len(found) > LISTED:
                lines.append(f"  - and {len(found) - LISTED} more")
            parts.append(f"{file}: {len(found)} problem(s)\n" + "\n".join(lines))
        super().__init__("\n".join(parts))


def read_instance(candidates: Path, organisations: Path, capacities: Path) -> Instance:
    """The matching instance of the three files, or MatchInputError listing all problems."""
    problems: dict[str, list[str]] = {}
    places, found = _capacities(capacities)
    if found:
        problems[str(capacities)] = found
    known = set(places) if places is not None else None
    candidate_prefs, found = _preferences(candidates, CANDIDATE_COLUMNS, 1, known)
    if found:
        problems[str(candidates)] = found
    organisation_prefs, found = _preferences(organisations, ORGANISATION_COLUMNS, 0, known)
    if found:
        problems[str(organisations)] = found
    if problems or places is None:
        raise MatchInputError(problems)
    return Instance(candidate_prefs, organisation_prefs, places)


def _read_text(path: Path) -> tuple[str, list[str]]:
    """The file's text without BOM, or the problem that stops reading it."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return "", ["file not found"]
    except OSError as exc:
        return "", [f"cannot read the file ({exc.strerror})"]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        row = raw.count(b"\n", 0, exc.start) + 1
        return "", [f"row {row}: not UTF-8 text (byte {exc.start}); save the file as UTF-8"]


def _header(text: str, columns: tuple[str, ...]) -> tuple[list[int], list[str]]:
    """Where each column is in the rows; the problems of the header if it is not right."""
    try:
        first = next(csv.reader(io.StringIO(text[:HEADER_CHARS], newline="")), [])
    except csv.Error as exc:
        return [], [f"row 1: {exc}"]
    header = [name.strip().lower() for name in first]
    problems = [f"row 1: missing column {name!r}" for name in columns if name not in header]
    problems += [f"row 1: unexpected column {name!r}" for name in header if name not in columns]
    problems += [
        f"row 1: column {name!r} appears more than once"
        for name in columns
        if header.count(name) > 1
    ]
    return ([], problems) if problems else ([header.index(name) for name in columns], [])


def _rows(text: str) -> tuple[Rows, list[str]]:
    """The data rows by the csv module (quotes, any line ending)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return list(reader)[1:], []
    except csv.Error as exc:
        return [], [f"row {reader.line_num}: {exc}"]


def _plain_columns(text: str, width: int) -> list[list[str]] | None:
    """The data as columns when the text has no quotes and ``width`` fields on every line.

    Splitting whole strings is many times faster than the csv module; anything unusual
    (quotes, blank lines, a wrong number of fields) returns None and goes the careful way.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if '"' in text or "\r" in text:
        return None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    body = lines[1:]
    if set(map(methodcaller("count", ","), body)) - {width - 1}:
        return None
    if not body:
        return [[] for _ in range(width)]
    fields = ",".join(body).split(",")
    return [fields[k::width] for k in range(width)]


def _blank(row: list[str]) -> bool:
    return not any(cell.strip() for cell in row)


def _width_problem(number: int, row: list[str], columns: tuple[str, ...]) -> str:
    return f"row {number}: expected {len(columns)} fields ({','.join(columns)}), found {len(row)}"


def _id_problem(value: str) -> str | None:
    if not value:
        return "empty"
    if value != value.strip():
        return f"{value!r} has spaces before or after it"
    return None


def _rank(text: str) -> int | None:
    """A rank or capacity written as plain digits, else None."""
    return int(text) if text.isascii() and text.isdigit() else None


def _capacities(path: Path) -> tuple[dict[str, int] | None, list[str]]:
    """Places per organisation; None when the file cannot be read at all."""
    text, problems = _read_text(path)
    positions, problems = _header(text, CAPACITY_COLUMNS) if not problems else ([], problems)
    rows, problems = _rows(text) if not problems else ([], problems)
    if problems:
        return None, problems
    org_at, places_at = positions
    places: dict[str, int] = {}
    first_row: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        if _blank(row):
            continue
        if len(row) != len(CAPACITY_COLUMNS):
            problems.append(_width_problem(number, row, CAPACITY_COLUMNS))
            continue
        org, text = row[org_at], row[places_at]
        wrong = _id_problem(org)
        if wrong:
            problems.append(f"row {number}, field 'organisation_id': {wrong}")
        elif org in first_row:
            problems.append(
                f"row {number}, field 'organisation_id': organisation {org!r} "
                f"already has a capacity in row {first_row[org]}"
            )
        else:
            first_row[org] = number
        value = _rank(text)
        if value is None:
            negative = text.startswith("-") and _rank(text[1:]) is not None
            what = "a negative capacity" if negative else "not a whole number of 0 or more"
            problems.append(f"row {number}, field 'capacity': {text!r} is {what}")
        if org and org not in places:
            places[org] = value or 0
    return places, problems


def _preferences(
    path: Path, columns: tuple[str, str, str], org_column: int, known: set[str] | None
) -> tuple[Preferences, list[str]]:
    """Each owner's list, most preferred first. ``org_column`` is 0 or 1 in ``columns``;
    ``known`` are the organisations with a capacity (None: unknown, not checked)."""
    text, problems = _read_text(path)
    positions, problems = _header(text, columns) if not problems else ([], problems)
    if problems:
        return {}, problems
    by_column = _plain_columns(text, len(columns))
    if by_column is not None:
        owners, others, ranks = (by_column[at] for at in positions)
        fast = _fast_preferences(owners, others, ranks, org_column, known)
        if fast is not None:
            return fast, []
    rows, problems = _rows(text)
    if problems:
        return {}, problems
    return _careful_preferences(rows, positions, columns, org_column, known)


def _fast_preferences(
    owners: list[str], others: list[str], ranks: list[str], org_column: int, known: set[str] | None
) -> Preferences | None:
    """The lists if checks on whole columns show they are valid, else None."""
    values = {}
    for text in set(ranks):
        value = _rank(text)
        if value is None or value < 1:
            return None
        values[text] = value
    ids = (set(owners), set(others))
    if known is not None and ids[org_column] - known:
        return None
    if any(_id_problem(value) for group in ids for value in group):
        return None
    rank_values = list(map(values.__getitem__, ranks))
    prefs = _sorted_runs(owners, others, rank_values, len(ids[0]))
    if prefs is None:
        prefs = _grouped(owners, others, rank_values)
    if prefs is None or any(len(set(ranked)) != len(ranked) for ranked in prefs.values()):
        return None
    return prefs


def _sorted_runs(
    owners: list[str], others: list[str], ranks: list[int], distinct: int
) -> Preferences | None:
    """The lists if each owner's rows are together and in rising rank (the usual export)."""
    n = len(owners)
    if not n:
        return {}
    starts = [0, *compress(range(1, n), map(ne, owners[1:], owners[:-1]))]
    if len(starts) != distinct:
        return None
    falls = compress(range(1, n), map(ge, ranks[:-1], ranks[1:]))
    if not set(falls) <= set(starts):
        return None
    ends = [*starts[1:], n]
    return {owners[s]: others[s:e] for s, e in zip(starts, ends, strict=True)}


def _grouped(owners: list[str], others: list[str], ranks: list[int]) -> Preferences | None:
    """The lists of rows in any order; None if a list has a tie."""
    grouped: dict[str, list[tuple[int, str]]] = {}
    for owner, other, rank in zip(owners, others, ranks, strict=True):
        entries = grouped.get(owner)
        if entries is None:
            grouped[owner] = [(rank, other)]
        else:
            entries.append((rank, other))
    prefs: Preferences = {}
    for owner, entries in grouped.items():
        entries.sort()
        if len({rank for rank, _ in entries}) != len(entries):
            return None
        prefs[owner] = [other for _, other in entries]
    return prefs


def _careful_preferences(
    rows: Rows,
    positions: list[int],
    columns: tuple[str, str, str],
    org_column: int,
    known: set[str] | None,
) -> tuple[Preferences, list[str]]:
    """Row by row, naming the row and field of every problem."""
    problems: list[str] = []
    by_rank: dict[str, dict[int, tuple[str, int]]] = {}  # owner -> rank -> (other, row)
    ranked_in: dict[tuple[str, str], int] = {}  # (owner, other) -> row
    owner_name = columns[0].removesuffix("_id")
    for number, row in enumerate(rows, start=2):
        if _blank(row):
            continue
        if len(row) != len(columns):
            problems.append(_width_problem(number, row, columns))
            continue
        cells = [row[at] for at in positions]
        found = [(columns[k], _id_problem(cells[k])) for k in (0, 1)]
        org = cells[org_column]
        if known is not None and org not in known and not found[org_column][1]:
            found[org_column] = (
                columns[org_column],
                f"unknown organisation {org!r} (not in the capacities file)",
            )
        rank = _rank(cells[2])
        if rank is None or rank < 1:
            found.append(("rank", f"{cells[2]!r} is not a whole number of 1 or more"))
        found = [(name, wrong) for name, wrong in found if wrong]
        problems += [f"row {number}, field {name!r}: {wrong}" for name, wrong in found]
        if found or rank is None:
            continue
        owner, other = cells[0], cells[1]
        earlier = ranked_in.get((owner, other))
        if earlier is not None:
            problems.append(
                f"row {number}, field {columns[1]!r}: {owner_name} {owner!r} ranks {other!r} "
                f"again (first in row {earlier}): duplicate pair"
            )
            continue
        ranked_in[owner, other] = number
        ranks = by_rank.setdefault(owner, {})
        if rank in ranks:
            problems.append(
                f"row {number}, field 'rank': {owner_name} {owner!r} gives rank {rank} to "
                f"{other!r} and to {ranks[rank][0]!r} in row {ranks[rank][1]}: a tie"
            )
            continue
        ranks[rank] = (other, number)
    prefs = {owner: [ranks[r][0] for r in sorted(ranks)] for owner, ranks in by_rank.items()}
    return prefs, problems


def write_matching(
    path: Path, matching: Mapping[str, str | None], candidates: Iterable[str]
) -> int:
    """One row per candidate, sorted by id, written atomically; the number of rows written.

    The rows go to a temporary file in the same folder that then replaces ``path``, so a
    failure never leaves a partial output file.
    """
    folder = path.parent
    if not folder.is_dir():
        raise UserError(f"{path}: the folder {folder} does not exist")
    temporary = folder / f".{path.name}.{os.getpid()}.tmp"
    rows = [(c, matching.get(c) or "") for c in sorted(candidates)]
    try:
        with temporary.open("w", encoding="utf-8", newline="") as out:
            writer = spreadsheet_writer(out, lineterminator="\n")
            writer.writerow(OUTPUT_COLUMNS)
            writer.writerows(rows)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        raise UserError(f"{path}: cannot write the matching ({exc.strerror})") from None
    finally:
        temporary.unlink(missing_ok=True)
    return len(rows)

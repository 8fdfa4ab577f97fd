"""``config/organisations.csv``: every organisation in the region that can take part."""

from __future__ import annotations

import csv
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from rvg.config._files import describe_errors
from rvg.config.programme import ProgrammeConfig
from rvg.errors import ConfigError
from rvg.models.organisations import OrganisationKind

COLUMNS = ("code", "name", "kind", "region")


class OrganisationRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    code: str = Field(min_length=2, max_length=80, pattern=r"^[A-Za-z0-9-]+$")
    name: str = Field(min_length=2, max_length=200)
    kind: OrganisationKind
    region: str = Field(min_length=2)

    @field_validator("kind", mode="before")
    @classmethod
    def _lower_kind(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value


def load_organisations(path: Path, programme: ProgrammeConfig) -> list[OrganisationRow]:
    """Read and validate every row; report all bad rows at once (row 2 is the first data row)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or []]
            raw_rows = list(reader)
    except FileNotFoundError:
        raise ConfigError(str(path), ["file not found"]) from None
    except UnicodeDecodeError:
        raise ConfigError(str(path), ["file is not UTF-8 text"]) from None
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ConfigError(str(path), [f"missing column(s): {', '.join(missing)}"])

    valid_regions = {*programme.regions, programme.region}
    rows: list[OrganisationRow] = []
    problems: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for line, raw in enumerate(raw_rows, start=2):
        values = {column: (raw.get(column) or "") for column in COLUMNS}
        try:
            row = OrganisationRow.model_validate(values)
        except ValidationError as exc:
            problems.extend(describe_errors(exc, prefix=f"row {line}, "))
            continue
        if row.region not in valid_regions:
            problems.append(
                f"row {line}, field 'region': {row.region!r} is not a region of "
                f"{programme.region} (programme.yaml: {', '.join(programme.regions)})"
            )
            continue
        duplicate = _duplicate(row, line, seen)
        if duplicate:
            problems.append(duplicate)
            continue
        rows.append(row)
    if problems:
        raise ConfigError(str(path), problems)
    if not rows:
        raise ConfigError(str(path), ["no organisations in the file"])
    return rows


def _duplicate(row: OrganisationRow, line: int, seen: dict[tuple[str, str], int]) -> str | None:
    """Codes and names are unique, ignoring case; remembers this row's when it is new."""
    keys = (("code", row.code.casefold()), ("name", row.name.casefold()))
    for field, value in keys:
        if (field, value) in seen:
            earlier = seen[(field, value)]
            return (
                f"row {line}, field '{field}': {getattr(row, field)!r} is already on row {earlier}"
            )
    for key in keys:
        seen[key] = line
    return None

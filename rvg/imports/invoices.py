"""``rvg import invoices``: what a cohort actually cost, from the finance department's export.

Columns: ``supplier``, ``date``, ``amount`` (euros, excluding VAT), ``description`` and
optionally ``lot`` (``recruitment_selection`` or ``training``, or the lot's Dutch name; empty
for the programme's other costs). An invoice is the same invoice when supplier, date, amount
and description are: importing a file again changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.imports.tabular import (
    ImportResult,
    Rejection,
    Row,
    date_cell,
    finish,
    read_table,
    reject,
)
from rvg.inputs import euro_amount
from rvg.models import Invoice, Lot
from rvg.repositories.cohorts import get_cohort
from rvg.tally import Tally

REQUIRED = ("supplier", "date", "amount", "description")
OPTIONAL = ("lot",)
MAX_AMOUNT = Decimal(10_000_000)
MAX_AMOUNT_TEXT = f"{MAX_AMOUNT:,.0f}".replace(",", ".")  # 10.000.000, as a Dutch reader writes it
LOT_NAMES = {"werving & selectie": Lot.RECRUITMENT_SELECTION, "opleiding": Lot.TRAINING}

Key = tuple[str, date, Decimal, str]


def import_invoices(
    path: Path, cohort_code: str, *, session: Session, at: datetime
) -> ImportResult:
    """Add the invoices of a CSV or XLSX file to the cohort; an invoice already there is left."""
    cohort = get_cohort(cohort_code, session=session)
    table = read_table(path, REQUIRED, OPTIONAL)
    stored = {
        (i.supplier, i.invoiced_on, i.amount_eur, i.description): i.lot
        for i in session.scalars(select(Invoice).where(Invoice.cohort_id == cohort.id))
    }
    tally, rejected = Tally(), list[Rejection]()
    for row in table.rows:
        checked = _check(row)
        if isinstance(checked, Rejection):
            rejected.append(checked)
            tally.count("rejected")
            continue
        key, lot = checked
        if key in stored and stored[key] != lot:
            message = f"this invoice is stored for lot {stored[key] or '(none)'}"
            rejected.append(reject(row, [("lot", message)]))
            tally.count("rejected")
            continue
        if key in stored:
            tally.count("unchanged")
            continue
        supplier, invoiced_on, amount, description = key
        session.add(
            Invoice(
                cohort_id=cohort.id,
                supplier=supplier,
                lot=lot,
                invoiced_on=invoiced_on,
                amount_eur=amount,
                description=description,
            )
        )
        stored[key] = lot
        tally.count("imported")
    session.flush()
    return finish(
        table, tally, rejected, session=session, kind="invoices", cohort_id=cohort.id, at=at
    )


def _check(row: Row) -> tuple[Key, str | None] | Rejection:
    values = {name: " ".join(text.split()) for name, text in row.values.items()}
    problems: list[tuple[str, str]] = []
    for name, limit in (("supplier", 200), ("description", 500)):
        if not values[name] or len(values[name]) > limit:
            problems.append((name, f"is required, at most {limit} characters"))
    invoiced_on = date_cell(values, "date", problems, required=True)
    amount = euro_amount(values["amount"], MAX_AMOUNT)
    if amount is None:
        problems.append(
            (
                "amount",
                f"{values['amount']!r} is not an amount in euros from 0 to {MAX_AMOUNT_TEXT} "
                "(e.g. 1250, 1250,50 or 1.250,50)",
            )
        )
    lot = None
    try:
        lot = _lot(values["lot"])
    except ValueError as exc:
        problems.append(("lot", str(exc)))
    if problems or invoiced_on is None or amount is None:
        return reject(row, problems)
    return (values["supplier"], invoiced_on, amount, values["description"]), lot


def _lot(text: str) -> str | None:
    """The lot's code, or None when the cell is empty; ValueError for an unknown lot."""
    if not text:
        return None
    word = text.casefold()
    for lot in Lot:
        if word == lot.value:
            return lot.value
    for name, lot in LOT_NAMES.items():
        if word.startswith(name):
            return lot.value
    valid = ", ".join([*Lot, *LOT_NAMES])
    raise ValueError(f"{text!r} is not a lot; use one of {valid}, or leave it empty")

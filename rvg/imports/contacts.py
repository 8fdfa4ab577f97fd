"""``rvg import contacts``: the people at organisations (secretaries, managers, buddies, ...).

One row is one role of one person; a person with two roles has two rows. A contact is the
same contact by organisation and e-mail address (ignoring case), the key of the model.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rvg.imports.tabular import ImportResult, Rejection, Row, finish, read_table, reject
from rvg.models import Contact, ContactRole, ContactRoleAssignment, Organisation
from rvg.notifications.addresses import normalise_address
from rvg.repositories.organisations import find_organisation
from rvg.tally import Tally

REQUIRED = ("organisation", "role", "name", "email")
OPTIONAL = ("phone",)
MAX_NAME = 200
MAX_PHONE = 40

ROLE_WORDS: dict[str, ContactRole] = {
    **{role.value: role for role in ContactRole},
    "project team": ContactRole.PROJECT_TEAM,
    "secretaris": ContactRole.SECRETARY,
    "leidinggevende": ContactRole.MANAGER,
    "p&o": ContactRole.HR,
    "inkoop": ContactRole.PROCUREMENT,
    "projectteam": ContactRole.PROJECT_TEAM,
}
_PHONE = re.compile(r"[0-9+()\-. /]+")

Key = tuple[int, str]


@dataclass(frozen=True)
class ContactRow:
    """A valid row: one role of one person at an organisation."""

    number: int
    organisation: Organisation
    role: ContactRole
    name: str
    email: str
    phone: str | None

    @property
    def key(self) -> Key:
        return _key(self.organisation.id, self.email)


def import_contacts(path: Path, *, session: Session) -> ImportResult:
    """Add contacts and their roles from a CSV or XLSX file, or update them; idempotent."""
    table = read_table(path, REQUIRED, OPTIONAL)
    find = cache(lambda text: find_organisation(text, session=session))
    book, earlier = _ContactBook(session), _EarlierRows()
    tally, rejected = Tally(), list[Rejection]()
    for row in table.rows:
        parsed = _parse(row, find)
        problems = parsed if isinstance(parsed, list) else earlier.problems(parsed)
        if isinstance(parsed, ContactRow) and not problems:
            tally.count(book.apply(parsed))
        else:
            rejected.append(reject(row, problems))
            tally.count("rejected")
    session.flush()
    return finish(table, tally, rejected, session=session, kind="contacts")


Problems = list[tuple[str, str]]


def _parse(row: Row, find: Callable[[str], Organisation | None]) -> ContactRow | Problems:
    """The row's values checked one by one; every problem of the row is reported."""
    values = row.values
    problems: Problems = []
    organisation = find(values["organisation"]) if values["organisation"] else None
    if organisation is None:
        hint = "give its code or name"
        problems.append(("organisation", _unknown("organisation", values["organisation"], hint)))
    role = ROLE_WORDS.get(" ".join(values["role"].split()).casefold())
    if role is None:
        hint = f"use one of {', '.join(r.value for r in ContactRole)}"
        problems.append(("role", _unknown("role", values["role"], hint)))
    name = " ".join(values["name"].split())
    if not name or len(name) > MAX_NAME:
        problems.append(("name", f"give the person's name, at most {MAX_NAME} characters"))
    try:
        email = normalise_address(values["email"])
    except ValueError as exc:
        problems.append(("email", str(exc)))
    phone = " ".join(values["phone"].split()) or None
    if phone and (len(phone) > MAX_PHONE or not _PHONE.fullmatch(phone)):
        message = f"use digits, spaces and + - ( ) only, at most {MAX_PHONE} characters"
        problems.append(("phone", message))
    if problems:
        return problems
    assert organisation is not None and role is not None
    return ContactRow(row.number, organisation, role, name, email, phone)


def _unknown(what: str, text: str, hint: str) -> str:
    return f"unknown {what} {text!r}; {hint}" if text else f"is empty; {hint}"


@dataclass
class _EarlierRows:
    """What earlier rows of the file said, to refuse duplicates and contradictions."""

    first: dict[Key, ContactRow] = field(default_factory=dict)
    roles: dict[tuple[Key, ContactRole], int] = field(default_factory=dict)

    def problems(self, row: ContactRow) -> Problems:
        """Empty when the row may be written; the row is then remembered."""
        same = self.roles.get((row.key, row.role))
        if same is not None:
            return [("email", f"{row.email} with role {row.role.value!r} is already on row {same}")]
        first = self.first.setdefault(row.key, row)
        for name in ("name", "phone"):
            mine, theirs = getattr(row, name), getattr(first, name)
            if mine and theirs and mine != theirs:
                return [(name, f"{mine!r} differs from {theirs!r} on row {first.number}")]
        self.roles[(row.key, row.role)] = row.number
        return []


class _ContactBook:
    """The contacts in the database by key, and the ones this import created."""

    def __init__(self, session: Session) -> None:
        self.session = session
        query = select(Contact).options(selectinload(Contact.roles)).order_by(Contact.id)
        self.contacts = {_key(c.organisation_id, c.email): c for c in session.scalars(query)}
        self.created: set[Key] = set()

    def apply(self, row: ContactRow) -> str:
        """Insert or update the contact and give it the role; the outcome for the tally."""
        contact = self.contacts.get(row.key)
        if contact is None:
            contact = Contact(
                organisation_id=row.organisation.id, name=row.name, email=row.email, phone=row.phone
            )
            self.session.add(contact)
            self.contacts[row.key] = contact
            self.created.add(row.key)
        changed = contact.name != row.name or (row.phone is not None and contact.phone != row.phone)
        contact.name = row.name
        contact.phone = row.phone or contact.phone
        if row.role.value not in {assignment.role for assignment in contact.roles}:
            contact.roles.append(ContactRoleAssignment(role=row.role.value))
            changed = True
        if row.key in self.created:
            return "imported"
        return "updated" if changed else "unchanged"


def _key(organisation_id: int, email: str) -> Key:
    return (organisation_id, email.casefold())

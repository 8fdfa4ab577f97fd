"""What the handlers are given per request: the posted form, a transaction runner and the
app's clock.

Every handler is a plain ``def``: FastAPI runs it in a worker thread, so no database call
ever blocks the event loop (a blocked loop froze the whole app when two people saved at
once, while the transaction that held the lock waited for the loop to commit it). The form
is read by an ``async`` dependency before the handler runs.

A handler does its database work in one transaction through :class:`Transact`, which
commits before the response is sent (a browser that follows the redirect after a POST sees
what it saved) and runs the work again on a passing conflict: a locked SQLite file, a
PostgreSQL deadlock or serialisation failure, or a unique key another request took first.
When the conflict outlasts the tries, the person gets the Dutch "busy" page (503), never a
500.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from rvg.db import begin_writing, is_conflict, is_transient
from rvg.settings import Settings
from rvg.unit import Unit

R = TypeVar("R")
ATTEMPTS = 4


class Busy(Exception):
    """The database stayed locked or in conflict for every try; nothing was saved."""


@dataclass(frozen=True)
class Transact:
    settings: Settings
    sessions: sessionmaker[Session]

    def __call__(self, work: Callable[[Unit], R], *, writes: bool = False) -> R:
        """``work`` in one transaction, tried again on a passing conflict. ``writes`` takes
        the write lock first on SQLite, so saves queue up instead of failing when another
        save committed since this one began reading."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with self.sessions.begin() as session:
                    if writes:
                        begin_writing(session)
                    return work(Unit(self.settings, session))
            except DBAPIError as error:
                if not (is_transient(error) or is_conflict(error)):
                    raise
                if attempt == ATTEMPTS:
                    raise Busy from error
                time.sleep(random.uniform(0.02, 0.1) * attempt)  # jitter
        raise AssertionError("unreachable")


def _transact(request: Request) -> Transact:
    state = request.app.state
    return Transact(state.settings, state.sessions)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: str(value) for key, value in form.items()}


def _now(request: Request) -> datetime:
    now: datetime = request.app.state.now()
    return now


Transaction = Annotated[Transact, Depends(_transact)]
FormFields = Annotated[dict[str, str], Depends(_form)]
Now = Annotated[datetime, Depends(_now)]

"""What the handlers are given per request: a unit of work and the app's clock.

The unit's transaction ends (commits, or rolls back on an error) when the handler returns
and before the response is sent (``scope="function"``): a browser that follows the redirect
after a POST always sees what it saved.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from rvg.unit import Unit


def _unit(request: Request) -> Iterator[Unit]:
    state = request.app.state
    with state.sessions.begin() as session:
        yield Unit(state.settings, session)


def _now(request: Request) -> datetime:
    now: datetime = request.app.state.now()
    return now


RequestUnit = Annotated[Unit, Depends(_unit, scope="function")]
Now = Annotated[datetime, Depends(_now)]

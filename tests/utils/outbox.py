"""Filling the outbox and configuring a dispatcher for tests."""

from __future__ import annotations

import asyncio
from datetime import datetime

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from rvg.db import make_sessionmaker
from rvg.models import Notification
from rvg.notifications.dispatcher import DispatchReport, dispatch
from rvg.notifications.message import message_id
from rvg.settings import Settings

CONTEXT = {"number": 1, "total": 1, "requested_at": "01-09-2027 10:00"}
DOMAIN = "ruimtevoorgroei.localhost"


def fill_outbox(engine: Engine, count: int, due_at: datetime, prefix: str = "m") -> list[str]:
    """Insert ``count`` due test e-mails in bulk (enqueue() is tested on its own)."""
    keys = [f"{prefix}:{n:06d}" for n in range(count)]
    rows = [
        {
            "key": key,
            "to_address": f"r{n}@example.org",
            "template": "test",
            "context": CONTEXT,
            "due_at": due_at,
        }
        for n, key in enumerate(keys)
    ]
    with Session(engine) as session:
        session.execute(insert(Notification), rows)
        session.commit()
    return keys


def expected_message_ids(keys: list[str]) -> set[str]:
    return {message_id(key, DOMAIN) for key in keys}


def settings_for(port: int, **overrides: object) -> Settings:
    return Settings(smtp_port=port, smtp_timeout_seconds=5, **overrides)  # type: ignore[arg-type]


def run_dispatch(engine: Engine, settings: Settings, **kwargs: object) -> DispatchReport:
    return asyncio.run(dispatch(make_sessionmaker(engine), settings, **kwargs))  # type: ignore[arg-type]


def statuses(engine: Engine) -> dict[str, Notification]:
    with Session(engine) as session:
        return {row.key: row for row in session.scalars(select(Notification))}


def link_of(engine: Engine, notification: Notification) -> str:
    """A link to the form a queued e-mail links to, made as the dispatcher makes it when it
    sends the e-mail (the outbox holds no link)."""
    from rvg.invitations.links import LINK_KEY, form_link
    from rvg.repositories.invitations import issue_link

    with Session(engine) as session, session.begin():
        issued = issue_link(notification.context[LINK_KEY], session=session)
        assert issued is not None, "the invitation is gone"
        invitation, token = issued
        return form_link(Settings().web_base_url, invitation.purpose, token)

"""The dispatcher: claim due e-mails, render, send with bounded concurrency, record outcomes.

K workers each own one reused SMTP connection. Outcomes are stored by group commit: a worker
hands its outcome to the recorder and waits until it is committed before it sends the next
message, so after a crash at most K sent messages lack a record (the in-flight window) and
are sent again once their lease expires. Nothing is lost. Database work runs on one
background thread so the event loop keeps sending meanwhile.
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy.orm import Session, sessionmaker

from rvg import clock
from rvg.config.programme import TeamContact
from rvg.invitations.links import LINK_KEY, LINK_VALUE
from rvg.notifications.addresses import redact_addresses
from rvg.notifications.attachments import attachments_for
from rvg.notifications.claims import (
    Claimed,
    Outcome,
    RetryPolicy,
    claim_due,
    issue_links,
    record_outcomes,
)
from rvg.notifications.message import OutgoingEmail, build_message
from rvg.notifications.outbox import waiting_count
from rvg.notifications.rendering import TemplateError, render
from rvg.notifications.safety import refuse_example_contact, refuse_shifted_clock
from rvg.notifications.smtp import RateLimiter, SmtpConnection
from rvg.settings import Settings
from rvg.unit import Configs

T = TypeVar("T")
MAX_CLAIM_BATCH = 200


@dataclass(frozen=True)
class Failure:
    key: str
    template: str
    code: int | None
    reason: str


class DispatchSummary(BaseModel):
    """What one dispatcher run did, as the flow returns it."""

    sent: int
    retried: int
    failed: int
    pending: int

    def line(self) -> str:
        return (
            f"sent={self.sent} retried={self.retried} failed={self.failed} pending={self.pending}"
        )


@dataclass
class DispatchReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    pending: int = 0
    by_template: dict[str, Counter[str]] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)

    def add(self, outcome: Outcome, policy: RetryPolicy) -> None:
        kind = outcome.kind
        if kind == "retry" and outcome.claimed.attempts >= policy.max_attempts:
            kind = "failed"
        counter = {"sent": "sent", "retry": "retried", "failed": "failed"}[kind]
        setattr(self, counter, getattr(self, counter) + 1)
        self.by_template.setdefault(outcome.claimed.template, Counter())[kind] += 1
        if kind == "failed":
            reason = redact_addresses(outcome.error or "unknown error")
            claimed = outcome.claimed
            self.failures.append(Failure(claimed.key, claimed.template, outcome.code, reason))

    def summary(self) -> DispatchSummary:
        return DispatchSummary(
            sent=self.sent, retried=self.retried, failed=self.failed, pending=self.pending
        )


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class _Database:
    """Runs database work on one thread, off the event loop."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rvg-outbox")

    async def run(self, work: Callable[[Session], T]) -> T:
        def in_session() -> T:
            with self._sessions() as session:
                return work(session)

        return await asyncio.get_running_loop().run_in_executor(self._executor, in_session)

    def close(self) -> None:
        self._executor.shutdown(wait=True)


class _Recorder:
    """Group commit: outcomes that arrive while a commit runs go together in the next one."""

    def __init__(self, database: _Database, store: Callable[..., None]) -> None:
        self._database = database
        self._store = store
        self._waiting: list[tuple[Outcome, asyncio.Future[None]]] = []
        self._wake = asyncio.Event()
        self._closed = False

    def submit(self, outcome: Outcome) -> asyncio.Future[None]:
        """Queue ``outcome`` for the next commit; the future completes once it is committed."""
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((outcome, future))
        self._wake.set()
        return future

    async def run(self) -> None:
        while not (self._closed and not self._waiting):
            await self._wake.wait()
            self._wake.clear()
            batch, self._waiting = self._waiting, []
            if not batch:
                continue
            outcomes = [outcome for outcome, _ in batch]
            try:
                await self._database.run(partial(self._store, outcomes=outcomes))
            except Exception as exc:
                for _, future in batch:
                    future.set_exception(exc)
                raise
            for _, future in batch:
                future.set_result(None)

    def close(self) -> None:
        self._closed = True
        self._wake.set()


async def dispatch(
    sessions: sessionmaker[Session],
    settings: Settings,
    *,
    as_of: datetime | None = None,
    limit: int | None = None,
    concurrency: int | None = None,
) -> DispatchReport:
    """Send every e-mail due at ``as_of`` (default: now), at most ``limit``; report the outcomes.

    An ``as_of`` other than now sends only to a local sink (:mod:`rvg.notifications.safety`).
    """
    moment = clock.utcnow(as_of, settings.zone) if as_of is not None else None
    refuse_shifted_clock(moment, clock.utcnow(tz=settings.zone), settings.smtp_host)
    team = Configs(settings.config_dir).programme.contact
    refuse_example_contact(team, settings.smtp_host)
    concurrency = concurrency or settings.dispatch_concurrency
    policy = RetryPolicy(max_attempts=settings.dispatch_max_attempts)
    worker = worker_name()
    report = DispatchReport()
    database = _Database(sessions)
    limiter = RateLimiter(settings.dispatch_rate_per_minute)
    batch_size = _claim_batch_size(settings, concurrency)
    queue: asyncio.Queue[Claimed | None] = asyncio.Queue(maxsize=batch_size)

    def now() -> datetime:
        return clock.utcnow(as_of, settings.zone)

    def store(session: Session, *, outcomes: list[Outcome]) -> None:
        record_outcomes(session, outcomes, now=now(), worker=worker, policy=policy)

    def claim(session: Session, *, limit: int) -> list[Claimed]:
        claimed = claim_due(
            session,
            now=now(),
            lease_seconds=settings.dispatch_lease_seconds,
            limit=limit,
            worker=worker,
        )
        with_links = issue_links(claimed, session=session, base_url=settings.web_base_url)
        session.commit()  # the links' hashes, before any e-mail carrying one leaves
        return with_links

    recorder = _Recorder(database, store)

    async def claimer() -> None:
        remaining = limit
        while remaining is None or remaining > 0:
            size = batch_size if remaining is None else min(batch_size, remaining)
            claimed = await database.run(partial(claim, limit=size))
            if not claimed:
                break
            for item in claimed:
                await queue.put(item)
            remaining = None if remaining is None else remaining - len(claimed)
        for _ in range(concurrency):
            await queue.put(None)

    async def sender() -> None:
        # The next message is prepared while the previous outcome is being committed, but it
        # is only sent once that commit is done: each worker has at most one sent message
        # without a record, so a crash resends at most `concurrency` messages.
        connection = SmtpConnection(settings)
        committed: asyncio.Future[None] | None = None
        try:
            while (item := await queue.get()) is not None:
                prepared = _prepare(item, settings, team, now())
                if committed is not None:
                    await committed
                if isinstance(prepared, Outcome):
                    outcome = prepared
                else:
                    await limiter.wait()
                    result = await connection.send(prepared)
                    outcome = Outcome(
                        item, result.kind, result.code, result.error, prepared.message_id
                    )
                committed = recorder.submit(outcome)
                report.add(outcome, policy)
            if committed is not None:
                await committed
        finally:
            await connection.close()

    recording = asyncio.create_task(recorder.run())
    try:
        await asyncio.gather(claimer(), *(sender() for _ in range(concurrency)))
    finally:
        recorder.close()
        await recording
    report.pending = await database.run(waiting_count)
    database.close()
    return report


def _claim_batch_size(settings: Settings, concurrency: int) -> int:
    """Large enough to keep K workers busy, small enough to be sent well within the lease."""
    size = min(MAX_CLAIM_BATCH, concurrency * 16)
    if settings.dispatch_rate_per_minute:
        sendable_in_half_a_lease = (
            settings.dispatch_rate_per_minute * settings.dispatch_lease_seconds // 120
        )
        size = max(1, min(size, sendable_in_half_a_lease))
    return size


def _prepare(
    item: Claimed, settings: Settings, team: TeamContact, now: datetime
) -> OutgoingEmail | Outcome:
    """The message ready to send, signed by the project team and answerable to its mailbox;
    or a permanent failure when its template cannot render."""
    if LINK_KEY in item.context and LINK_VALUE not in item.context:
        return Outcome(item, "failed", None, "the form this e-mail links to no longer exists")
    try:
        rendered = render(item.template, item.context, team=team)
        attachments = attachments_for(
            item.context, organizer=team.organizer, to=item.to_address, stamp=now
        )
    except (TemplateError, ValueError) as exc:
        return Outcome(item, "failed", None, str(exc))
    return build_message(
        rendered,
        key=item.key,
        sender=settings.mail_from,
        reply_to=team.mailbox,
        to=item.to_address,
        domain=settings.mail_domain,
        date=now.astimezone(settings.zone),
        attachments=attachments,
    )

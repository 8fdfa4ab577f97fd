"""The reminders one placement's buddy, manager and participant receive in the training year.

Pure: the training-year flow loops over the placements, adds the names to each context and
enqueues the reminders in the outbox. Each key is the outbox idempotency key, so it holds no
date where a date may change: a reminder tied to a session is anchored on the session's key
(a moved session moves its reminder, the key stays), a recurring one on its period (``w03``,
``m05``), a start reminder on ``start``. Nothing is planned after a placement ends early.

Every start reminder carries its reader's whole year as one calendar file (the participant's
sessions, or those for buddies and managers), so the year is in their agenda from the start;
the reminders before single sessions carry that session's invitation, which updates the entry
when the session moved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from rvg.calendar import CalendarEvent
from rvg.dutch import short_date, weekday
from rvg.notifications.attachments import (
    CALENDAR_KEY,
    YEAR_CALENDAR_KEY,
    calendar_context,
    year_calendar_context,
)
from rvg.training.calendars import (
    CALENDAR_TITLES,
    CalendarAudience,
    SessionLike,
    for_audience,
    session_event,
)
from rvg.training.reminder_rules import ReminderRules, SessionRule, StartRule
from rvg.workdays import next_working_day, previous_working_day

Role = Literal["participant", "buddy", "manager"]

# The e-mail template of each (role, kind) of reminder.
TEMPLATES: dict[tuple[Role, str], str] = {
    ("buddy", "prepare"): "training_buddy_start",
    ("buddy", "checkin"): "training_buddy_checkin",
    ("buddy", "session"): "training_conversation_reminder",
    ("manager", "prepare"): "training_manager_start",
    ("manager", "one-to-one"): "training_manager_one_to_one",
    ("manager", "review"): "training_review",
    ("manager", "session"): "training_conversation_reminder",
    ("participant", "prepare"): "training_participant_start",
    ("participant", "session"): "training_session_reminder",
}
# Whose year calendar each role's start e-mail carries.
YEAR_CALENDARS: dict[Role, CalendarAudience] = {
    "participant": "participant",
    "buddy": "buddy_manager",
    "manager": "buddy_manager",
}
# The three contracting conversations of the training schedule, by session key.
CONTRACTING_MOMENTS = {
    "contracting-start": "start",
    "contracting-mid": "mid",
    "contracting-end": "end",
}


Context = dict[str, object]


@dataclass(frozen=True)
class PlannedReminder:
    """One reminder of a placement. Its e-mail's context is built only when it is read: a
    training run plans every reminder of the year to see which moved or went stale, and
    enqueues the few due in the coming weeks (at national scale 90,000 planned a run, each
    with its calendar entry, against a few thousand enqueued)."""

    key: str
    role: Role
    placement_id: int
    template: str
    due_at: datetime
    session_key: str | None
    build: Callable[[], Context] = field(repr=False, compare=False)

    @property
    def context(self) -> Context:
        return self.build()


@dataclass(frozen=True)
class _Placement:
    cohort_code: str
    placement_id: int
    starts_on: date
    ends_on: date | None
    rules: ReminderRules
    zone: ZoneInfo

    def at(self, day: date) -> datetime:
        return datetime.combine(day, self.rules.send_time, tzinfo=self.zone)

    def before(self, day: date, days: int) -> date:
        """``days`` before ``day``, on the working day before that when needed."""
        due = day - timedelta(days=days)
        return previous_working_day(due) if self.rules.working_days_only else due

    def from_(self, day: date) -> date:
        """``day``, or the first working day after it when needed."""
        return next_working_day(day) if self.rules.working_days_only else day

    def month_start(self, month: int) -> date:
        return self.starts_on + relativedelta(months=month - 1)

    def reminder(
        self,
        role: Role,
        kind: str,
        anchor: str,
        due: date,
        about: date,
        context: Context | Callable[[], Context],
        session_key: str | None = None,
    ) -> PlannedReminder | None:
        """The reminder, or None when it or what it is about falls after the placement ended;
        ``context``: its e-mail's, or what builds it when it is read."""
        if self.ends_on is not None and max(due, about) > self.ends_on:
            return None
        return PlannedReminder(
            key=f"training:{self.cohort_code}:{self.placement_id}:{role}:{kind}:{anchor}",
            role=role,
            placement_id=self.placement_id,
            template=TEMPLATES[role, kind],
            due_at=self.at(due),
            session_key=session_key,
            build=context if callable(context) else partial(dict, context),
        )


def plan_reminders(
    cohort_code: str,
    placement_id: int,
    starts_on: date,
    ends_on: date | None,
    sessions: Sequence[SessionLike],
    rules: ReminderRules,
    zone: ZoneInfo,
    *,
    uid_for: Callable[[str], str],
    sequence_for: Callable[[str], int] | None = None,
) -> list[PlannedReminder]:
    """Every reminder of one placement, by due time; ``uid_for`` gives a session's calendar UID.

    Sessions before the placement's start are skipped; ``sequence_for`` (default 0) gives the
    calendar SEQUENCE of a session that moved, so the invitation updates the agenda entry.
    """
    placement = _Placement(cohort_code, placement_id, starts_on, ends_on, rules, zone)
    current = [s for s in sessions if s.starts_at.astimezone(zone).date() >= starts_on]

    def event(session: SessionLike) -> CalendarEvent:
        return _event(cohort_code, session, uid_for, sequence_for or (lambda _key: 0))

    planned = [
        *_start_reminders(placement, current, event),
        *_buddy_check_ins(placement),
        *_manager_one_to_ones(placement),
        *_manager_reviews(placement),
        *_session_reminders(placement, current, event),
    ]
    return sorted((r for r in planned if r is not None), key=lambda r: (r.due_at, r.key))


def due_between(
    reminders: Iterable[PlannedReminder], start: datetime, end: datetime
) -> list[PlannedReminder]:
    """The reminders due from ``start`` up to (not including) ``end``, by due time."""
    return sorted((r for r in reminders if start <= r.due_at < end), key=lambda r: r.due_at)


def _event(
    cohort_code: str,
    session: SessionLike,
    uid_for: Callable[[str], str],
    sequence_for: Callable[[str], int],
) -> CalendarEvent:
    return session_event(cohort_code, session, sequence_for(session.key), uid=uid_for(session.key))


def _start_reminders(
    p: _Placement, sessions: Sequence[SessionLike], event: Callable[[SessionLike], CalendarEvent]
) -> Iterator[PlannedReminder | None]:
    by_role: tuple[tuple[Role, StartRule], ...] = (
        ("buddy", p.rules.buddy.start),
        ("manager", p.rules.manager.start),
        ("participant", p.rules.participant.start),
    )

    def context(audience: CalendarAudience) -> Context:
        name = CALENDAR_TITLES[audience].format(cohort=f"Ruimte voor Groei {p.cohort_code}")
        year = [event(s) for s in for_audience(sessions, audience)]
        return {
            "start_date": short_date(p.starts_on),
            "start_weekday": weekday(p.starts_on),
            "sessions_in_calendar": len(year),
            YEAR_CALENDAR_KEY: year_calendar_context(name, year),
        }

    for role, rule in by_role:
        due = p.before(p.starts_on, rule.days_before)
        built = partial(context, YEAR_CALENDARS[role])
        yield p.reminder(role, "prepare", "start", due, p.starts_on, built)


def _buddy_check_ins(p: _Placement) -> Iterator[PlannedReminder | None]:
    """Weekly for the first weeks, then on the first day of each later month of the year."""
    rule = p.rules.buddy.check_ins
    for week in range(1, rule.weekly_weeks + 1):
        day = p.starts_on + timedelta(weeks=week - 1)
        last = rule.monthly and week == rule.weekly_weeks
        context: dict[str, object] = {"period": "week", "number": week, "switch_to_monthly": last}
        yield p.reminder("buddy", "checkin", f"w{week:02d}", p.from_(day), day, context)
    if not rule.monthly:
        return
    last_weekly = p.starts_on + timedelta(weeks=rule.weekly_weeks - 1)
    for month in range(1, p.rules.training_year_months + 1):
        day = p.month_start(month)
        if rule.weekly_weeks and day <= last_weekly:
            continue
        context = {"period": "month", "number": month, "switch_to_monthly": False}
        yield p.reminder("buddy", "checkin", f"m{month:02d}", p.from_(day), day, context)


def _manager_one_to_ones(p: _Placement) -> Iterator[PlannedReminder | None]:
    """Monthly, except in the review months: there the review reminder takes its place."""
    reviews = {p.rules.manager.reviews.mid, p.rules.manager.reviews.end}
    for month in range(p.rules.manager.one_to_ones.from_month, p.rules.training_year_months + 1):
        if month not in reviews:
            day = p.month_start(month)
            context: dict[str, object] = {"month": month}
            yield p.reminder("manager", "one-to-one", f"m{month:02d}", p.from_(day), day, context)


def _manager_reviews(p: _Placement) -> Iterator[PlannedReminder | None]:
    """At the start of the review month; the review is due by the last day of that month."""
    reviews = p.rules.manager.reviews
    for moment, month in (("mid", reviews.mid), ("end", reviews.end)):
        day = p.month_start(month)
        review_by = p.starts_on + relativedelta(months=month) - timedelta(days=1)
        context: dict[str, object] = {
            "moment": moment,
            "month": month,
            "review_by": short_date(review_by),
        }
        yield p.reminder("manager", "review", f"m{month:02d}", p.from_(day), day, context)


def _session_reminders(
    p: _Placement, sessions: Sequence[SessionLike], event: Callable[[SessionLike], CalendarEvent]
) -> Iterator[PlannedReminder | None]:
    by_role: tuple[tuple[Role, SessionRule], ...] = (
        ("buddy", p.rules.buddy.sessions),
        ("manager", p.rules.manager.sessions),
        ("participant", p.rules.participant.sessions),
    )
    for role, rule in by_role:
        for session in sessions:
            if not rule.applies_to(session.session_type, session.audience):
                continue
            day = session.starts_at.astimezone(p.zone).date()
            due = p.before(day, rule.days_before)
            built = partial(_session_context, p, session, role, (day - due).days, event)
            yield p.reminder(role, "session", session.key, due, day, built, session.key)


def _session_context(
    p: _Placement,
    session: SessionLike,
    role: Role,
    days_ahead: int,
    event: Callable[[SessionLike], CalendarEvent],
) -> Context:
    starts, ends = session.starts_at.astimezone(p.zone), session.ends_at.astimezone(p.zone)
    return {
        "role": role,
        "session_title": session.title,
        "session_type": session.session_type,
        "conversation": CONTRACTING_MOMENTS.get(session.key),
        "weekday": weekday(starts),
        "date": short_date(starts.date()),
        "start": f"{starts:%H:%M}",
        "end": f"{ends:%H:%M}",
        "location": session.location,
        "days_ahead": days_ahead,
        CALENDAR_KEY: calendar_context(event(session)),
    }

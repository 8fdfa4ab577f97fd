"""Changing a cohort's own rules: a new version of its rule files from ``config/``.

Before its training year starts a cohort simply takes the new version. Once the year has
started, the change reaches people who already have a calendar and reminders, so it needs an
explicit ``apply_to_running`` and first says what moves: the sessions still ahead that are
planned differently (the held ones stay as they were: the training flow does not rewrite the
past) and the reminders still to be sent, which the next training-year run plans again from
the new rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import func, select

from rvg import clock
from rvg.errors import UserError
from rvg.models import Notification, NotificationStatus
from rvg.rule_sets import checked_rule_files, differing_files, keep_rules
from rvg.training.schedule import generate_schedule
from rvg.training.service import stored_sessions
from rvg.unit import Configs, Unit


@dataclass
class RulesUpdate:
    """What taking ``config/``'s rule files as a cohort's new version changes."""

    cohort: str
    version: int  # the version the cohort runs on after the update (unchanged: the same)
    files: list[str]  # the rule files that differ
    running: bool  # the training year has started
    moved: list[str] = field(default_factory=list)  # sessions planned at another time
    added: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    held: int = 0  # sessions already held, which the change leaves as they were
    reminders_replanned: int = 0  # pending training reminders planned again
    applied: bool = False

    def lines(self) -> list[str]:
        """In English, for the command line."""
        out = [f"  session moves: {line}" for line in self.moved]
        out += [f"  session added: {line}" for line in self.added]
        out += [f"  session dropped: {line}" for line in self.dropped]
        if self.held:
            out.append(f"  {self.held} sessions already held stay as they were")
        if self.reminders_replanned:
            out.append(
                f"  {self.reminders_replanned} pending training reminders are planned again "
                "from the new rules at the next training-year run"
            )
        return out


def update_rules(u: Unit, as_of: date, *, apply_to_running: bool) -> RulesUpdate:
    """Take ``config/``'s rule files as the unit's cohort's new version (each checked first);
    refused for a cohort whose year has started unless ``apply_to_running``, with what would
    move."""
    cohort = u.cohort
    current = u.rule_set()
    files = checked_rule_files(u.settings.config_dir)
    start = cohort.milestone("training_start")
    running = start is not None and as_of >= start
    update = RulesUpdate(
        cohort.code, current.version, differing_files(current.files, files), running
    )
    if not update.files:
        return update
    if start is not None and "training.yaml" in update.files:
        _session_changes(update, u, start, as_of, Configs(u.settings.config_dir))
    if "reminders.yaml" in update.files or "training.yaml" in update.files:
        update.reminders_replanned = int(
            u.session.scalar(
                select(func.count()).where(
                    Notification.key.startswith(f"training:{cohort.code}:", autoescape=True),
                    Notification.status == NotificationStatus.PENDING.value,
                )
            )
            or 0
        )
    if running and not apply_to_running:
        raise UserError(
            f"cohort {cohort.code}'s training year started on {start}; changing its rules "
            f"({', '.join(update.files)}) reaches people who already have their calendar and "
            "reminders. Check what moves, then repeat with --apply-to-running:\n"
            + "\n".join(update.lines() or ["  no session or reminder moves"])
        )
    reason = "updated from config/" + (" during the training year" if running else "")
    stored, _ = keep_rules(cohort, files, session=u.session, reason=reason, at=clock.utcnow())
    update.version, update.applied = stored.version, True
    return update


def _session_changes(update: RulesUpdate, u: Unit, start: date, as_of: date, new: Configs) -> None:
    """The sessions from ``as_of`` on that the new rules move, add or drop, as
    ``store_schedule`` will change them: a session held before ``as_of`` is counted and left,
    and none is moved into or added in the past."""
    held_before = datetime.combine(as_of, time.min, tzinfo=u.settings.zone)
    planned = {s.key: s for s in generate_schedule(start, new.training, zone=u.settings.zone)}
    stored = {item.key: item for item, _ in stored_sessions(u.cohort, session=u.session)}

    def when(moment: datetime) -> str:
        return f"{moment.astimezone(u.settings.zone):%Y-%m-%d %H:%M}"

    for key, old in stored.items():
        new_item = planned.get(key)
        if old.starts_at < held_before:
            update.held += 1
        elif new_item is None:
            update.dropped.append(f"{old.title} on {when(old.starts_at)}")
        elif new_item.starts_at < held_before:
            continue  # it would move into the past: it stays
        elif (new_item.starts_at, new_item.ends_at) != (old.starts_at, old.ends_at):
            update.moved.append(f"{old.title}: {when(old.starts_at)} -> {when(new_item.starts_at)}")
    update.added += [
        f"{s.title} on {when(s.starts_at)}"
        for key, s in planned.items()
        if key not in stored and s.starts_at >= held_before
    ]

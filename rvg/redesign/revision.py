"""Changes to a next cohort that runs already: what a redesign may still change, and what it
can no longer change, with the reason.

A running cohort's steps fix what they decide: the business case its budget, the go/no-go
its size range and its training start (the contracts are tendered for them), the opening of
the sign-up and of the recruitment the dates of their campaigns, the training start its
programme. A change is offered while the step that fixes it lies ahead (its day has not come
and its decision is not taken); the rest is listed with the step that fixed it. Accepting
the proposal applies the open changes only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from rvg.dutch import dutch_date
from rvg.models import Cohort
from rvg.repositories.decisions import latest_decision

# Each key date and each rule of a cohort, and the key date of the step that fixes it.
FIXED_BY = {
    "business_case_decision": "business_case_decision",
    "signup_opens": "signup_opens",
    "signup_deadline": "signup_opens",
    "go_no_go": "go_no_go",
    "recruitment_opens": "recruitment_opens",
    "meet_and_greet": "recruitment_opens",
    "training_start": "go_no_go",
    "size": "go_no_go",
    "costs": "business_case_decision",
    "programme": "training_start",
}
# The steps whose decision fixes them before their day: the decision's kind.
DECIDED_AS = {"business_case_decision": "business_case", "go_no_go": "go_no_go"}
STEP_LABELS = {
    "business_case_decision": "het besluit over de business case",
    "signup_opens": "de opening van de aanmelding",
    "go_no_go": "de go/no-go",
    "recruitment_opens": "de start van de werving",
    "training_start": "de start van de opleiding",
}


@dataclass(frozen=True)
class Change:
    """One thing the proposal would change in the running cohort."""

    subject: str  # a key date's name, "size", "costs" or "programme"
    label: str  # in Dutch
    current: str
    proposed: str
    open: bool  # still to change; else fixed by its step
    reason: str  # in Dutch: until when it can change, or since when it cannot


def _step(
    cohort: Cohort, subject: str, as_of: date, session: Session, zone: ZoneInfo
) -> tuple[bool, str]:
    """Whether the step that fixes ``subject`` lies ahead, and why, in Dutch."""
    step = FIXED_BY[subject]
    on = cohort.milestone(step)
    label = STEP_LABELS[step]
    kind = DECIDED_AS.get(step)
    decided = latest_decision(cohort, kind, session=session) if kind else None
    if decided is not None:
        on = decided.decided_at.astimezone(zone).date()
        return False, f"vast sinds {label} op {dutch_date(on)}"
    if on is None or on > as_of:
        return True, f"kan nog tot {label}" + (f" op {dutch_date(on)}" if on else "")
    return False, f"vast sinds {label} op {dutch_date(on)}"


def changes_to(
    cohort: Cohort,
    *,
    key_dates: Mapping[str, date],
    labels: Mapping[str, str],
    size: tuple[int, int],
    costs: tuple[str, str] | None,
    programme: Sequence[str],
    as_of: date,
    session: Session,
    zone: ZoneInfo,
) -> list[Change]:
    """What the proposal changes in ``cohort``: each key date that moves, the size range, the
    budget (``costs``: current and proposed, in Dutch, when they differ) and the rule files
    other than the costs in which ``config/`` differs from the cohort's own (``programme``)."""
    found: list[tuple[str, str, str, str]] = []
    for name, day in key_dates.items():
        stored = cohort.milestone(name)
        if stored is not None and stored != day:
            found.append((name, labels.get(name, name), dutch_date(stored), dutch_date(day)))
    now = (cohort.target_participants_min, cohort.target_participants_max)
    if size != now:
        found.append(("size", "Omvang (deelnemers)", f"{now[0]}–{now[1]}", f"{size[0]}–{size[1]}"))
    if costs is not None and costs[0] != costs[1]:
        found.append(("costs", "Kosten per deelnemer (bij de voorgestelde omvang)", *costs))
    if programme:
        found.append(
            (
                "programme",
                "Regels voor het opleidingsjaar",
                "eigen regels van de lichting",
                f"config/ ({', '.join(programme)})",
            )
        )
    changes = []
    for subject, label, current, proposed in found:
        still, reason = _step(cohort, subject, as_of, session, zone)
        changes.append(Change(subject, label, current, proposed, still, reason))
    return changes


def revised_content(
    current: Mapping[str, Any], proposal: Mapping[str, Any], changes: Sequence[Change]
) -> dict[str, Any]:
    """The running cohort's file with the open changes of ``proposal`` applied, the rest as
    it is."""
    still = {change.subject for change in changes if change.open}
    dates = {
        name: (proposal["key_dates"][name] if name in still else day)
        for name, day in current["key_dates"].items()
    }
    size = "size" in still
    return {
        **current,
        "target_participants": dict((proposal if size else current)["target_participants"]),
        "key_dates": dict(sorted(dates.items(), key=lambda kv: (kv[1], kv[0]))),
    }

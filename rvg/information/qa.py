"""The weekly online Q&A sessions of a recruitment campaign: one for candidates and one for
organisations each week, from the week the recruitment opens until the meet & greet, on the
cohort's weekday (``config/recruitment.yaml``, ``information.qa``). A week whose day is a Dutch
public holiday has its session on the next working day of that week, or none.

Pure: the dates follow from the cohort's key dates and its rules, so they are not stored and a
moved key date moves the sessions; each session's UID stays the same for the same week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from rvg.calendar import CalendarEvent
from rvg.recruitment.config import WEEKDAYS, QaRules
from rvg.workdays import is_working_day, previous_working_day

ENROL_BEFORE = timedelta(days=7)


def enrol_day(opens: date) -> date:
    """When the secretaries of the organisations taking part are invited to the
    organisations' sessions: a week before the recruitment opens, on a working day."""
    return previous_working_day(opens - ENROL_BEFORE)


class QaAudience(StrEnum):
    CANDIDATES = "candidates"
    ORGANISATIONS = "organisations"

    @property
    def dutch(self) -> str:
        return {"candidates": "kandidaten", "organisations": "organisaties"}[self.value]


@dataclass(frozen=True)
class QaSession:
    audience: QaAudience
    week: date  # the Monday of its week: what its UID is made of
    starts_at: datetime
    ends_at: datetime

    @property
    def day(self) -> date:
        return self.starts_at.date()

    def uid(self, cohort_code: str) -> str:
        return f"qa-{cohort_code}-{self.audience.value}-{self.week.isoformat()}@ruimtevoorgroei"

    def event(self, cohort_code: str, rules: QaRules) -> CalendarEvent:
        where = f"{rules.location}: {rules.join_url}" if rules.join_url else rules.location
        return CalendarEvent(
            uid=self.uid(cohort_code),
            summary=f"Vragenuur Ruimte voor Groei voor {self.audience.dutch}",
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            location=where,
            description=(
                "Een online vragenuur: stel je vragen over het programma, de selectie en het "
                "jaar aan het projectteam"
                + (" en oud-deelnemers." if self.audience is QaAudience.CANDIDATES else ".")
            ),
            categories=("Ruimte voor Groei",),
        )


def qa_sessions(
    opens: date, meet: date, rules: QaRules, zone: ZoneInfo, audience: QaAudience | None = None
) -> list[QaSession]:
    """Every session from the week ``opens`` falls in until the day before ``meet``, by date
    (``audience``: one audience's only); none before ``opens``."""
    wanted = WEEKDAYS.index(rules.weekday)
    week = opens - timedelta(days=opens.weekday())
    sessions = []
    while week < meet:
        day = week + timedelta(days=wanted)
        while not is_working_day(day) and day.weekday() < 4:
            day += timedelta(days=1)  # a holiday: the next working day of the same week
        if is_working_day(day) and opens <= day < meet:
            for kind in QaAudience:
                if audience is not None and kind is not audience:
                    continue
                times = rules.candidates if kind is QaAudience.CANDIDATES else rules.organisations
                sessions.append(
                    QaSession(
                        kind,
                        week,
                        datetime.combine(day, times.start, tzinfo=zone),
                        datetime.combine(day, times.end, tzinfo=zone),
                    )
                )
        week += timedelta(days=7)
    return sorted(sessions, key=lambda s: (s.starts_at, s.audience.value))

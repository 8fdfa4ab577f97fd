"""The cohorts before this one, side by side: past cohorts with their published outcomes and
earlier live cohorts with their own records, so a report can set a plan against them.

A past cohort's figures are what was published (or derived from it, and marked so); a live
cohort's are counted: applicants, places offered by the organisations that signed up, and
placements. The figures are counts of a cohort, never of a person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rvg.dutch import number
from rvg.models import (
    Applicant,
    Cohort,
    Commitment,
    CommitmentStatus,
    CommitmentVacancy,
    Measure,
    Placement,
)


@dataclass(frozen=True)
class PastCohort:
    code: str
    name: str
    historical: bool
    applicants: int | None
    places: int | None
    participants: int | None
    derived: frozenset[str] = frozenset()  # measures derived from other published figures

    @property
    def applicants_per_place(self) -> float | None:
        """Applicants per place offered, else per participant; None when either is unknown."""
        places = self.places or self.participants
        return self.applicants / places if self.applicants and places else None

    @property
    def basis(self) -> str:
        if not self.historical:
            return "eigen registratie"
        return "gepubliceerd, deels afgeleid" if self.derived else "gepubliceerd"


def _starts(cohort: Cohort) -> date:
    return cohort.milestone("training_start") or date.min


def _order(cohort: Cohort) -> tuple[bool, date, str]:
    """Past cohorts first (by date where known, else by code), then live ones by start."""
    return (not cohort.historical, _starts(cohort), cohort.code)


def _counted(cohort: Cohort, session: Session) -> PastCohort:
    applicants = session.scalar(
        select(func.count(Applicant.id)).where(Applicant.cohort_id == cohort.id)
    )
    places = session.scalar(
        select(func.sum(CommitmentVacancy.vacancies))
        .join(Commitment, Commitment.id == CommitmentVacancy.commitment_id)
        .where(
            Commitment.cohort_id == cohort.id,
            Commitment.status == CommitmentStatus.COMMITTED.value,
        )
    )
    placed = session.scalar(
        select(func.count(Placement.id)).where(Placement.cohort_id == cohort.id)
    )
    return PastCohort(
        cohort.code, cohort.name, False, applicants or None, places or None, placed or None
    )


def _published(cohort: Cohort) -> PastCohort:
    figures = {o.measure: o for o in cohort.outcomes}

    def value(measure: Measure) -> int | None:
        figure = figures.get(measure.value)
        return figure.value if figure else None

    return PastCohort(
        cohort.code,
        cohort.name,
        True,
        value(Measure.APPLICANTS),
        value(Measure.PLACES),
        value(Measure.PARTICIPANTS),
        frozenset(o.measure for o in cohort.outcomes if o.derived),
    )


def cohorts_before(cohort: Cohort, *, session: Session) -> tuple[PastCohort, ...]:
    """Every past cohort, and the live cohorts that started training before ``cohort``."""
    everyone = session.scalars(
        select(Cohort).options(selectinload(Cohort.milestones), selectinload(Cohort.outcomes))
    ).all()
    earlier = [
        other
        for other in everyone
        if other.id != cohort.id and (other.historical or _starts(other) < _starts(cohort))
    ]
    return tuple(cohort_figures(other, session) for other in sorted(earlier, key=_order))


def cohort_figures(cohort: Cohort, session: Session) -> PastCohort:
    """A past cohort's published figures, a live cohort's counted ones."""
    return _published(cohort) if cohort.historical else _counted(cohort, session)


def _span(values: Sequence[float], decimals: int = 0) -> str:
    low, high = min(values), max(values)
    if round(low, decimals) == round(high, decimals):
        return number(low, decimals)
    return f"{number(low, decimals)} tot {number(high, decimals)}"


def size_against_history(planned: int, history: Sequence[PastCohort]) -> list[str]:
    """What earlier cohorts say about a cohort of ``planned`` participants, in Dutch: the
    sizes they reached and the applicants per place they drew; nothing without history."""
    sentences = []
    sizes = [c.participants for c in history if c.participants]
    if sizes:
        low, high = min(sizes), max(sizes)
        where = (
            "ligt daarbinnen"
            if low <= planned <= high
            else ("ligt erboven" if planned > high else "ligt eronder")
        )
        sentences.append(
            f"Eerdere lichtingen begonnen met {_span(sizes)} deelnemers; de geplande "
            f"{planned} {where}."
        )
    ratios = [r for c in history if (r := c.applicants_per_place) is not None]
    if ratios:
        expected = [planned * r for r in ratios]
        sentences.append(
            f"Zij trokken {_span(ratios, 1)} sollicitanten per plaats; voor {planned} plaatsen "
            f"is dat {_span(expected)} sollicitanten."
        )
    return sentences


def _cell(cohort: PastCohort, measure: Measure) -> str:
    value = getattr(cohort, measure.value)
    if value is None:
        return "–"
    return f"{number(value)}*" if measure.value in cohort.derived else number(value)


def history_rows(history: Sequence[PastCohort]) -> list[dict[str, str]]:
    """One row per earlier cohort as the reports show it: unknown is "–", derived gets "*"."""
    return [
        {
            "cohort": cohort.name,
            "applicants": _cell(cohort, Measure.APPLICANTS),
            "places": _cell(cohort, Measure.PLACES),
            "participants": _cell(cohort, Measure.PARTICIPANTS),
            "per_place": number(ratio, 1) if (ratio := cohort.applicants_per_place) else "–",
            "basis": cohort.basis,
        }
        for cohort in history
    ]


HISTORY_NOTE = (
    "Gepubliceerde cijfers van eerdere lichtingen naast de eigen registratie van lopende "
    "lichtingen; * is afgeleid uit gepubliceerde totalen, – is niet bekend."
)


@dataclass(frozen=True)
class HistoryView:
    """The earlier cohorts as a report shows them (``templates/reports/_history.html.j2``)."""

    rows: list[dict[str, str]]
    sentences: list[str]
    note: str = HISTORY_NOTE


def history_view(history: Sequence[PastCohort], planned: int) -> HistoryView | None:
    """The table and what it says about ``planned`` participants; None without history."""
    if not history:
        return None
    return HistoryView(history_rows(history), size_against_history(planned, history))


def history_markdown(view: HistoryView | None) -> list[str]:
    """The same as a Markdown section; nothing without history."""
    if view is None:
        return []
    return [
        "## Eerdere lichtingen",
        "",
        "| lichting | sollicitanten | plaatsen | deelnemers | sollicitanten per plaats | bron |",
        "|---|---:|---:|---:|---:|---|",
        *(
            f"| {r['cohort']} | {r['applicants']} | {r['places']} | {r['participants']} | "
            f"{r['per_place']} | {r['basis']} |"
            for r in view.rows
        ),
        "",
        *view.sentences,
        "",
        view.note,
        "",
    ]

"""The selection funnel of a cohort: how many applicants reached each stage, how many passed on
to the next, how long they stayed, and who waits too long.

Reaching a stage means reaching it or any later stage of the funnel: an applicant whose history
starts at ``interview`` (imported late) has passed the earlier stages, so the funnel never
widens. Everybody has applied. ``rejected`` and ``withdrawn`` are counted as the applicants who
are in them now. Days in a stage are counted from the stage history and only for stays that
are over (the applicant moved on); the current stay shows up in the list of who is stuck.

The figures are computed from ``FunnelApplicant``, which holds no name or address: what is
built here may go into artifacts and reports.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Literal

import pandas as pd

from rvg.dutch import number
from rvg.models import Applicant, Cohort, Stage
from rvg.reports.charts import bar_chart
from rvg.reports.rendering import render_report

FUNNEL = (
    Stage.APPLIED,
    Stage.SCREENED,
    Stage.ASSESSMENT,
    Stage.INTERVIEW,
    Stage.MEET_GREET,
    Stage.PREFERENCES,
    Stage.MATCHED,
    Stage.PLACED,
)
OUTCOMES = (Stage.REJECTED, Stage.WITHDRAWN)
STAGE_LABELS = {
    Stage.APPLIED: "Gesolliciteerd",
    Stage.SCREENED: "Door eerste selectie (brief en cv)",
    Stage.ASSESSMENT: "Online assessment",
    Stage.INTERVIEW: "Online interview",
    Stage.MEET_GREET: "Meet & greet",
    Stage.PREFERENCES: "Voorkeuren",
    Stage.MATCHED: "Gematcht",
    Stage.PLACED: "Geplaatst",
    Stage.REJECTED: "Afgewezen",
    Stage.WITHDRAWN: "Teruggetrokken",
}
UNKNOWN_SOURCE = "onbekend"
COLUMNS = ("Fase", "Telling", "Aantal", "Doorstroom (%)", "Mediaan dagen in fase")
GROUP_COLUMNS = {"track": "Leerlijn", "source": "Bron"}


@dataclass(frozen=True)
class FunnelApplicant:
    """What the funnel needs of an applicant; no name, address or phone."""

    ref: str
    track: str
    source: str | None
    stage: Stage
    stage_date: date
    history: tuple[tuple[Stage, date], ...] = ()


@dataclass(frozen=True)
class StageFigures:
    stage: Stage
    count: int
    current: bool  # True: applicants in the stage now; False: applicants who reached it
    pass_through: float | None  # percentage of the previous funnel stage
    median_days: float | None


@dataclass(frozen=True)
class StuckApplicant:
    applicant_ref: str
    stage: Stage
    days: int


def funnel_applicants(applicants: Iterable[Applicant]) -> list[FunnelApplicant]:
    """The funnel's view of stored applicants (their stage history loaded)."""
    return [
        FunnelApplicant(
            ref=a.applicant_ref,
            track=a.track_code,
            source=a.source,
            stage=Stage(a.stage),
            stage_date=a.stage_date,
            history=tuple((Stage(c.stage), c.entered_on) for c in a.stage_history),
        )
        for a in applicants
    ]


def _order(entry: tuple[Stage, date]) -> tuple[date, int]:
    """By date, and on one day in the seed's order (preferences before the match), outcomes
    last: a day's entries then never reverse the funnel."""
    stage, day = entry
    return (day, FUNNEL.index(stage) if stage in FUNNEL else len(FUNNEL))


def _runs(applicant: FunnelApplicant) -> list[tuple[Stage, date]]:
    """The history by date, repeats of the same stage merged into their first entry."""
    history = sorted(applicant.history, key=_order) or [(applicant.stage, applicant.stage_date)]
    runs = [history[0]]
    runs.extend(entry for before, entry in pairwise(history) if entry[0] != before[0])
    return runs


def furthest_stage(applicant: FunnelApplicant) -> Stage:
    """The furthest funnel stage in the applicant's history or current stage."""
    stages = {stage for stage, _ in applicant.history} | {applicant.stage, Stage.APPLIED}
    return max((stage for stage in stages if stage in FUNNEL), key=FUNNEL.index)


def stage_figures(applicants: Sequence[FunnelApplicant]) -> list[StageFigures]:
    """Counts, pass-through and median days for each funnel stage, then the outcomes."""
    furthest = [FUNNEL.index(furthest_stage(a)) for a in applicants]
    stays: dict[Stage, list[int]] = {stage: [] for stage in FUNNEL}
    for applicant in applicants:
        for (stage, start), (_, end) in pairwise(_runs(applicant)):
            if stage in stays:
                stays[stage].append((end - start).days)
    figures: list[StageFigures] = []
    previous = 0
    for index, stage in enumerate(FUNNEL):
        count = sum(1 for reached in furthest if reached >= index)
        rate = round(100 * count / previous, 1) if index and previous else None
        median = float(statistics.median(stays[stage])) if stays[stage] else None
        figures.append(StageFigures(stage, count, False, rate, median))
        previous = count
    for stage in OUTCOMES:
        count = sum(1 for a in applicants if a.stage == stage)
        figures.append(StageFigures(stage, count, True, None, None))
    return figures


def scheduled_events(cohort: Cohort) -> dict[Stage, date]:
    """The stages that wait for an event of the cohort on a fixed date: the meet & greet."""
    day = cohort.milestone("meet_and_greet")
    return {} if day is None else {Stage.MEET_GREET: day}


def stuck_applicants(
    applicants: Iterable[FunnelApplicant],
    stuck_after_days: Mapping[Stage, int],
    as_of: date,
    waits_for: Mapping[Stage, date] | None = None,
) -> list[StuckApplicant]:
    """Who has been in their stage longer than its limit on ``as_of``, longest first.

    A stage in ``waits_for`` waits for an event on a fixed date (the meet & greet): its days
    count from that date, so nobody is stuck while the event still lies ahead.
    """
    waits_for = waits_for or {}
    stuck = []
    for applicant in applicants:
        limit = stuck_after_days.get(applicant.stage)
        last_stage, since = _runs(applicant)[-1]
        entered = since if last_stage == applicant.stage else applicant.stage_date
        event = waits_for.get(applicant.stage)
        if event is not None:
            entered = max(entered, event)
        days = (as_of - entered).days
        if limit is not None and days > limit:
            stuck.append(StuckApplicant(applicant.ref, applicant.stage, days))
    return sorted(stuck, key=lambda item: (-item.days, item.applicant_ref))


def funnel_table(
    applicants: Sequence[FunnelApplicant],
    *,
    by: Literal["track", "source"] | None = None,
    track_names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The funnel as a table with Dutch column names, overall or per track or source."""
    if by is None:
        return _frame(stage_figures(applicants))
    names = (track_names or {}) if by == "track" else {}
    label = _group_label(by, names)
    groups: dict[str, list[FunnelApplicant]] = {}
    for applicant in sorted(applicants, key=lambda a: _group_order(label(a), names)):
        groups.setdefault(label(applicant), []).append(applicant)
    frames = [
        _frame(stage_figures(members)).assign(**{GROUP_COLUMNS[by]: name})
        for name, members in groups.items()
    ]
    if not frames:
        return pd.DataFrame(columns=[GROUP_COLUMNS[by], *COLUMNS])
    frame = pd.concat(frames, ignore_index=True)
    return frame[[GROUP_COLUMNS[by], *COLUMNS]]


def _group_label(
    by: Literal["track", "source"], track_names: Mapping[str, str]
) -> Callable[[FunnelApplicant], str]:
    if by == "track":
        return lambda a: track_names.get(a.track, a.track)
    return lambda a: a.source or UNKNOWN_SOURCE


def _group_order(name: str, track_names: Mapping[str, str]) -> tuple[int, bool, str]:
    """Tracks in the cohort's order; sources alphabetically with 'onbekend' last."""
    order = list(track_names.values())
    position = order.index(name) if name in order else len(order)
    return (position, name == UNKNOWN_SOURCE, name.casefold())


def funnel_sheet(
    applicants: Sequence[FunnelApplicant], track_names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """funnel.csv: the funnel in total, then per track and per source, in one table whose
    first two columns say which part a row belongs to."""
    parts = [
        funnel_table(applicants).assign(Indeling="Totaal", Groep="Alle sollicitanten"),
        funnel_table(applicants, by="track", track_names=track_names)
        .rename(columns={GROUP_COLUMNS["track"]: "Groep"})
        .assign(Indeling=GROUP_COLUMNS["track"]),
        funnel_table(applicants, by="source")
        .rename(columns={GROUP_COLUMNS["source"]: "Groep"})
        .assign(Indeling=GROUP_COLUMNS["source"]),
    ]
    sheet = pd.concat(parts, ignore_index=True)
    return sheet[["Indeling", "Groep", *COLUMNS]]


def _frame(figures: list[StageFigures]) -> pd.DataFrame:
    rows = [
        (
            STAGE_LABELS[f.stage],
            "nu in fase" if f.current else "bereikt",
            f.count,
            f.pass_through,
            f.median_days,
        )
        for f in figures
    ]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return frame.astype(
        {"Aantal": "int64", "Doorstroom (%)": float, "Mediaan dagen in fase": float}
    )


def stuck_table(stuck: Sequence[StuckApplicant]) -> pd.DataFrame:
    """Who waits too long, by reference only, with Dutch column names."""
    rows = [(s.applicant_ref, STAGE_LABELS[s.stage], s.days) for s in stuck]
    return pd.DataFrame(rows, columns=["Referentie", "Fase", "Dagen in fase"]).astype(
        {"Dagen in fase": "int64"}
    )


def funnel_html(
    applicants: Sequence[FunnelApplicant],
    *,
    cohort_name: str,
    as_of: date,
    stuck_after_days: Mapping[Stage, int],
    track_names: Mapping[str, str] | None = None,
    waits_for: Mapping[Stage, date] | None = None,
) -> str:
    """``funnel.html``: a standalone Dutch page with a bar chart and the funnel tables."""
    figures = stage_figures(applicants)
    chart = bar_chart(
        [(STAGE_LABELS[f.stage], float(f.count)) for f in figures if not f.current],
        title=f"Aantal sollicitanten per fase, {cohort_name}",
        value_label="Aantal sollicitanten dat de fase bereikte",
        chart_id="funnel",
    )
    tables = [
        ("Per leerlijn", funnel_table(applicants, by="track", track_names=track_names)),
        ("Per bron", funnel_table(applicants, by="source")),
    ]
    stuck = stuck_applicants(applicants, stuck_after_days, as_of, waits_for)
    return render_report(
        "funnel.html.j2",
        cohort_name=cohort_name,
        as_of=as_of,
        total=len(applicants),
        chart=chart,
        overall=_cells(funnel_table(applicants)),
        groups=[(title, _cells(frame)) for title, frame in tables],
        stuck=_cells(stuck_table(stuck)),
        limits=[(STAGE_LABELS[stage], days) for stage, days in stuck_after_days.items()],
    )


@dataclass(frozen=True)
class Cells:
    """A table as texts for the template: Dutch numbers, '–' for no value."""

    columns: list[str]
    numeric: list[bool]
    rows: list[list[str]]


def _cells(frame: pd.DataFrame) -> Cells:
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    rows = [[_text(value) for value in row] for row in frame.itertuples(index=False)]
    return Cells(list(frame.columns), numeric, rows)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, float):
        return number(value, 0 if value.is_integer() else 1)
    return str(value)

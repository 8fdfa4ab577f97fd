"""The rolling calendar as a picture: each live cohort's phases as bars on one time axis,
today's line, and the decisions as marks on their phase's bar (taken: filled, at the day
they were taken; still to take: open, at their key date). PNG and SVG with a Dutch legend,
for the README and the programme's overview.

A phase's bar runs over the days its work spans, from the cohort's key dates (and its stored
tender milestones, its own survey rounds): the business case's preparation up to its
decision, the sign-up to the go/no-go, the tenders from the business case to their last
milestone, the recruitment campaign to the meet & greet, two weeks of matching, the training
year, the survey rounds, and the redesign after the last round.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg import clock
from rvg.evaluation.definitions import SurveyDefinitions
from rvg.models import Cohort, Decision
from rvg.phases import Phase
from rvg.repositories.cohorts import PHASE_COMPLETED, list_cohorts
from rvg.repositories.tenders import tenders_of
from rvg.unit import Unit

PREPARATION = timedelta(weeks=4)  # drawing up the business case before its decision
MATCHING = timedelta(weeks=2)
REDESIGN = timedelta(weeks=4)
# Okabe-Ito: told apart with every kind of colour blindness, in cycle order.
COLOURS = {
    Phase.BUSINESS_CASE: "#E69F00",
    Phase.COMMITMENTS: "#56B4E9",
    Phase.TENDERING: "#999999",
    Phase.RECRUITMENT: "#009E73",
    Phase.MATCHING: "#F0E442",
    Phase.TRAINING_YEAR: "#0072B2",
    Phase.EVALUATION: "#D55E00",
    Phase.REDESIGN: "#CC79A7",
}
# The key dates that are a decision (its kind, its phase): a mark while it is still to take.
DECISION_DATES = {
    "business_case_decision": ("business_case", Phase.BUSINESS_CASE),
    "go_no_go": ("go_no_go", Phase.COMMITMENTS),
}


@dataclass(frozen=True)
class Bar:
    phase: Phase
    start: date
    end: date


@dataclass(frozen=True)
class Mark:
    phase: Phase  # drawn on that phase's bar
    on: date
    taken: bool


@dataclass(frozen=True)
class CohortCalendar:
    code: str
    bars: tuple[Bar, ...]
    marks: tuple[Mark, ...]


def phase_bars(
    key_dates: Mapping[str, date],
    surveys: SurveyDefinitions,
    tender_days: Sequence[date] = (),
) -> tuple[Bar, ...]:
    """Each phase's span from the key dates, the survey rounds and the tender milestones."""
    decided, start = key_dates["business_case_decision"], key_dates["training_start"]
    rounds = [(r.opens_on(start), r.closes_on(start)) for r in surveys.rounds] or [(start, start)]
    tender_end = max(tender_days, default=key_dates.get("recruitment_opens", start))
    last_round = max(closes for _, closes in rounds)
    spans = {
        Phase.BUSINESS_CASE: (decided - PREPARATION, decided),
        Phase.COMMITMENTS: (key_dates["signup_opens"], key_dates.get("go_no_go", decided)),
        Phase.TENDERING: (decided, max(tender_end, decided)),
        Phase.RECRUITMENT: (key_dates["recruitment_opens"], key_dates["meet_and_greet"]),
        Phase.MATCHING: (key_dates["meet_and_greet"], key_dates["meet_and_greet"] + MATCHING),
        Phase.TRAINING_YEAR: (start, start + relativedelta(months=12)),
        Phase.EVALUATION: (min(opens for opens, _ in rounds), last_round),
        Phase.REDESIGN: (last_round, last_round + REDESIGN),
    }
    return tuple(Bar(phase, *spans[phase]) for phase in Phase)


def cohort_calendars(
    cohorts: Sequence[tuple[Cohort, SurveyDefinitions]], *, session: Session, zone: ZoneInfo
) -> tuple[CohortCalendar, ...]:
    """The live cohorts' bars and decision marks (each with its own survey rounds)."""
    calendars = []
    for cohort, surveys in cohorts:
        key_dates = {m.name: m.on for m in cohort.milestones}
        tender_days = [
            m.due_on
            for tender in tenders_of(cohort, session=session).values()
            for m in tender.milestones
        ]
        taken = session.scalars(
            select(Decision).where(
                Decision.cohort_id == cohort.id, Decision.kind != PHASE_COMPLETED
            )
        ).all()
        kinds = {d.kind for d in taken}
        marks = [Mark(Phase(d.phase), d.decided_at.astimezone(zone).date(), True) for d in taken]
        marks += [
            Mark(phase, key_dates[name], False)
            for name, (kind, phase) in DECISION_DATES.items()
            if name in key_dates and kind not in kinds
        ]
        calendars.append(
            CohortCalendar(
                cohort.code,
                phase_bars(key_dates, surveys, tender_days),
                tuple(sorted(marks, key=lambda m: m.on)),
            )
        )
    return tuple(calendars)


def draw_calendar(
    calendars: Sequence[CohortCalendar], today: date, folder: Path, name: str = "kalender"
) -> tuple[Path, Path]:
    """Draw ``calendars`` into ``folder`` as ``<name>.png`` and ``<name>.svg``."""
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: searchable, read aloud
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.artist import Artist
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    rows = [(c, bar) for c in calendars for bar in c.bars]
    figure, axes = plt.subplots(figsize=(12, 1.2 + 0.32 * len(rows)), dpi=120)
    labels = []
    for index, (calendar, bar) in enumerate(rows):
        y = len(rows) - 1 - index
        width = max((bar.end - bar.start).days, 1)
        axes.barh(
            y,
            width,
            left=mdates.date2num(bar.start),
            height=0.6,
            color=COLOURS[bar.phase],
            edgecolor="#333333",
            linewidth=0.4,
        )
        labels.append((y, f"{calendar.code} · {bar.phase.dutch}"))
        for mark in calendar.marks:
            if mark.phase is bar.phase:
                axes.plot(
                    mdates.date2num(mark.on),
                    y,
                    marker="D",
                    markersize=6,
                    color="#1a1a1a",
                    markerfacecolor="#1a1a1a" if mark.taken else "white",
                    zorder=3,
                )
    for boundary in range(1, len(calendars)):
        axes.axhline(len(rows) - boundary * len(Phase) - 0.5, color="#bbbbbb", linewidth=0.8)
    axes.axvline(mdates.date2num(today), color="#c00000", linewidth=1.5, zorder=4)
    axes.set_yticks([y for y, _ in labels], [label for _, label in labels], fontsize=9)
    axes.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    axes.xaxis.set_minor_locator(mdates.MonthLocator())
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%m-%Y"))
    axes.grid(axis="x", which="major", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.set_title("Rollende kalender: de lichtingen naast elkaar", fontsize=12, loc="left")
    handles: list[Artist] = [
        Patch(facecolor=COLOURS[p], edgecolor="#333333", label=p.dutch) for p in Phase
    ]
    handles += [
        Line2D([], [], color="#c00000", linewidth=1.5, label=f"vandaag ({today:%d-%m-%Y})"),
        Line2D([], [], marker="D", linestyle="", color="#1a1a1a", label="besluit genomen"),
        Line2D(
            [],
            [],
            marker="D",
            linestyle="",
            color="#1a1a1a",
            markerfacecolor="white",
            label="besluit nog te nemen",
        ),
    ]
    axes.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.06),
        ncol=6,
        fontsize=9,
        frameon=False,
    )
    folder.mkdir(parents=True, exist_ok=True)
    png, svg = folder / f"{name}.png", folder / f"{name}.svg"
    figure.savefig(png, bbox_inches="tight")
    # the same picture gives the same file
    figure.savefig(svg, bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    return png, svg


def write_programme_calendar(u: Unit, as_of: date | None = None) -> tuple[Path, Path]:
    """The live cohorts' rolling calendar in ``out/programme/`` (each cohort's survey rounds
    from its own rules), as of ``as_of``."""
    day = clock.today(as_of, u.settings.zone)
    cohorts = sorted(
        list_cohorts(historical=False, session=u.session),
        key=lambda c: (c.milestone("training_start") or date.max, c.code),
    )
    calendars = cohort_calendars(
        [(c, u.config_of(c).surveys) for c in cohorts], session=u.session, zone=u.settings.zone
    )
    return draw_calendar(calendars, day, u.settings.output_dir / "programme")

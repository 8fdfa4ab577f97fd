"""One overview per cohort, as the project team reads it in the Prefect UI: where the cycle
stands, the decisions waiting and taken, the figures so far, money against budget, and the
next milestones. Counts of a cohort only, never a person; survey figures keep the small-group
rule (withheld: "onbekend").

The decisions waiting are Prefect's to know (runs paused on a form): the caller passes them
in as :class:`Pending`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from rvg import clock
from rvg.business_case.report import cost_lines_markdown
from rvg.cycle import PhaseStates, cohort_phases
from rvg.dutch import dutch_date
from rvg.history import cohort_figures
from rvg.models import Decision
from rvg.redesign.collect import actuals_for
from rvg.redesign.report import KEY_DATE_LABELS
from rvg.redesign.rules import Actuals
from rvg.repositories.cohorts import PHASE_COMPLETED
from rvg.unit import Unit

MILESTONES_SHOWN = 3


@dataclass(frozen=True)
class Pending:
    """A run that waits for a decision on its form."""

    run_name: str
    url: str | None  # the run in the Prefect UI, when the UI's address is known
    since: date | None = None


@dataclass(frozen=True)
class Taken:
    what: str
    outcome: str
    decided_by: str
    on: date


@dataclass(frozen=True)
class CohortOverview:
    code: str
    name: str
    as_of: date
    phases: PhaseStates
    taken: tuple[Taken, ...]
    actuals: Actuals
    places: int | None
    milestones: tuple[tuple[str, date], ...]


def artifact_key(code: str) -> str:
    """``cohort-2027``: an artifact key holds lower-case letters, digits and dashes only."""
    return "cohort-" + re.sub(r"[^a-z0-9-]+", "-", code.lower()).strip("-")


def decision_label(kind: str) -> str:
    """A stored decision's kind in Dutch."""
    if kind.startswith("award:"):
        return f"Gunning perceel {kind.removeprefix('award:')}"
    if kind.startswith("redesign:"):
        return f"Tussentijds herontwerp (na {kind.removeprefix('redesign:')})"
    return {
        "business_case": "Business case",
        "go_no_go": "Go/no-go",
        "redesign": "Herontwerp",
    }.get(kind, kind)


def _milestones(u: Unit, day: date) -> tuple[tuple[str, date], ...]:
    """The key dates and survey rounds still ahead, the first three."""
    cohort = u.cohort
    ahead = [(KEY_DATE_LABELS.get(m.name, m.name), m.on) for m in cohort.milestones]
    start = cohort.milestone("training_start")
    if start is not None:
        ahead += [(f"Enquête {r.code} open", r.opens_on(start)) for r in u.config.surveys.rounds]
    coming = sorted((on, label) for label, on in ahead if on >= day)
    return tuple((label, on) for on, label in coming[:MILESTONES_SHOWN])


def cohort_overview(u: Unit, as_of: date | None = None) -> CohortOverview:
    """The unit's cohort as it stands on ``as_of``."""
    day = clock.today(as_of, u.settings.zone)
    cohort = u.cohort
    decided = u.session.scalars(
        select(Decision)
        .where(Decision.cohort_id == cohort.id, Decision.kind != PHASE_COMPLETED)
        .order_by(Decision.decided_at, Decision.id)
    ).all()
    taken = tuple(
        Taken(
            decision_label(d.kind),
            d.outcome,
            d.decided_by,
            d.decided_at.astimezone(u.settings.zone).date(),
        )
        for d in decided
    )
    actuals = actuals_for(
        cohort,
        u.config.procurement.lots,
        session=u.session,
        min_group_size=u.config.surveys.min_group_size,
    )
    return CohortOverview(
        code=cohort.code,
        name=cohort.name,
        as_of=day,
        phases=cohort_phases(cohort, day, session=u.session, zone=u.settings.zone),
        taken=taken,
        actuals=actuals,
        places=cohort_figures(cohort, u.session).places,
        milestones=_milestones(u, day),
    )


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _percent(value: float | None) -> str:
    return "onbekend" if value is None else f"{value:.0f}%"


def _phase_line(states: PhaseStates) -> list[str]:
    lines = []
    if states.running:
        lines.append("- Lopend: " + ", ".join(p.dutch for p in states.running))
    if states.ahead:
        lines.append(
            "- Straks: " + ", ".join(f"{p.dutch} vanaf {dutch_date(d)}" for p, d in states.ahead)
        )
    if states.done:
        lines.append("- Klaar: " + ", ".join(p.dutch for p in states.done))
    return lines or ["- Nog niets begonnen."]


def figure_rows(o: CohortOverview) -> list[tuple[str, str]]:
    """The cohort's figures so far, in Dutch."""
    a = o.actuals
    places = f" ({o.places} plaatsen)" if o.places else ""
    rate = f" ({_percent(a.dropout_rate)})" if a.placements else ""
    return [
        ("Aangemelde organisaties", f"{a.signups}{places}"),
        ("Sollicitanten", str(a.applicants)),
        ("Meet & greet", str(a.meet_greet)),
        ("Gematcht", str(a.matched)),
        ("Plaatsingen", str(a.placements)),
        ("Uitvallers", f"{a.drop_outs}{rate}"),
        ("Respons enquêtes", _percent(a.response_rate)),
    ]


def overview_markdown(o: CohortOverview, pending: Sequence[Pending] = ()) -> str:
    """The overview as the artifact ``cohort-<code>`` shows it."""
    waiting = [f"- [{p.run_name}]({p.url})" if p.url else f"- {p.run_name}" for p in pending]
    lines = [
        f"# Overzicht {o.name}",
        "",
        f"Stand van {dutch_date(o.as_of)}.",
        "",
        "## Fasen",
        "",
        *_phase_line(o.phases),
        "",
        "## Besluiten",
        "",
        "Wachten op een besluit (het formulier staat bij de run):",
        "",
        *(waiting or ["- Geen."]),
        "",
    ]
    if o.taken:
        lines += [
            "| genomen besluit | uitkomst | door | op |",
            "|---|---|---|---|",
            *(
                f"| {t.what} | {t.outcome} | {_cell(t.decided_by)} | {dutch_date(t.on)} |"
                for t in o.taken
            ),
            "",
        ]
    lines += [
        "## Cijfers tot nu toe",
        "",
        "| | |",
        "|---|---:|",
        *(f"| {label} | {value} |" for label, value in figure_rows(o)),
        "",
        *cost_lines_markdown(o.actuals.cost_lines),
        "## Komende mijlpalen",
        "",
        *(
            [f"- {dutch_date(on)}: {label}" for label, on in o.milestones]
            or ["- Geen: alle mijlpalen liggen achter de lichting."]
        ),
    ]
    return "\n".join(lines) + "\n"

"""One overview per cohort, as the project team reads it in the Prefect UI: where the cycle
stands, the decisions waiting and taken, the figures so far, money against budget, and the
next milestones. Counts of a cohort only, never a person; survey figures keep the small-group
rule (withheld: "onbekend").

The decisions waiting are Prefect's to know (runs paused on a form): the caller passes them
in as :class:`Pending`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rvg import clock
from rvg.business_case.report import cost_lines_markdown
from rvg.cycle import PhaseStates, cohort_phases
from rvg.dutch import dutch_date
from rvg.history import HISTORY_NOTE, PastCohort, cohort_figures, history_rows
from rvg.information.requests import ProfileStatus, profile_status, status_markdown
from rvg.models import Cohort, Contact, Contract, Decision, Organisation, Placement
from rvg.phases import Phase
from rvg.redesign.collect import actuals_for
from rvg.redesign.report import KEY_DATE_LABELS
from rvg.redesign.rules import Actuals
from rvg.repositories.cohorts import PHASE_COMPLETED
from rvg.repositories.tenders import reservations_before
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
    pages: ProfileStatus | None = None  # the information pages, until the recruitment opens
    recruitment_opens: date | None = None


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
    opens = cohort.milestone("recruitment_opens")
    pages = profile_status(cohort, session=u.session)
    before_campaign = opens is not None and day < opens and pages.taking_part > 0
    return CohortOverview(
        code=cohort.code,
        name=cohort.name,
        as_of=day,
        pages=pages if before_campaign else None,
        recruitment_opens=opens,
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
        *(
            [status_markdown(o.pages, o.recruitment_opens), ""]
            if o.pages is not None and o.recruitment_opens is not None
            else []
        ),
        "## Komende mijlpalen",
        "",
        *(
            [f"- {dutch_date(on)}: {label}" for label, on in o.milestones]
            or ["- Geen: alle mijlpalen liggen achter de lichting."]
        ),
    ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class ContractState:
    """A shared contract of the register: its options used, planned by cohorts, and left."""

    lot: str
    supplier: str
    starts_on: date
    ends_on: date
    options_total: int
    options_used: int
    planned: tuple[tuple[str, int], ...]  # (cohort, options) planned and not yet recorded

    @property
    def left(self) -> int:
        return self.options_total - self.options_used - sum(n for _, n in self.planned)


@dataclass(frozen=True)
class SharedPerson:
    """A buddy or manager serving participants of more than one cohort (no name: the team
    finds the person by organisation and role in its own records)."""

    organisation: str
    roles: tuple[str, ...]
    cohorts: tuple[str, ...]
    participants: int


@dataclass(frozen=True)
class ProgrammeOverview:
    as_of: date
    cohorts: tuple[tuple[PastCohort, str], ...]  # each cohort with where it stands (live)
    contracts: tuple[ContractState, ...]
    shared: tuple[SharedPerson, ...]


def _contracts(session: Session, lots: Mapping[str, str]) -> tuple[ContractState, ...]:
    """Each lot's current contract (the one that runs longest), with its options."""
    current: dict[str, Contract] = {}
    for contract in session.scalars(select(Contract)):
        if contract.lot not in current or contract.ends_on > current[contract.lot].ends_on:
            current[contract.lot] = contract
    return tuple(
        ContractState(
            lots.get(lot, lot),
            contract.supplier,
            contract.starts_on,
            contract.ends_on,
            contract.extension_options_total,
            contract.extension_options_used,
            tuple((r.cohort, r.options) for r in reservations_before(lot, None, session=session)),
        )
        for lot, contract in sorted(current.items())
    )


def _shared(session: Session) -> tuple[SharedPerson, ...]:
    """Buddies and managers with participants in more than one live cohort."""
    rows = session.execute(
        select(Placement.buddy_contact_id, Placement.manager_contact_id, Cohort.code)
        .join(Cohort, Cohort.id == Placement.cohort_id)
        .where(Cohort.historical.is_(False))
    ).all()
    serving: dict[int, dict[str, Any]] = {}
    for buddy, manager, code in rows:
        for contact, role in ((buddy, "buddy"), (manager, "leidinggevende")):
            if contact is None:
                continue
            entry = serving.setdefault(contact, {"roles": set(), "cohorts": set(), "n": 0})
            entry["roles"].add(role)
            entry["cohorts"].add(code)
            entry["n"] += 1
    several = {c: e for c, e in serving.items() if len(e["cohorts"]) > 1}
    if not several:
        return ()
    names = dict(
        session.execute(
            select(Contact.id, Organisation.name)
            .join(Organisation, Organisation.id == Contact.organisation_id)
            .where(Contact.id.in_(several))
        ).all()
    )
    people = [
        SharedPerson(
            names.get(contact, "?"),
            tuple(sorted(e["roles"])),
            tuple(sorted(e["cohorts"])),
            e["n"],
        )
        for contact, e in several.items()
    ]
    return tuple(sorted(people, key=lambda p: (p.organisation, p.roles, p.cohorts)))


def programme_overview(
    session: Session, zone: ZoneInfo, lots: Mapping[str, str], as_of: date | None = None
) -> ProgrammeOverview:
    """Every cohort (history and live) side by side, the shared contracts and the people
    serving in more than one cohort; ``lots``: each lot's description."""
    day = clock.today(as_of, zone)
    cohorts = session.scalars(
        select(Cohort).options(selectinload(Cohort.milestones), selectinload(Cohort.outcomes))
    ).all()
    ordered = sorted(
        cohorts, key=lambda c: (not c.historical, c.milestone("training_start") or date.min, c.code)
    )
    side_by_side = tuple(
        (
            cohort_figures(c, session),
            "" if c.historical else _stand(cohort_phases(c, day, session=session, zone=zone)),
        )
        for c in ordered
    )
    return ProgrammeOverview(day, side_by_side, _contracts(session, lots), _shared(session))


def _stand(states: PhaseStates) -> str:
    if len(states.done) == len(Phase):
        return "afgerond"
    if states.running:
        return ", ".join(p.dutch for p in states.running)
    if states.ahead:
        phase, day = states.ahead[0]
        return f"{phase.dutch} vanaf {dutch_date(day)}"
    return "nog niet begonnen"


def programme_markdown(o: ProgrammeOverview, chart: str | None = None) -> str:
    """The artifact ``programme``; ``chart``: where the rolling calendar's picture is."""
    rows = history_rows([figures for figures, _ in o.cohorts])
    lines = [
        "# Overzicht van het programma",
        "",
        f"Stand van {dutch_date(o.as_of)}.",
        "",
        "## Lichtingen",
        "",
        "| lichting | sollicitanten | plaatsen | deelnemers | per plaats | bron | stand |",
        "|---|---:|---:|---:|---:|---|---|",
        *(
            f"| {r['cohort']} | {r['applicants']} | {r['places']} | {r['participants']} | "
            f"{r['per_place']} | {r['basis']} | {stand or 'historie'} |"
            for r, (_, stand) in zip(rows, o.cohorts, strict=True)
        ),
        "",
        HISTORY_NOTE,
        "",
    ]
    if chart:
        lines += [f"De kalender van alle lichtingen: [{chart}]({chart})", ""]
    lines += ["## Gedeelde contracten", ""]
    if o.contracts:
        lines += [
            "| perceel | leverancier | looptijd | opties gebruikt | gepland | over |",
            "|---|---|---|---:|---|---:|",
            *(
                f"| {c.lot} | {_cell(c.supplier)} | {dutch_date(c.starts_on)} – "
                f"{dutch_date(c.ends_on)} | {c.options_used} van {c.options_total} | "
                f"{', '.join(f'{n} voor {code}' for code, n in c.planned) or '–'} | {c.left} |"
                for c in o.contracts
            ),
            "",
        ]
    else:
        lines += ["Nog geen contracten in het register.", ""]
    lines += ["## Mensen in meer dan één lichting", ""]
    if o.shared:
        lines += [
            "| organisatie | rol | lichtingen | deelnemers |",
            "|---|---|---|---:|",
            *(
                f"| {_cell(p.organisation)} | {', '.join(p.roles)} | {', '.join(p.cohorts)} | "
                f"{p.participants} |"
                for p in o.shared
            ),
            "",
            "Een buddy of leidinggevende die deelnemers van meer lichtingen begeleidt: let op de "
            "belasting (de begeleiding mag niet op één persoon leunen).",
        ]
    else:
        lines += ["Niemand begeleidt deelnemers van meer dan één lichting."]
    return "\n".join(lines) + "\n"

"""The redesign report (Dutch): actuals against the business case, findings and actions, the
proposed next cohort and the lessons the team added. HTML from a template, Markdown for the
Prefect artifact."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rvg.business_case.actuals import BASIS_LABELS, Revision
from rvg.business_case.costing import CohortCost
from rvg.business_case.report import cost_lines_markdown
from rvg.config.programme import ProgrammeConfig
from rvg.dutch import dutch_date, euro, number
from rvg.history import HistoryView, history_markdown
from rvg.lead_times import LEAD_TIME, ORDER, PROPOSAL_DAY, YEAR_ON
from rvg.redesign.proposal import CURRENT, LESSON
from rvg.redesign.revision import Change
from rvg.redesign.rules import Actuals, Finding, RedesignRules
from rvg.reports.rendering import render_report

KEY_DATE_LABELS = {
    "business_case_decision": "Besluit business case",
    "signup_opens": "Aanmelding organisaties open",
    "signup_deadline": "Deadline aanmelding",
    "go_no_go": "Go/no-go",
    "recruitment_opens": "Start werving",
    "meet_and_greet": "Meet & greet",
    "training_start": "Start opleiding",
}


@dataclass(frozen=True)
class RedesignFigures:
    cohort_name: str
    as_of: date
    actuals: Actuals
    findings: list[Finding]
    proposal: dict[str, Any]
    next_cost: CohortCost
    # the cost lines whose actual amounts priced the next cohort, actual over budget
    cost_revisions: tuple[Revision, ...] = ()
    lessons: str = ""
    decision: str | None = None  # "accepted", "rejected" or None (not decided yet)
    history: HistoryView | None = None  # the cohorts so far, this one included
    unplanned: tuple[str, ...] = ()  # lead times the proposed key dates still do not leave
    stage: str | None = None  # the survey round an interim redesign follows; None: final
    size_source: str = ""  # where the proposed size comes from, in Dutch
    date_sources: dict[str, str] = field(default_factory=dict)  # key date → its source
    changes: tuple[Change, ...] = ()  # to the next cohort that runs already
    revises: bool = False  # the next cohort runs already

    @property
    def title(self) -> str:
        if self.stage:
            return f"Tussentijds herontwerp {self.cohort_name} (na ronde {self.stage})"
        return f"Herontwerp {self.cohort_name}"

    @property
    def open_changes(self) -> list[Change]:
        return [change for change in self.changes if change.open]

    @property
    def fixed_changes(self) -> list[Change]:
        return [change for change in self.changes if not change.open]


def _value(value: object, suffix: str = "") -> str:
    if value is None:
        return "onbekend"
    if isinstance(value, float):
        return number(value, 0 if value.is_integer() else 1) + suffix
    return f"{value}{suffix}"


def _per_round(figures: tuple[tuple[str, float], ...]) -> str:
    """``m03 +40; m06 +35`` in Dutch notation; 'onbekend' when no round is shown."""
    if not figures:
        return "onbekend"
    return "; ".join(f"{code} {'+' if value > 0 else ''}{_value(value)}" for code, value in figures)


def _planned_cost(a: Actuals) -> str:
    """The business case's cost per participant at the size the cohort had, and at its plan
    when that differs: a bigger cohort costs less per participant."""
    planned, at_size = a.cost_per_participant_planned, a.cost_per_participant_at_size
    if planned is None:
        return "onbekend"
    if at_size is None or a.placements == a.planned_participants:
        return euro(planned)
    return f"{euro(at_size)} bij {a.placements} ({euro(planned)} bij {a.planned_participants})"


def funding_rows(a: Actuals) -> list[tuple[str, str]]:
    """Who pays the actual cost: contributions, co-funding and the gap (or surplus)."""
    money = a.funding
    if money is None:
        return []
    gap = money.gap
    return [
        ("Werkelijke kosten", euro(money.actual_cost)),
        (
            f"Bijdragen van de organisaties ({a.placements} deelnemers)",
            euro(money.contributions),
        ),
        ("Cofinanciering uit de business case", euro(money.cofunding)),
        (
            "Niet gedekt" if gap >= 0 else "Meer ontvangen dan uitgegeven",
            euro(abs(gap)),
        ),
    ]


def funding_note(a: Actuals) -> str:
    money = a.funding
    if money is None or not money.uncovered:
        return "De bijdragen en de cofinanciering dekken de werkelijke kosten."
    return (
        f"Van de werkelijke kosten is {euro(money.gap)} niet gedekt. Wie dat betaalt, is nog "
        "niet vastgelegd: in de regel de provincie. Neem haar bijdrage op in "
        "config/costs.yaml (cofunding_per_cohort) voor de volgende business case."
    )


def actual_rows(a: Actuals) -> list[tuple[str, str, str]]:
    """(figure, business case, actual) in Dutch notation; unknown or withheld: 'onbekend'."""
    cost_actual = a.cost_per_participant_actual
    return [
        ("Deelnemers", str(a.planned_participants), str(a.placements)),
        (
            "Kosten per deelnemer",
            _planned_cost(a),
            euro(cost_actual) if cost_actual is not None else "onbekend",
        ),
        ("Aangemelde organisaties", "", str(a.signups)),
        ("Sollicitanten", "", str(a.applicants)),
        ("Meet & greet", "", str(a.meet_greet)),
        ("Gematcht", "", str(a.matched)),
        ("Plaatsing bij eerste keus", "", _value(a.first_choice_share, "%")),
        ("Uitvallers", "", f"{a.drop_outs} ({_value(a.dropout_rate, '%')})"),
        ("Respons enquêtes", "", _value(a.response_rate, "%")),
        ("Uren buddy per week (gemiddeld)", "", _value(a.buddy_hours_mean)),
        (
            "NPS deelnemers, per ronde (niet opgeteld: dezelfde mensen antwoorden elke ronde)",
            "",
            _per_round(a.nps),
        ),
    ]


# The lead time a key date keeps after the one it counts from, in Dutch.
LEAD_LABELS = {
    "signup_deadline": ("de aanmeldtermijn", "signup_window_days"),
    "meet_and_greet": ("de wervingscampagne", "recruitment_campaign_days"),
    "training_start": ("matchen en plaatsen", "placement_days"),
}


def funnel_rows(a: Actuals) -> list[tuple[str, str, str, str]]:
    """(stage, reached, pass-through, median days in the stage) in Dutch notation."""
    return [
        (label, str(count), _value(rate, "%") if rate is not None else "", _value(days))
        for label, count, rate, days in a.funnel
    ]


def date_source(
    source: str,
    name: str,
    years: int,
    cohort: str,
    programme: ProgrammeConfig,
    rules: RedesignRules,
) -> str:
    """Why a proposed key date lies where it does, in Dutch."""
    if source == YEAR_ON:
        span = "een jaar" if years == 1 else f"{years} jaar"
        return f"{span} ({52 * years} weken) na lichting {cohort}, op dezelfde weekdag"
    if source == PROPOSAL_DAY:
        return "geschoven tot na de dag van het voorstel"
    if source == LEAD_TIME and name in LEAD_LABELS:
        what, days = LEAD_LABELS[name]
        lead = getattr(programme.lead_times, days)
        return f"geschoven zodat {what} {lead} dagen krijgt (config/programme.yaml)"
    if source == ORDER:
        return "geschoven om na de mijlpaal ervoor te blijven"
    if source == LESSON:
        return (
            f"les: te weinig aanmeldingen, de aanmelding opent {rules.signup_weeks_earlier} "
            "weken eerder"
        )
    if source == CURRENT:
        return "zoals de lichting nu gepland is"
    return source


def date_rows(figures: RedesignFigures) -> list[tuple[str, str, str]]:
    """(key date, day, where it comes from) of the proposal, in Dutch."""
    return [
        (KEY_DATE_LABELS.get(name, name), dutch_date(day), figures.date_sources.get(name, ""))
        for name, day in figures.proposal["key_dates"].items()
    ]


def change_line(change: Change) -> str:
    """One change to a running next cohort, in Dutch."""
    state = "te besluiten" if change.open else "niet meer te wijzigen"
    return f"{change.label}: {change.current} → {change.proposed} ({state}; {change.reason})"


def cost_note(figures: RedesignFigures) -> str:
    """Where the next cohort's price comes from, in Dutch: the actual cost per line."""
    if not figures.cost_revisions:
        return (
            "Geprijsd met het kostenmodel (config/costs.yaml): nog geen kostenregel heeft een "
            "werkelijk bedrag (factuur of gunning)."
        )
    revised = "; ".join(
        f"{r.label} × {number(r.ratio, 2)} ({BASIS_LABELS[r.basis]})"
        for r in figures.cost_revisions
    )
    return (
        f"Geprijsd op de werkelijke kosten van lichting {figures.actuals.cohort}, niet op de "
        f"oude raming: {revised}. Regels zonder werkelijk bedrag houden de raming."
    )


def dates_note(figures: RedesignFigures) -> str:
    """How the proposal's key dates were planned, in Dutch."""
    made = dutch_date(figures.as_of)
    if figures.revises:
        return (
            f"Lichting {figures.proposal['code']} loopt al: dit zijn haar data met de "
            "wijzigingen die zij nog kan overnemen; wat vastligt, blijft staan."
        )
    if figures.unplanned:
        return (
            f"Gepland vanaf {made}: geen datum ligt eerder, maar niet elke voorbereidingstijd "
            "past; pas de data aan voordat de lichting wordt aangemaakt:"
        )
    return (
        f"Gepland vanaf {made}: geen datum ligt eerder, de start van de opleiding valt in "
        "dezelfde week van het jaar, en elke stap houdt zijn voorbereidingstijd "
        "(aanmeldtermijn, wervingscampagne, aanbesteding per perceel)."
    )


def render_html(figures: RedesignFigures) -> str:
    return render_report(
        "redesign.html.j2",
        report=figures,
        rows=actual_rows(figures.actuals),
        funnel=funnel_rows(figures.actuals),
        funding=funding_rows(figures.actuals),
        funding_note=funding_note(figures.actuals),
        dates=date_rows(figures),
        dates_note=dates_note(figures),
        cost_note=cost_note(figures),
    )


def render_markdown(figures: RedesignFigures) -> str:
    """The artifact: the same content as the HTML, in Markdown tables."""
    a, proposal = figures.actuals, figures.proposal
    target = proposal["target_participants"]
    lines = [
        f"# {figures.title}",
        "",
        "| | business case | werkelijk |",
        "|---|---:|---:|",
        *(f"| {label} | {planned} | {actual} |" for label, planned, actual in actual_rows(a)),
        "",
        *_funnel_markdown(a),
        *cost_lines_markdown(a.cost_lines),
        *_contributions_markdown(a),
        *_funding_markdown(a),
        *history_markdown(figures.history),
        "## Bevindingen en acties",
        "",
        *(
            [f"- **{f.finding}** Actie: {f.action}" for f in figures.findings]
            or ["Geen bevindingen: alle cijfers binnen de normen van config/redesign.yaml."]
        ),
        "",
        f"## Voorstel {proposal['name']}",
        "",
        f"Verwachte omvang {target['min']}–{target['max']} deelnemers; bij "
        f"{figures.next_cost.participants} deelnemers {euro(figures.next_cost.per_participant)} "
        "per deelnemer.",
        "",
        f"Omvang: {figures.size_source}.",
        "",
        cost_note(figures),
        "",
        *_changes_markdown(figures),
        "| mijlpaal | datum | bron |",
        "|---|---|---|",
        *(f"| {label} | {day} | {source} |" for label, day, source in date_rows(figures)),
        "",
        dates_note(figures),
        *(f"- {problem}" for problem in figures.unplanned),
    ]
    if figures.lessons:
        lines += ["", "## Lessen van het team", "", figures.lessons]
    return "\n".join(lines) + "\n"


def _funnel_markdown(a: Actuals) -> list[str]:
    rows = funnel_rows(a)
    if not rows:
        return []
    return [
        "## Werving: trechter en doorlooptijd",
        "",
        "| fase | bereikt | doorstroom | mediaan dagen in fase |",
        "|---|---:|---:|---:|",
        *(f"| {label} | {n} | {rate} | {days} |" for label, n, rate, days in rows),
        "",
    ]


def _changes_markdown(figures: RedesignFigures) -> list[str]:
    if not figures.revises:
        return []
    if not figures.changes:
        return [f"Lichting {figures.proposal['code']} loopt al; het voorstel wijzigt niets.", ""]
    return [
        f"### Wijzigingen voor lichting {figures.proposal['code']}, die al loopt",
        "",
        *(f"- {change_line(change)}" for change in figures.changes),
        "",
    ]


def _funding_markdown(a: Actuals) -> list[str]:
    rows = funding_rows(a)
    if not rows:
        return []
    return [
        "## Dekking van de kosten",
        "",
        "| | bedrag |",
        "|---|---:|",
        *(f"| {label} | {amount} |" for label, amount in rows),
        "",
        funding_note(a),
        "",
    ]


def _contributions_markdown(a: Actuals) -> list[str]:
    if not a.contributions:
        return []
    return [
        "## Bijdrage per organisatie",
        "",
        "| organisatie | deelnemers | bijdrage |",
        "|---|---:|---:|",
        *(f"| {c.organisation} | {c.placements} | {euro(c.amount)} |" for c in a.contributions),
        "",
    ]

"""Phase 8's steps, called the same way by the task and the CLI: draw up the findings and
the next cohort's proposal from a cohort's actuals, and record the team's decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import BaseModel

from rvg import clock
from rvg.business_case.actuals import revised_model
from rvg.business_case.costing import CostModel, cohort_cost, cost_model_text
from rvg.history import cohort_figures, cohorts_before, history_view
from rvg.lead_times import Shortfall, forward_key_dates
from rvg.phases import Phase
from rvg.programme import RulesDecided, create_cohort
from rvg.redesign.collect import actuals_for
from rvg.redesign.decision import RedesignDecision
from rvg.redesign.proposal import key_dates_of, next_cohort, target_range, write_cohort_file
from rvg.redesign.report import RedesignFigures, render_html
from rvg.redesign.rules import findings
from rvg.repositories import decisions
from rvg.rule_sets import checked_rule_files
from rvg.tendering.status import supply_shortfalls
from rvg.unit import Unit

DECISION_KIND = "redesign"


class RedesignSummary(BaseModel):
    """What phase 8 produced, as the flow returns it."""

    cohort: str
    placements: int
    cost_per_participant: float | None
    findings: list[str]
    actions: list[str]  # each finding with its proposed action, in Dutch
    next_cohort: str
    next_target: tuple[int, int]
    decision: str | None
    report: str
    cohort_file: str


@dataclass(frozen=True)
class DrawnUp:
    figures: RedesignFigures
    summary: RedesignSummary
    next_costs: CostModel  # the cost model revised to this cohort's actual cost per line


def draw_up(u: Unit, as_of: date | None) -> DrawnUp:
    """Compare actuals with the business case, apply the rules, write ``redesign.html`` and
    the next cohort's file to the cohort's output folder."""
    rules, loaded = u.config.redesign, u.cohort
    actuals = actuals_for(
        loaded,
        u.config.procurement.lots,
        session=u.session,
        min_group_size=u.config.surveys.min_group_size,
    )
    day = clock.today(as_of, u.settings.zone)
    _, high = target_range(actuals, rules.min_participants, rules.target_margin)
    years, key_dates, unplanned = plan_key_dates(u, key_dates_of(loaded), day, high)
    proposal = next_cohort(
        loaded,
        actuals,
        key_dates,
        years,
        minimum=rules.min_participants,
        margin=rules.target_margin,
    )
    decided = decisions.latest_decision(loaded, DECISION_KIND, session=u.session)
    target = proposal["target_participants"]
    history = (*cohorts_before(loaded, session=u.session), cohort_figures(loaded, u.session))
    planned = (target["min"] + target["max"] + 1) // 2
    next_model, revisions = revised_model(u.config.costs, actuals.cost_lines, loaded.code)
    figures = RedesignFigures(
        cohort_name=loaded.name,
        as_of=day,
        actuals=actuals,
        findings=findings(actuals, rules),
        proposal=proposal,
        next_cost=cohort_cost(next_model, planned),
        cost_revisions=revisions,
        lessons=decided.payload.get("lessons", "") if decided else "",
        decision=decided.outcome if decided else None,
        history=history_view(history, planned),
        unplanned=tuple(shortfall.dutch for shortfall in unplanned),
    )
    folder = u.settings.output_dir / loaded.code
    folder.mkdir(parents=True, exist_ok=True)
    html = folder / "redesign.html"
    html.write_text(render_html(figures), encoding="utf-8")
    cohort_file = write_cohort_file(
        proposal,
        folder / f"next-cohort-{proposal['code']}.yaml",
        header=f"Voorstel uit het herontwerp van lichting {loaded.code} (rvg run redesign).\n"
        f"Maak de lichting aan met: rvg cohort create {proposal['code']} --config <dit bestand>",
    )
    cost = actuals.cost_per_participant_actual
    return DrawnUp(
        figures,
        RedesignSummary(
            cohort=loaded.code,
            placements=actuals.placements,
            cost_per_participant=float(cost) if cost is not None else None,
            findings=[f.code for f in figures.findings],
            actions=[f"{f.finding} Actie: {f.action}" for f in figures.findings],
            next_cohort=proposal["code"],
            next_target=(target["min"], target["max"]),
            decision=figures.decision,
            report=str(html),
            cohort_file=str(cohort_file),
        ),
        next_model,
    )


def plan_key_dates(
    u: Unit, current: dict[str, date], as_of: date, target_max: int
) -> tuple[int, dict[str, date], list[Shortfall]]:
    """The next cohort's key dates forward from ``as_of`` with the programme's lead times,
    and what still does not fit: those lead times, or a lot that no contract in the
    register, extension or new tender supplies in time."""
    years, dates, left = forward_key_dates(current, as_of, u.config.programme)
    tenders = supply_shortfalls(
        dates, target_max, as_of, u.config.procurement, u.config.costs, session=u.session
    )
    return years, dates, [*left, *tenders]


@dataclass(frozen=True)
class Adopted:
    """The next cohort as an accepted proposal made it."""

    code: str
    outcome: str  # imported, updated or unchanged
    rules_version: int
    warnings: tuple[str, ...]


def adopt_proposal(u: Unit, drawn: DrawnUp, as_of: date | None) -> Adopted:
    """The accepted proposal becomes the next cohort (or updates it): its key dates and size
    from the proposal's file, its rules those of ``config/`` with the costs revised to what
    this cohort actually cost per line."""
    day = clock.today(as_of, u.settings.zone)
    code = drawn.summary.next_cohort
    files = checked_rule_files(u.settings.config_dir)
    files["costs.yaml"] = cost_model_text(
        drawn.next_costs,
        f"Kosten van lichting {code}: config/costs.yaml, per kostenregel herzien naar de "
        f"werkelijke kosten van lichting {u.cohort.code} (herontwerp).",
    )
    loaded = create_cohort(
        code,
        Path(drawn.summary.cohort_file),
        u.settings.config_dir,
        session=u.session,
        as_of=day,
        rules=RulesDecided(files, f"proposed by the redesign of cohort {u.cohort.code}"),
    )
    return Adopted(code, loaded.outcome, u.rule_set(loaded.cohort).version, tuple(loaded.warnings))


def record_decision(u: Unit, decision: RedesignDecision, as_of: date | None) -> str:
    """The team's decision on the proposal, with the lessons (who, when, what)."""
    decision = RedesignDecision.model_validate(decision.model_dump())
    outcome = "accepted" if decision.accepted else "rejected"
    decisions.record_decision(
        u.cohort,
        Phase.REDESIGN,
        session=u.session,
        kind=DECISION_KIND,
        outcome=outcome,
        decided_by=decision.decided_by,
        decided_at=clock.utcnow(as_of, u.settings.zone),
        reason=decision.lessons or None,
        payload=decision.model_dump(),
    )
    return outcome

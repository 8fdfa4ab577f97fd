"""Tasks of phase 8: findings and a proposal for the next cohort, and the team's decision."""

from __future__ import annotations

from datetime import date

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from pydantic import BaseModel

from rvg import clock
from rvg.business_case.costing import cohort_cost
from rvg.phases import Phase
from rvg.redesign.collect import actuals_for
from rvg.redesign.decision import RedesignDecision
from rvg.redesign.proposal import next_cohort, write_cohort_file
from rvg.redesign.report import RedesignFigures, render_html, render_markdown
from rvg.redesign.rules import findings
from rvg.repositories.decisions import latest_decision, record_decision
from rvg.unit import unit

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


@task(name="draw-up-redesign")
def draw_up_redesign(cohort: str, as_of: date | None) -> RedesignSummary:
    """Compare actuals with the business case, apply the rules, write report and cohort file."""
    with unit(cohort) as u:
        settings, rules, loaded, session = u.settings, u.config.redesign, u.cohort, u.session
        actuals = actuals_for(
            loaded,
            u.config.procurement.lots,
            session=session,
            min_group_size=u.config.surveys.min_group_size,
        )
        proposal = next_cohort(
            loaded, actuals, minimum=rules.min_participants, margin=rules.target_margin
        )
        decided = latest_decision(loaded, DECISION_KIND, session=session)
        target = proposal["target_participants"]
        figures = RedesignFigures(
            cohort_name=loaded.name,
            as_of=clock.today(as_of, settings.zone),
            actuals=actuals,
            findings=findings(actuals, rules),
            proposal=proposal,
            next_cost=cohort_cost(u.config.costs, (target["min"] + target["max"] + 1) // 2),
            lessons=decided.payload.get("lessons", "") if decided else "",
            decision=decided.outcome if decided else None,
        )
    folder = settings.output_dir / cohort
    folder.mkdir(parents=True, exist_ok=True)
    html = folder / "redesign.html"
    html.write_text(render_html(figures), encoding="utf-8")
    cohort_file = write_cohort_file(
        proposal,
        folder / f"next-cohort-{proposal['code']}.yaml",
        header=f"Voorstel uit het herontwerp van lichting {cohort} (rvg run redesign).\n"
        f"Maak de lichting aan met: rvg cohort create {proposal['code']} --config <dit bestand>",
    )
    create_markdown_artifact(
        render_markdown(figures),
        key=f"redesign-{cohort}",
        description=f"Herontwerp lichting {cohort}",
    )
    get_run_logger().info(
        "Redesign %s: %d placements, %d finding(s); proposed cohort %s with %d-%d participants",
        cohort,
        actuals.placements,
        len(figures.findings),
        proposal["code"],
        target["min"],
        target["max"],
    )
    cost = actuals.cost_per_participant_actual
    return RedesignSummary(
        cohort=cohort,
        placements=actuals.placements,
        cost_per_participant=float(cost) if cost is not None else None,
        findings=[f.code for f in figures.findings],
        actions=[f"{f.finding} Actie: {f.action}" for f in figures.findings],
        next_cohort=proposal["code"],
        next_target=(target["min"], target["max"]),
        decision=figures.decision,
        report=str(html),
        cohort_file=str(cohort_file),
    )


@task(name="record-redesign-decision")
def record_redesign_decision(cohort: str, decision: RedesignDecision, as_of: date | None) -> str:
    """Store the team's decision on the proposal, with the lessons (who, when, what)."""
    decision = RedesignDecision.model_validate(decision.model_dump())
    outcome = "accepted" if decision.accepted else "rejected"
    with unit(cohort) as u:
        record_decision(
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
    get_run_logger().info("Team %s the redesign of cohort %s", outcome, cohort)
    return outcome

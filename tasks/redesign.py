"""Tasks of phase 8: findings and a proposal for the next cohort, and the team's decision."""

from __future__ import annotations

from datetime import date

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact

from rvg.redesign import service
from rvg.redesign.decision import RedesignDecision
from rvg.redesign.report import render_markdown
from rvg.redesign.service import RedesignSummary
from rvg.unit import unit
from tasks.retrying import ON_DATABASE_TROUBLE


@task(name="draw-up-redesign", **ON_DATABASE_TROUBLE)
def draw_up_redesign(cohort: str, as_of: date | None) -> RedesignSummary:
    """Compare actuals with the business case, apply the rules, write report and cohort file."""
    with unit(cohort) as u:
        drawn = service.draw_up(u, as_of)
    summary = drawn.summary
    create_markdown_artifact(
        render_markdown(drawn.figures),
        key=f"redesign-{cohort}",
        description=f"Herontwerp lichting {cohort}",
    )
    get_run_logger().info(
        "Redesign %s: %d placements, %d finding(s); proposed cohort %s with %d-%d participants",
        cohort,
        summary.placements,
        len(summary.findings),
        summary.next_cohort,
        *summary.next_target,
    )
    return summary


@task(name="record-redesign-decision", **ON_DATABASE_TROUBLE)
def record_redesign_decision(cohort: str, decision: RedesignDecision, as_of: date | None) -> str:
    """Store the team's decision on the proposal, with the lessons (who, when, what)."""
    with unit(cohort) as u:
        outcome = service.record_decision(u, decision, as_of)
    get_run_logger().info("Team %s the redesign of cohort %s", outcome, cohort)
    return outcome


@task(name="adopt-next-cohort", **ON_DATABASE_TROUBLE)
def adopt_next_cohort(cohort: str, as_of: date | None) -> str:
    """The accepted proposal becomes the next cohort, with its costs revised to the actual
    cost per line; again after a restart it changes nothing. The next cohort's code."""
    logger = get_run_logger()
    with unit(cohort) as u:
        adopted = service.adopt_proposal(u, service.draw_up(u, as_of), as_of)
    logger.info(
        "Cohort %s %s from the accepted redesign of cohort %s (rules version %d)",
        adopted.code,
        adopted.outcome,
        cohort,
        adopted.rules_version,
    )
    for warning in adopted.warnings:
        logger.warning("Cohort %s: %s", adopted.code, warning)
    return adopted.code

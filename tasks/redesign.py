"""Tasks of phase 8: findings and a proposal for the next cohort, and the team's decision."""

from __future__ import annotations

from datetime import date

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact

from rvg.phases import Phase, cohort_tag
from rvg.redesign import service
from rvg.redesign.decision import RedesignDecision
from rvg.redesign.report import render_markdown
from rvg.redesign.service import RedesignSummary
from rvg.unit import unit
from tasks.retrying import ON_API_TROUBLE, ON_DATABASE_TROUBLE


@task(name="draw-up-redesign", **ON_DATABASE_TROUBLE)
def draw_up_redesign(cohort: str, as_of: date | None, stage: str | None = None) -> RedesignSummary:
    """Compare actuals with the business case, apply the rules, write report and cohort file
    (an interim redesign's after survey round ``stage``)."""
    logger = get_run_logger()
    with unit(cohort) as u:
        drawn = service.draw_up(u, as_of, stage)
    summary = drawn.summary
    create_markdown_artifact(
        render_markdown(drawn.figures),
        key=f"redesign-{cohort}" + (f"-{stage}" if stage else ""),
        description=drawn.figures.title,
    )
    logger.info(
        "%s %s: %d placements, %d finding(s); %s cohort %s with %d-%d participants",
        f"Interim redesign after {stage} of" if stage else "Redesign",
        cohort,
        summary.placements,
        len(summary.findings),
        "revised running" if summary.revises else "proposed",
        summary.next_cohort,
        *summary.next_target,
    )
    for line in summary.changes:
        logger.info("Cohort %s: %s", summary.next_cohort, line)
    return summary


@task(name="record-redesign-decision", **ON_DATABASE_TROUBLE)
def record_redesign_decision(
    cohort: str, decision: RedesignDecision, as_of: date | None, stage: str | None = None
) -> str:
    """Store the team's decision on the proposal, with the lessons (who, when, what)."""
    with unit(cohort) as u:
        outcome = service.record_decision(u, decision, as_of, stage)
    which = f"interim redesign after {stage}" if stage else "redesign"
    get_run_logger().info("Team %s the %s of cohort %s", outcome, which, cohort)
    return outcome


@task(name="adopt-next-cohort", **ON_DATABASE_TROUBLE)
def adopt_next_cohort(cohort: str, as_of: date | None, stage: str | None = None) -> str:
    """The accepted proposal becomes the next cohort, with its costs revised to the actual
    cost per line (a running one takes the changes still open to it); again after a restart
    it changes nothing. The next cohort's code."""
    logger = get_run_logger()
    with unit(cohort) as u:
        adopted = service.adopt_proposal(u, service.draw_up(u, as_of, stage), as_of)
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


@task(name="start-interim-redesigns", **ON_API_TROUBLE)
def start_interim_redesigns(cohort: str, stages: list[str], day: date) -> int:
    """An interim redesign due after a closed round, as its own run of the redesign
    deployment: it waits for the steering group's form there, not in the evaluation's run.
    Started once per round (the idempotency key); the runs it started."""
    from prefect.deployments import run_deployment
    from prefect.exceptions import ObjectNotFound

    started = 0
    for stage in stages:
        try:
            run_deployment(
                Phase.REDESIGN.deployment_path,
                tags=[cohort_tag(cohort)],
                parameters={"cohort": cohort, "as_of": day.isoformat(), "stage": stage},
                flow_run_name=f"redesign-{cohort}-{stage}",
                idempotency_key=f"redesign-{cohort}-{stage}",
                timeout=0,
                as_subflow=False,
            )
        except ObjectNotFound:
            get_run_logger().warning(
                "No deployment %s: the interim redesign after %s of cohort %s was not started "
                "(rvg run redesign --cohort %s --stage %s)",
                Phase.REDESIGN.deployment_path,
                stage,
                cohort,
                cohort,
                stage,
            )
            return started
        started += 1
    return started

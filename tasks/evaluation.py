"""Tasks of phase 7: survey rounds over time, the coming rounds in the UI, and the report."""

from __future__ import annotations

from datetime import date, datetime, time

from prefect import get_run_logger, task

from rvg.evaluation.service import EvaluationProgress, run_rounds
from rvg.phases import Phase, cohort_tag
from rvg.settings import load_settings
from rvg.unit import unit
from tasks.retrying import ON_API_TROUBLE, ON_DATABASE_TROUBLE


@task(name="run-survey-rounds", **ON_DATABASE_TROUBLE)
def run_survey_rounds(cohort: str, day: date) -> EvaluationProgress:
    """Open the rounds that are due, remind non-respondents, close them at their end."""
    logger = get_run_logger()
    with unit(cohort) as u:
        progress = run_rounds(u, day)
    for state in progress.rounds:
        if state.invited or state.reminded:
            logger.info(
                "Round %s: %d invited, %d reminded", state.code, state.invited, state.reminded
            )
    if progress.closed_now:
        logger.info("Closed round(s): %s", ", ".join(progress.closed_now))
    return progress


@task(name="schedule-coming-rounds", **ON_API_TROUBLE)
def schedule_coming_rounds(progress: EvaluationProgress) -> int:
    """The coming rounds as scheduled runs of the evaluation deployment, visible in the UI."""
    from prefect.deployments import run_deployment
    from prefect.exceptions import ObjectNotFound

    settings = load_settings()
    scheduled = 0
    for state in progress.rounds:
        if state.status != "planned" or state.opens_on <= progress.as_of:
            continue
        try:
            run_deployment(
                Phase.EVALUATION.deployment_path,
                tags=[cohort_tag(progress.cohort)],
                parameters={"cohort": progress.cohort, "as_of": state.opens_on.isoformat()},
                scheduled_time=datetime.combine(state.opens_on, time(7, 0), tzinfo=settings.zone),
                flow_run_name=f"evaluation-{progress.cohort}-{state.code}",
                idempotency_key=f"evaluation-{progress.cohort}-{state.code}",
                timeout=0,
                as_subflow=False,
            )
            scheduled += 1
        except ObjectNotFound:
            get_run_logger().info(
                "No deployment %s yet: rounds not scheduled", Phase.EVALUATION.deployment_path
            )
            return 0
    return scheduled


@task(name="publish-evaluation", **ON_DATABASE_TROUBLE)
def publish_evaluation(cohort: str, day: date) -> str:
    """evaluation.html/.csv and the same figures as artifacts (small groups never shown)."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    from rvg.evaluation.data import write_report

    with unit(cohort) as u:
        definitions = u.config.surveys
        figures, paths = write_report(
            u.cohort, definitions, u.settings.output_dir / cohort, day, session=u.session
        )
    rates = figures.rates.fillna("").to_dict("records")
    create_table_artifact(
        rates,
        key=f"evaluation-response-{cohort}",
        description=f"Respons per ronde en doelgroep, lichting {cohort}",
    )
    csv_rows = paths["csv"].read_text(encoding="utf-8").splitlines()
    create_markdown_artifact(
        f"## Evaluatie lichting {cohort}\n\nGroepen kleiner dan {definitions.min_group_size} "
        "worden niet getoond (ook niet af te leiden uit het totaal).\n\n"
        + "\n".join(f"    {line}" for line in csv_rows[:80]),
        key=f"evaluation-{cohort}",
    )
    retention = [
        {
            "lichting": row["cohort"],
            "plaatsingen": row["placements"],
            "uitval": row["drop_outs"],
            "na 12 mnd in overheidsdienst": str(row["public_sector_12m"].get("yes", "")),
            "vaste aanstelling": str(row["permanent_appointment"].get("yes", "")),
        }
        for row in figures.retention
    ]
    if retention:
        create_table_artifact(
            retention,
            key=f"evaluation-retention-{cohort}",
            description="Behoud: plaatsingen, uitval, overheidsdienst, vaste aanstelling",
        )
    get_run_logger().info("Evaluation report of cohort %s: %s", cohort, paths["html"])
    return str(paths["html"])

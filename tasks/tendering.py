"""Tasks of phase 3: plan each lot, remind the procurement contact, record awards."""

from __future__ import annotations

from datetime import date

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from rvg import clock
from rvg.tendering.award import AwardCheck, TenderAward, award_markdown
from rvg.tendering.labels import MILESTONE_LABELS, PATH_LABELS, REGIME_LABELS
from rvg.tendering.service import award_check, enqueue_milestone_reminders, record_lot_award
from rvg.tendering.status import TenderingSummary, plan_cohort
from rvg.unit import unit
from tasks.retrying import ON_DATABASE_TROUBLE


@task(name="plan-tenders", **ON_DATABASE_TROUBLE)
def plan_tenders(cohort: str, as_of: date) -> TenderingSummary:
    """Keep, extend or tender each lot; store the plan until its first milestone fixes it."""
    logger = get_run_logger()
    with unit(cohort) as u:
        amounts = u.config.costs.per_participant_amounts()
        summary = plan_cohort(u.cohort, u.config.procurement, amounts, as_of, session=u.session)
    for lot in summary.lots:
        logger.info(
            "Lot %s (%s regime, EUR %.0f against a threshold of EUR %d): %s (%s)%s",
            lot.lot,
            lot.regime,
            lot.value_eur,
            lot.threshold_eur,
            lot.path,
            lot.status,
            "" if lot.feasible else " - NOT FEASIBLE",
        )
    _publish(summary)
    return summary


def _publish(summary: TenderingSummary) -> None:
    for lot in summary.lots:
        rows = [
            {
                "mijlpaal": MILESTONE_LABELS.get(name, name),
                "datum": day.isoformat(),
                "voorbij": "ja" if day <= summary.as_of else "",
            }
            for name, day in lot.milestones
        ]
        create_table_artifact(
            rows or [{"mijlpaal": PATH_LABELS[lot.path], "datum": "", "voorbij": ""}],
            key=f"tender-timeline-{summary.cohort}-{lot.lot.replace('_', '-')}",
            description=(
                f"{lot.description} ({REGIME_LABELS[lot.regime]}): "
                f"{PATH_LABELS.get(lot.path, lot.path)} ({lot.status})"
            ),
        )
    notes = [f"- **{lot.description}**: {note}" for lot in summary.lots for note in lot.notes]
    if notes:
        create_markdown_artifact(
            "## Aandachtspunten aanbesteding\n\n" + "\n".join(notes),
            key=f"tender-notes-{summary.cohort}",
        )


@task(name="enqueue-tender-reminders", **ON_DATABASE_TROUBLE)
def enqueue_tender_reminders(summary: TenderingSummary) -> int:
    """Remind the programme's procurement contacts before each milestone still ahead."""
    logger = get_run_logger()
    with unit(summary.cohort) as u:
        organisation = u.config.programme.programme_organisation
        count = enqueue_milestone_reminders(
            u.cohort,
            summary,
            days_before=u.config.procurement.rules.reminder_days_before,
            programme_organisation=organisation,
            send_at=u.send_at,
            session=u.session,
        )
    if count is None:
        logger.warning(
            "No procurement contact at %s: tender reminders are not planned; "
            "import contacts with role 'procurement'",
            organisation,
        )
        return 0
    logger.info("%d tender reminder(s) planned for cohort %s", count, summary.cohort)
    return count


@task(name="check-tender-award", **ON_DATABASE_TROUBLE)
def check_tender_award(cohort: str, lot: str, as_of: date | None) -> AwardCheck:
    """What an award of the lot decided today is checked against: budget, need, the go."""
    with unit(cohort) as u:
        return award_check(u, lot, clock.today(as_of, u.settings.zone))


@task(name="record-tender-award", **ON_DATABASE_TROUBLE)
def record_tender_award(cohort: str, lot: str, award: TenderAward, as_of: date | None) -> None:
    """Store the contract that covers the lot once the award passes its check (the go, the
    budget), publish budget against award, and warn about what it leaves uncovered."""
    logger = get_run_logger()
    award = TenderAward.model_validate(award.model_dump())
    with unit(cohort) as u:
        recorded = record_lot_award(u, lot, award, clock.utcnow(as_of, u.settings.zone))
    check = recorded.check
    logger.info(
        "Lot %s of cohort %s covered: %s with %s, EUR %.0f against a budget of %s%s",
        lot,
        cohort,
        "extension" if check.extension else "award",
        award.supplier,
        award.value_eur,
        f"EUR {check.budget_eur:.0f}" if check.budget_eur is not None else "none",
        " - decided before the go: the steering group took the risk" if check.before_go else "",
    )
    create_markdown_artifact(
        award_markdown(award, check), key=f"tender-award-{cohort}-{lot.replace('_', '-')}"
    )
    for warning in recorded.warnings:
        logger.warning("Lot %s: %s", lot, warning)
    if recorded.warnings:
        create_markdown_artifact(
            f"## Let op: perceel {check.description}\n\n"
            + "\n".join(f"- {warning}" for warning in recorded.warnings),
            key=f"tender-award-warning-{cohort}-{lot.replace('_', '-')}",
        )

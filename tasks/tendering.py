"""Tasks of phase 3: plan each lot, remind the procurement contact, record awards."""

from __future__ import annotations

from datetime import date

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from rvg import clock
from rvg.repositories.tenders import record_award, tenders_of
from rvg.tendering.award import TenderAward, award_warnings
from rvg.tendering.labels import MILESTONE_LABELS, PATH_LABELS, REGIME_LABELS
from rvg.tendering.service import enqueue_milestone_reminders
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


@task(name="record-tender-award", **ON_DATABASE_TROUBLE)
def record_tender_award(cohort: str, lot: str, award: TenderAward, as_of: date | None) -> None:
    """Store the contract that covers the lot, with who decided, and warn about missing options."""
    logger = get_run_logger()
    with unit(cohort) as u:
        tender = tenders_of(u.cohort, session=u.session)[lot]
        record_award(
            u.cohort,
            tender,
            TenderAward.model_validate(award.model_dump()),
            session=u.session,
            decided_at=clock.utcnow(as_of, u.settings.zone),
        )
    logger.info("Lot %s of cohort %s covered: %s with %s", lot, cohort, tender.path, award.supplier)
    for warning in award_warnings(award):
        logger.warning("Lot %s: %s", lot, warning)
        create_markdown_artifact(
            f"## Let op: perceel {lot}\n\n{warning}",
            key=f"tender-award-warning-{cohort}-{lot.replace('_', '-')}",
        )

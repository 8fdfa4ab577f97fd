"""Tasks of phase 3: plan each lot, remind the procurement contact, record awards."""

from __future__ import annotations

from datetime import date, datetime, time

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from rvg import clock
from rvg.business_case.costing import load_cost_model
from rvg.config import load_programme
from rvg.db import session_scope
from rvg.migrate import migrated_sessionmaker
from rvg.models import ContactRole
from rvg.notifications import enqueue, reschedule
from rvg.repositories.cohorts import get_cohort
from rvg.repositories.organisations import contacts_with_role
from rvg.repositories.tenders import record_award, tenders_of
from rvg.settings import Settings, load_settings
from rvg.tendering.award import TenderAward, award_warnings
from rvg.tendering.config import load_procurement
from rvg.tendering.labels import MILESTONE_LABELS, PATH_LABELS, REGIME_LABELS
from rvg.tendering.reminders import milestone_reminders
from rvg.tendering.status import TenderingSummary, plan_cohort

REMINDER_TIME = time(9, 0)


@task(name="plan-tenders")
def plan_tenders(cohort: str, as_of: date) -> TenderingSummary:
    """Keep, extend or tender each lot; store the plan until its first milestone fixes it."""
    logger = get_run_logger()
    settings = load_settings()
    procurement = load_procurement(settings.config_dir / "contracts.yaml")
    amounts = load_cost_model(settings.config_dir / "costs.yaml").per_participant_amounts()
    with session_scope(migrated_sessionmaker(settings)) as session:
        loaded = get_cohort(cohort, session=session)
        summary = plan_cohort(loaded, procurement, amounts, as_of, session=session)
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


@task(name="enqueue-tender-reminders")
def enqueue_tender_reminders(summary: TenderingSummary) -> int:
    """Remind the programme's procurement contacts before each milestone still ahead."""
    logger = get_run_logger()
    settings = load_settings()
    procurement = load_procurement(settings.config_dir / "contracts.yaml")
    programme_org = _programme_organisation(settings)
    count = 0
    with session_scope(migrated_sessionmaker(settings)) as session:
        cohort = get_cohort(summary.cohort, session=session)
        recipients = contacts_with_role(
            programme_org, ContactRole.PROCUREMENT.value, session=session
        )
        if not recipients:
            logger.warning(
                "No procurement contact at %s: tender reminders are not planned; "
                "import contacts with role 'procurement'",
                programme_org,
            )
            return 0
        for lot in summary.lots:
            if lot.status != "planned":
                continue
            for reminder in milestone_reminders(
                summary.cohort,
                lot.lot,
                lot.milestones,
                procurement.rules.reminder_days_before,
                summary.as_of,
            ):
                due_at = datetime.combine(reminder.due_on, REMINDER_TIME, tzinfo=settings.zone)
                for contact in recipients:
                    row = enqueue(
                        session,
                        key=f"{reminder.key}:{contact.id}",
                        to=contact.email,
                        template="tender_milestone",
                        cohort=cohort,
                        due_at=due_at,
                        context={
                            "contact_name": contact.name,
                            "cohort": summary.cohort,
                            "lot_description": lot.description,
                            "milestone_label": MILESTONE_LABELS.get(
                                reminder.milestone, reminder.milestone
                            ),
                            "milestone_date": f"{reminder.milestone_on:%d-%m-%Y}",
                            "days_before": reminder.days_before,
                            "path_label": PATH_LABELS.get(lot.path, lot.path),
                        },
                    )
                    if row.due_at != due_at:
                        reschedule(session, key=row.key, due_at=due_at)
                    count += 1
    logger.info("%d tender reminder(s) planned for cohort %s", count, summary.cohort)
    return count


def _programme_organisation(settings: Settings) -> str:
    return load_programme(settings.config_dir / "programme.yaml").programme_organisation


@task(name="record-tender-award")
def record_tender_award(cohort: str, lot: str, award: TenderAward, as_of: date | None) -> None:
    """Store the contract that covers the lot, with who decided, and warn about missing options."""
    logger = get_run_logger()
    settings = load_settings()
    with session_scope(migrated_sessionmaker(settings)) as session:
        loaded = get_cohort(cohort, session=session)
        tender = tenders_of(loaded, session=session)[lot]
        record_award(
            loaded,
            tender,
            TenderAward.model_validate(award.model_dump()),
            session=session,
            decided_at=clock.utcnow(as_of, settings.zone),
        )
    logger.info("Lot %s of cohort %s covered: %s with %s", lot, cohort, tender.path, award.supplier)
    for warning in award_warnings(award):
        logger.warning("Lot %s: %s", lot, warning)
        create_markdown_artifact(
            f"## Let op: perceel {lot}\n\n{warning}",
            key=f"tender-award-warning-{cohort}-{lot.replace('_', '-')}",
        )

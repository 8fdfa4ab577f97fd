"""The daily erasure of applicants' personal data whose retention period has ended."""

from __future__ import annotations

from datetime import date

from prefect import get_run_logger, task
from prefect.artifacts import create_table_artifact

from rvg.dutch import short_date
from rvg.recruitment.retention import RetentionSummary, run_retention
from tasks.retrying import ON_DATABASE_TROUBLE


@task(name="erase-due-personal-data", **ON_DATABASE_TROUBLE)
def erase_due_personal_data(as_of: date, cohort: str | None, dry_run: bool) -> RetentionSummary:
    """Anonymise rejected and withdrawn applicants past their retention date, delete the files
    of rejected import rows past theirs, and audit both."""
    return erase_and_report(as_of, cohort, dry_run)


def erase_and_report(as_of: date, cohort: str | None, dry_run: bool) -> RetentionSummary:
    """The erasure, its log line and its artifact, in the current run: the task's body, and
    what the dry-run cycle does on the days it has work (a task run each would cost more
    than the erasure)."""
    report = run_retention(cohort, as_of, dry_run=dry_run, performed_by="retention flow")
    logger = get_run_logger()
    rows = [
        {
            "applicant_id": a.applicant_id,
            "cohort_id": a.cohort_id,
            "bewaren_tot": a.retain_until.isoformat(),
            "regel": a.rule,
        }
        for a in report.applicants
    ] + [
        {
            "bestand_id": f.file_id,
            "import": f.kind,
            "rijen": f.rows,
            "bewaren_tot": f.delete_after.isoformat(),
            "regel": "28 dagen na de import (afgekeurde rijen)",
        }
        for f in report.files
    ]
    if rows:
        create_table_artifact(
            rows,
            key="retention-dry-run" if dry_run else "retention-erased",
            description=("Zou worden geanonimiseerd (proefdraai)" if dry_run else "Geanonimiseerd")
            + f" op {short_date(as_of)}: sollicitanten en bestanden met afgekeurde rijen; "
            "alleen interne nummers, geen persoonsgegevens",
        )
    summary = RetentionSummary.of(report)
    logger.info("Retention as of %s: %s", as_of, summary.line())
    if report.log_emptied is False:
        logger.warning(
            "The SQLite write-ahead log could not be emptied (a reader kept it busy); "
            "the next retention run tries again"
        )
    return summary

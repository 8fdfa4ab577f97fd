"""The daily erasure of applicants' personal data whose retention period has ended."""

from __future__ import annotations

from datetime import date

from prefect import get_run_logger, task
from prefect.artifacts import create_table_artifact
from pydantic import BaseModel

from rvg.db import session_scope
from rvg.migrate import migrated_sessionmaker
from rvg.recruitment.retention import erase_due
from rvg.settings import load_settings


class RetentionSummary(BaseModel):
    as_of: date
    cohort: str | None
    dry_run: bool
    due: int
    anonymised: int

    def line(self) -> str:
        return f"due={self.due} anonymised={self.anonymised}" + (" dry_run" if self.dry_run else "")


@task(name="erase-due-personal-data")
def erase_due_personal_data(as_of: date, cohort: str | None, dry_run: bool) -> RetentionSummary:
    """Anonymise rejected and withdrawn applicants past their retention date, and audit it."""
    settings = load_settings()
    with session_scope(migrated_sessionmaker(settings)) as session:
        report = erase_due(
            cohort, as_of, session=session, dry_run=dry_run, performed_by="retention flow"
        )
    rows = [
        {
            "applicant_id": a.applicant_id,
            "cohort_id": a.cohort_id,
            "bewaren_tot": a.retain_until.isoformat(),
            "regel": a.rule,
        }
        for a in report.applicants
    ]
    if rows:
        create_table_artifact(
            rows,
            key="retention-dry-run" if dry_run else "retention-erased",
            description=("Zou worden geanonimiseerd (proefdraai)" if dry_run else "Geanonimiseerd")
            + f" op {as_of:%d-%m-%Y}; alleen interne nummers, geen persoonsgegevens",
        )
    summary = RetentionSummary(
        as_of=as_of,
        cohort=cohort,
        dry_run=dry_run,
        due=len(report.applicants),
        anonymised=0 if dry_run else len(report.applicants),
    )
    get_run_logger().info("Retention as of %s: %s", as_of, summary.line())
    return summary

"""Personal data of rejected applicants, and files of rejected import rows, are not kept
longer than the retention rules allow (``rvg.recruitment.retention``)."""

from __future__ import annotations

from datetime import date

from prefect import flow

from rvg import clock
from rvg.recruitment.retention import RetentionSummary
from tasks.retention import erase_due_personal_data


@flow(name="retention", flow_run_name="retention-{as_of}")
def retention(
    as_of: date | None = None, cohort: str | None = None, dry_run: bool = False
) -> RetentionSummary:
    """Anonymise applicants 4 weeks after their procedure ended (at most a year with consent)."""
    return erase_due_personal_data(as_of or clock.today(), cohort, dry_run)

"""Human decisions, each stored with who decided, when and why."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.models import Cohort, Decision
from rvg.phases import Phase


def record_decision(
    cohort: Cohort,
    phase: Phase,
    *,
    session: Session,
    kind: str,
    outcome: str,
    decided_by: str,
    decided_at: datetime,
    reason: str | None = None,
    payload: dict[str, Any] | None = None,
) -> Decision:
    decision = Decision(
        cohort_id=cohort.id,
        phase=phase.value,
        kind=kind,
        outcome=outcome,
        decided_by=decided_by,
        decided_at=decided_at,
        reason=reason,
        payload=payload or {},
    )
    session.add(decision)
    session.flush()
    return decision


def latest_decision(cohort: Cohort, kind: str, *, session: Session) -> Decision | None:
    return session.scalar(
        select(Decision)
        .where(Decision.cohort_id == cohort.id, Decision.kind == kind)
        .order_by(Decision.decided_at.desc(), Decision.id.desc())
        .limit(1)
    )

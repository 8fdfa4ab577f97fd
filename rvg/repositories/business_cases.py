"""Business cases: stored versions with their cost lines, and the steering group's decision."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rvg.business_case.decision import BusinessCaseDecision
from rvg.business_case.report import BusinessCaseFigures
from rvg.models import BusinessCase, BusinessCaseStatus, Cohort, CostCategory, CostLine
from rvg.phases import Phase
from rvg.repositories.cohorts import Outcome
from rvg.repositories.decisions import record_decision


def latest_business_case(cohort: Cohort, *, session: Session) -> BusinessCase | None:
    return session.scalar(
        select(BusinessCase)
        .where(BusinessCase.cohort_id == cohort.id)
        .order_by(BusinessCase.version.desc())
        .options(selectinload(BusinessCase.cost_lines))
        .limit(1)
    )


def _cost_lines(figures: BusinessCaseFigures) -> list[CostLine]:
    model = figures.model
    groups = (
        (CostCategory.FIXED, model.fixed_per_cohort),
        (CostCategory.PER_PARTICIPANT, model.per_participant),
        (CostCategory.PROJECT_MANAGEMENT, model.project_management_per_cohort),
    )
    return [
        CostLine(
            code=item.code,
            category=category.value,
            description=item.description,
            amount=item.amount,
            source=item.source,
        )
        for category, items in groups
        for item in items
    ]


def _signature(lines: list[CostLine], planned: int) -> tuple[object, ...]:
    return (planned, sorted((line.code, line.category, f"{line.amount:.2f}") for line in lines))


def store_business_case(
    cohort: Cohort, figures: BusinessCaseFigures, *, session: Session
) -> tuple[BusinessCase, Outcome]:
    """A new version when the figures changed; the stored one when they are the same."""
    lines = _cost_lines(figures)
    latest = latest_business_case(cohort, session=session)
    if latest is not None and _signature(
        latest.cost_lines, latest.planned_participants
    ) == _signature(lines, figures.planned_participants):
        return latest, "unchanged"
    case = BusinessCase(
        cohort_id=cohort.id,
        version=(latest.version + 1) if latest else 1,
        planned_participants=figures.planned_participants,
        total_cost=figures.cost.total,
        cost_per_participant=figures.cost.per_participant,
        contribution_per_participant=figures.cost.contribution_per_participant,
        cost_lines=lines,
    )
    session.add(case)
    session.flush()
    return case, "imported" if latest is None else "updated"


def decide_business_case(
    cohort: Cohort, decision: BusinessCaseDecision, *, session: Session, decided_at: datetime
) -> BusinessCase:
    """Mark the latest version approved or rejected and keep the decision with who/when/why."""
    case = latest_business_case(cohort, session=session)
    if case is None:
        raise ValueError(f"cohort {cohort.code} has no business case to decide on")
    case.status = (
        BusinessCaseStatus.APPROVED if decision.approved else BusinessCaseStatus.REJECTED
    ).value
    case.approved_min_participants = decision.min_participants if decision.approved else None
    case.approved_max_participants = decision.max_participants if decision.approved else None
    record_decision(
        cohort,
        Phase.BUSINESS_CASE,
        session=session,
        kind="business_case",
        outcome="approved" if decision.approved else "rejected",
        decided_by=decision.decided_by,
        decided_at=decided_at,
        reason=decision.comment,
        payload={"version": case.version, **decision.model_dump()},
    )
    session.flush()
    return case

"""A cohort's money as the tests need it: its business case and the demo's training award."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from rvg.business_case.costing import load_cost_model
from rvg.business_case.report import build_business_case
from rvg.models import BusinessCase, Cohort
from rvg.phases import Phase
from rvg.repositories.business_cases import store_business_case
from rvg.repositories.decisions import record_decision
from rvg.tendering.config import ProcurementConfig, load_procurement
from tests.utils.config_files import REAL_CONFIG


def business_case_of(session: Session, cohort: Cohort) -> tuple[BusinessCase, ProcurementConfig]:
    """The cohort's business case from the real cost model, stored; and the procurement."""
    model = load_cost_model(REAL_CONFIG / "costs.yaml")
    procurement = load_procurement(REAL_CONFIG / "contracts.yaml")
    case, _ = store_business_case(
        cohort, build_business_case(cohort, model, procurement), session=session
    )
    return case, procurement


def award_training(session: Session, cohort: Cohort, at: datetime) -> None:
    """The demo's award: training at EUR 390,000 for this cohort."""
    record_decision(
        cohort,
        Phase.TENDERING,
        session=session,
        kind="award:training",
        outcome="social_services",
        decided_by="Stuurgroep",
        decided_at=at,
        payload={"value_eur": "390000"},
    )

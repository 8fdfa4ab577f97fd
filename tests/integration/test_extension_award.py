"""Recording an extension takes the options its plan used: one per cohort, also when the
training year's need (12 months and a week) outlasts the option's 12 months."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from rvg.business_case.costing import load_cost_model
from rvg.models import Cohort, Contract
from rvg.models.tendering import Lot
from rvg.repositories.tenders import record_award, tenders_of
from rvg.tendering.award import TenderAward
from rvg.tendering.config import ContractRow, load_procurement
from rvg.tendering.status import plan_cohort
from tests.utils.config_files import REAL_CONFIG
from tests.utils.flows import cohort_in

TRAINING = ContractRow(
    lot=Lot.TRAINING,
    supplier="Opleidingsinstituut Ruimtelijk Vakmanschap B.V.",
    starts_on=date(2023, 9, 1),
    ends_on=date(2027, 8, 31),
    value_eur=Decimal(690000),
    extension_options_total=2,
    extension_options_used=0,
    extension_months=12,
    notice_days=90,
)


def test_a_training_extension_takes_one_option(session):
    cohort_in(session.get_bind())
    cohort = session.scalar(select(Cohort))
    real = load_procurement(REAL_CONFIG / "contracts.yaml")
    procurement = real.model_copy(update={"contracts": [real.contracts[0], TRAINING]})
    amounts = load_cost_model(REAL_CONFIG / "costs.yaml").per_participant_amounts()
    summary = plan_cohort(cohort, procurement, amounts, date(2027, 1, 4), session=session)
    training = next(lot for lot in summary.lots if lot.lot == "training")
    assert training.path == "extension"
    tender = tenders_of(cohort, session=session)["training"]
    assert (tender.extension_options_planned, tender.extension_until_planned) == (
        1,
        date(2028, 9, 12),
    )

    award = TenderAward(
        supplier=TRAINING.supplier,
        value_eur=Decimal(232200),
        starts_on=date(2027, 9, 1),
        ends_on=date(2028, 9, 12),  # the end of cohort 2027's need: 372 days after its start
        extension_options=0,
        decided_by="Stuurgroep",
    )
    # the extension runs from the day after the contract ends, not from some earlier year
    wrong_start = award.model_copy(update={"starts_on": date(2026, 9, 1)})
    with pytest.raises(ValueError, match="the extension starts on 2027-09-01, the day after"):
        record_award(
            cohort,
            tender,
            wrong_start,
            session=session,
            decided_at=datetime(2027, 1, 20, tzinfo=UTC),
        )
    record_award(
        cohort, tender, award, session=session, decided_at=datetime(2027, 1, 20, tzinfo=UTC)
    )

    contract = session.scalar(select(Contract).where(Contract.lot == "training"))
    assert (contract.ends_on, contract.extension_options_used) == (date(2028, 9, 12), 1)

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


def test_two_cohorts_extend_one_contract_each_with_its_own_option(session, tmp_path):
    """2027 plans the training contract's first option; 2028, planned while 2027's extension
    is not yet recorded, takes the second (not two: 2027's is reserved), may not record it
    before 2027's, and the contract ends up with each cohort's one option used."""
    from rvg.errors import UserError
    from rvg.settings import Settings
    from rvg.tendering.service import record_lot_award
    from rvg.unit import unit
    from tests.utils.flows import next_cohort_file

    engine = session.get_bind()
    cohort_in(engine)
    cohort_in(engine, "2028", next_cohort_file(tmp_path))
    real = load_procurement(REAL_CONFIG / "contracts.yaml")
    procurement = real.model_copy(update={"contracts": [real.contracts[0], TRAINING]})
    amounts = load_cost_model(REAL_CONFIG / "costs.yaml").per_participant_amounts()
    first, second = (
        session.scalar(select(Cohort).where(Cohort.code == code)) for code in ("2027", "2028")
    )
    plan_cohort(first, procurement, amounts, date(2027, 1, 4), session=session)
    summary = plan_cohort(second, procurement, amounts, date(2027, 7, 1), session=session)
    session.commit()
    training = next(lot for lot in summary.lots if lot.lot == "training")
    tender = tenders_of(second, session=session)["training"]
    assert training.path == "extension"
    assert (tender.extension_options_planned, tender.extension_until_planned) == (
        1,
        date(2029, 9, 12),
    )
    assert training.notes[0].startswith(
        "Verleng het contract met Opleidingsinstituut Ruimtelijk Vakmanschap B.V. met 1 optie "
        "(optie 2 van 2) tot en met 12-09-2029"
    )
    assert training.notes[1] == (
        "Gereserveerd voor een eerdere lichting, gepland maar nog niet vastgelegd: optie 1 "
        "voor lichting 2027 (tot en met 12-09-2028). Zonder die verlenging loopt het contract "
        "met Opleidingsinstituut Ruimtelijk Vakmanschap B.V. tot en met 31-08-2027; die gaat "
        "dus voor."
    )

    def award(starts_on: date, ends_on: date) -> TenderAward:
        return TenderAward(
            supplier=TRAINING.supplier,
            value_eur=Decimal(232200),
            starts_on=starts_on,
            ends_on=ends_on,
            extension_options=0,
            decided_by="Stuurgroep",
            risk_before_go_accepted=True,
        )

    settings = Settings(database_url=engine.url.render_as_string(hide_password=False))
    at = datetime(2027, 7, 5, 10, tzinfo=UTC)
    later = award(date(2028, 9, 13), date(2029, 9, 12))
    refused = pytest.raises(UserError, match="planned for cohort\\(s\\) 2027 uses the contract's")
    with refused, unit("2028", settings=settings) as u:
        record_lot_award(u, "training", later, at)
    with unit("2027", settings=settings) as u:
        record_lot_award(u, "training", award(date(2027, 9, 1), date(2028, 9, 12)), at)
    with unit("2028", settings=settings) as u:
        record_lot_award(u, "training", later, at)
    session.expire_all()
    contract = session.scalar(select(Contract).where(Contract.lot == "training"))
    assert (contract.ends_on, contract.extension_options_used) == (date(2029, 9, 12), 2)

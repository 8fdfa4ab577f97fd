"""Phase 3 over time on a real Prefect server: extension, open procedure, awards, reminders."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rvg.errors import UserError
from rvg.models import (
    Cohort,
    Contact,
    ContactRoleAssignment,
    Contract,
    Decision,
    Notification,
    Organisation,
)
from rvg.phases import Phase
from rvg.repositories.decisions import record_decision
from rvg.tendering.award import TenderAward, TenderDecisions
from tests.utils.flows import cohort_in, completed

pytestmark = [pytest.mark.prefect, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

EXTENSION = TenderAward(
    supplier="Werving & Selectie Zuid B.V.",
    value_eur=120_000,
    starts_on=date(2027, 1, 1),
    ends_on=date(2027, 12, 31),
    extension_options=0,
    decided_by="Stuurgroep RvG",
    comment="Optie 1 gelicht",
)
TRAINING = TenderAward(
    supplier="Academie Omgevingswet B.V.",
    value_eur=640_000,
    starts_on=date(2027, 7, 12),
    ends_on=date(2028, 9, 30),
    extension_options=0,
    decided_by="Stuurgroep RvG",
)


@pytest.fixture
def project(engine, monkeypatch):
    cohort_in(engine)
    monkeypatch.setenv("RVG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with Session(engine) as session:
        province = session.scalar(select(Organisation).where(Organisation.code == "PV30"))
        contact = Contact(
            organisation_id=province.id, name="Inkoopadviseur", email="inkoop@brabant.example"
        )
        contact.roles = [ContactRoleAssignment(role="procurement")]
        session.add(contact)
        session.commit()


def _go(engine) -> None:
    """The steering group's go of 12 November 2026."""
    with Session(engine) as session:
        record_decision(
            session.scalar(select(Cohort)),
            Phase.COMMITMENTS,
            session=session,
            kind="go_no_go",
            outcome="go",
            decided_by="Stuurgroep RvG",
            decided_at=datetime(2026, 11, 12, 12, tzinfo=UTC),
        )
        session.commit()


def _reminders(engine) -> int:
    with Session(engine) as session:
        return session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.template == "tender_milestone")
        )


def test_tendering_over_time(engine, prefect_api_url, project):
    from flows.tendering import tendering

    early = tendering(cohort="2027", as_of=date(2026, 9, 1))
    paths = {lot.lot: (lot.path, lot.status) for lot in early.lots}
    assert paths == {
        "recruitment_selection": ("extension", "planned"),
        "training": ("social_services", "planned"),  # light-touch: Annex XIV training
    }
    planned = _reminders(engine)
    assert planned == 2 * (3 + 8)  # 14 and 3 days before each milestone still ahead
    tendering(cohort="2027", as_of=date(2026, 9, 2))
    assert _reminders(engine) == planned  # a re-run enqueues nothing twice

    # The extension's decision falls before the go: refused unless the steering group takes
    # that risk explicitly, and nothing is recorded.
    with pytest.raises(UserError, match="falls before the go/no-go"):
        tendering(
            cohort="2027",
            as_of=date(2026, 9, 21),
            decision=TenderDecisions(awards={"recruitment_selection": EXTENSION}),
        )
    with Session(engine) as session:
        assert session.scalar(select(func.count()).where(Decision.kind.startswith("award"))) == 0
    risk_taken = EXTENSION.model_copy(update={"risk_before_go_accepted": True})
    after_decision_date = tendering(
        cohort="2027",
        as_of=date(2026, 9, 21),
        decision=TenderDecisions(awards={"recruitment_selection": risk_taken}),
    )
    statuses = {lot.lot: lot.status for lot in after_decision_date.lots}
    assert statuses == {"recruitment_selection": "awarded", "training": "planned"}
    with Session(engine) as session:
        contract = session.scalar(select(Contract).where(Contract.lot == "recruitment_selection"))
        assert (contract.ends_on, contract.extension_options_used) == (date(2027, 12, 31), 1)

    # After the notice deadline a fresh plan could no longer extend; the stored plan stays put.
    later = tendering(cohort="2027", as_of=date(2026, 12, 1))
    assert {lot.lot: lot.path for lot in later.lots}["training"] == "social_services"

    _go(engine)
    done = tendering(
        cohort="2027",
        as_of=date(2027, 1, 18),
        decision=TenderDecisions(awards={"training": TRAINING}),
    )
    assert all(lot.status == "awarded" for lot in done.lots)
    with Session(engine) as session:
        kinds = set(session.scalars(select(Decision.kind)))
        assert {"award:recruitment_selection", "award:training", "phase_completed"} <= kinds
        assert "tendering" in completed(session)
        training = session.scalar(
            select(Contract).where(Contract.supplier == "Academie Omgevingswet B.V.")
        )
        assert training.extension_options_total == 0


def test_award_without_extension_option_is_warned_about(engine, prefect_api_url, project):
    from prefect.artifacts import Artifact

    from flows.tendering import tendering

    _go(engine)
    tendering(
        cohort="2027",
        as_of=date(2027, 1, 18),
        decision=TenderDecisions(awards={"training": TRAINING}),
    )
    warning = Artifact.get("tender-award-warning-2027-training")
    assert warning is not None and "verlengingsoptie" in warning.data
    award = Artifact.get("tender-award-2027-training")
    assert award is not None and "| Waarde van de gunning | € 640.000 |" in award.data
    assert "| Go van de lichting | 12-11-2026 |" in award.data


def test_an_extension_beyond_the_options_left_is_refused(engine, prefect_api_url, project):
    from flows.tendering import tendering

    three_years = EXTENSION.model_copy(
        update={"ends_on": date(2029, 12, 31), "risk_before_go_accepted": True}
    )
    with pytest.raises(UserError, match="takes more options than planned"):
        tendering(
            cohort="2027",
            as_of=date(2026, 9, 21),
            decision=TenderDecisions(awards={"recruitment_selection": three_years}),
        )
    with Session(engine) as session:
        contract = session.scalar(select(Contract).where(Contract.lot == "recruitment_selection"))
        assert (contract.ends_on, contract.extension_options_used) == (date(2026, 12, 31), 0)

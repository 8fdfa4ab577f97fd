"""The decision forms as the Prefect UI draws them: the schema Prefect stores for a paused or
suspended run (``create_v2_schema``), with Dutch titles, pre-filled values and the lot named."""

from decimal import Decimal

from prefect._internal.pydantic.v2_schema import create_v2_schema

from flows._decisions import prefilled
from flows.business_case import BusinessCaseDecisionForm
from flows.tendering import TenderAwardForm


def _schema(form) -> dict:
    return create_v2_schema(form.__name__, model_base=form)


def test_the_business_case_form_is_dutch_and_prefilled_with_the_cohorts_range():
    form = prefilled(
        BusinessCaseDecisionForm, description="x", min_participants=20, max_participants=34
    )
    fields = _schema(form)["properties"]
    assert fields["min_participants"]["title"] == "Kleinste omvang (deelnemers)"
    assert (fields["min_participants"]["default"], fields["max_participants"]["default"]) == (
        20,
        34,
    )
    assert fields["max_participants"]["maximum"] == 500  # the constraint survives pre-filling
    assert {field["title"] for field in fields.values()} >= {"Goedgekeurd", "Besloten door"}
    assert form._description == "x"


def test_the_award_form_names_the_lot_and_asks_a_plain_number():
    form = prefilled(
        TenderAwardForm,
        description="x",
        titles={"supplier": "Leverancier van perceel Opleiding en talentcoaching"},
        supplier="Academie B.V.",
    )
    fields = _schema(form)["properties"]
    assert fields["supplier"]["title"] == "Leverancier van perceel Opleiding en talentcoaching"
    assert (fields["supplier"]["default"], fields["supplier"]["minLength"]) == ("Academie B.V.", 2)
    assert fields["value_eur"]["type"] == "number"
    assert "anyOf" not in fields["value_eur"]
    assert fields["starts_on"]["title"] == "Ingangsdatum"
    answer = form(
        supplier="Academie B.V.",
        value_eur=640000.5,
        starts_on="2027-07-12",
        ends_on="2028-09-30",
        extension_options=2,
        decided_by="Stuurgroep",
    )
    assert answer.value_eur == Decimal("640000.5")

"""The business case's files as the steering group opens them: Dutch headers, euros, the
tender table per lot."""

import csv
from datetime import date

import openpyxl
import pytest

from rvg.business_case.costing import load_cost_model
from rvg.business_case.report import (
    SCENARIO_HEADERS,
    build_business_case,
    render_markdown,
    scenario_rows,
    write_files,
)
from rvg.models import Cohort, CohortMilestone
from rvg.tendering.config import load_procurement
from tests.utils.config_files import REAL_CONFIG

MODEL = load_cost_model(REAL_CONFIG / "costs.yaml")


@pytest.fixture
def figures():
    cohort = Cohort(
        code="2027",
        name="Ruimte voor Groei, lichting 2027",
        target_participants_min=20,
        target_participants_max=34,
    )
    cohort.milestones = [CohortMilestone(name="go_no_go", on=date(2026, 11, 12))]
    return build_business_case(cohort, MODEL, load_procurement(REAL_CONFIG / "contracts.yaml"))


def test_scenario_files_have_dutch_headers_and_euros(figures, tmp_path):
    paths = write_files(figures, tmp_path)

    with paths["csv"].open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert list(rows[0]) == list(SCENARIO_HEADERS.values())
    at_27 = next(row for row in rows if row["Deelnemers"] == "27")
    assert at_27["Kosten per deelnemer (€)"] == "18500,00"
    assert at_27["Terugverdiend na (maanden)"] == "7,30"

    sheet = openpyxl.load_workbook(paths["xlsx"])["Scenario's"]
    headers = [cell.value for cell in sheet[1]]
    assert headers == list(SCENARIO_HEADERS.values())
    cost = sheet.cell(row=2, column=headers.index("Totale kosten (€)") + 1)
    assert isinstance(cost.value, int | float) and cost.number_format == "€ #,##0"
    assert sheet.cell(row=2, column=1).number_format == "General"  # a count, not euros


def test_the_artifact_table_reads_as_dutch_text(figures):
    rows = scenario_rows(figures.scenarios)
    at_27 = next(row for row in rows if row["Deelnemers"] == "27")
    assert at_27["Kosten per deelnemer (€)"] == "€ 18.500"
    assert at_27["Terugverdiend na (maanden)"] == "7,3"
    assert all(isinstance(value, str) for row in rows for value in row.values())


def test_the_tender_table_shows_value_threshold_and_consequence_per_lot(figures):
    text = render_markdown(figures)
    assert "| Opleiding en talentcoaching | sociale en andere specifieke diensten (8053" in text
    assert "€ 877.200 | 3 | € 750.000 | Sociale en andere specifieke diensten boven" in text
    assert "€ 448.800 | 3 | € 216.000 | Europese openbare procedure" in text
    assert "grootste lichting die de stuurgroep toestaat (34 deelnemers)" in text
    assert "schaal 9.6" in text and "7,3 maanden" in text

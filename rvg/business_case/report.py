"""The business case of one cohort: figures from the cost model, rendered for the steering group."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from rvg.business_case.actuals import CostComparison
from rvg.business_case.costing import CohortCost, CostModel, cohort_cost, scenarios
from rvg.dutch import euro, number
from rvg.history import HistoryView, PastCohort, history_markdown, history_view
from rvg.models import Cohort
from rvg.reports.charts import line_chart
from rvg.reports.rendering import render_report
from rvg.spreadsheets import safe_frame
from rvg.tendering.config import ProcurementConfig
from rvg.tendering.labels import REGIME_LABELS
from rvg.tendering.planning import LotAssessment, assess_lots, tender_date


@dataclass(frozen=True)
class BusinessCaseFigures:
    cohort_code: str
    cohort_name: str
    target_min: int
    target_max: int
    planned_participants: int
    tender_date: date
    cost: CohortCost
    model: CostModel
    scenarios: pd.DataFrame
    lots: list[LotAssessment]
    # Budget against actual per cost line, once anything is awarded or invoiced.
    actuals: tuple[CostComparison, ...] = ()
    # The cohorts before this one, past (published) and live (counted).
    history: tuple[PastCohort, ...] = ()

    @property
    def history_view(self) -> HistoryView | None:
        return history_view(self.history, self.planned_participants)


def planned_participants(cohort: Cohort) -> int:
    """The middle of the cohort's target range: the size the business case is drawn up for."""
    return (cohort.target_participants_min + cohort.target_participants_max + 1) // 2


def build_business_case(
    cohort: Cohort,
    model: CostModel,
    procurement: ProcurementConfig,
    *,
    actuals: Sequence[CostComparison] = (),
    history: Sequence[PastCohort] = (),
) -> BusinessCaseFigures:
    participants = planned_participants(cohort)
    day = tender_date(cohort)
    return BusinessCaseFigures(
        cohort_code=cohort.code,
        cohort_name=cohort.name,
        target_min=cohort.target_participants_min,
        target_max=cohort.target_participants_max,
        planned_participants=participants,
        tender_date=day,
        cost=cohort_cost(model, participants),
        model=model,
        scenarios=scenarios(model),
        lots=assess_lots(cohort, procurement, model.per_participant_amounts()),
        actuals=tuple(actuals),
        history=tuple(history),
    )


def _chart(figures: BusinessCaseFigures) -> str:
    frame = figures.scenarios
    points = list(zip(frame["participants"], frame["cost_per_participant"], strict=True))
    return line_chart(
        [(float(x), float(y)) for x, y in points],
        title="Kosten per deelnemer naar omvang van de lichting",
        x_label="Aantal deelnemers",
        y_label="Kosten per deelnemer (euro)",
        highlight_x=float(figures.planned_participants),
    )


def render_markdown(figures: BusinessCaseFigures) -> str:
    return render_report(
        "business_case.md.j2",
        case=figures,
        rows=_table_rows(figures),
        regimes=REGIME_LABELS,
        cost_lines="\n".join(cost_lines_markdown(figures.actuals)),
        history="\n".join(history_markdown(figures.history_view)),
    )


def cost_lines_markdown(lines: Sequence[CostComparison]) -> list[str]:
    """Budget against actual per cost line as a Markdown section; nothing without lines."""
    if not lines:
        return []
    size = lines[0].size
    rows = [
        f"| {c.label} | {euro(c.budget)} | {euro(c.actual)} | {c.basis_label} |"
        if c.basis != "budget"
        else f"| {c.label} | {euro(c.budget)} | **{euro(c.actual)}\\*** | **{c.basis_label}** |"
        for c in lines
    ]
    stand_in = any(c.basis == "budget" for c in lines)
    return [
        "## Begroot tegenover werkelijk, per kostenpost",
        "",
        f"| kostenpost | begroot bij {size} deelnemers | werkelijk | bron |",
        "|---|---:|---:|---|",
        *rows,
        "",
        "Werkelijk is wat gefactureerd is; zonder facturen de waarde waarvoor het perceel voor "
        "deze lichting is gegund; zonder gunning de begroting."
        + (
            " **\\* Geen werkelijk bedrag: hier telt de begroting mee als werkelijk, tot de "
            "facturen zijn ingelezen (`rvg import invoices`).**"
            if stand_in
            else ""
        )
        + f" De begroting is gelezen bij {size} deelnemers, de omvang die de lichting "
        "werkelijk heeft (het geplande aantal zolang er niemand geplaatst is).",
        "",
    ]


def render_html(figures: BusinessCaseFigures) -> str:
    return render_report(
        "business_case.html.j2",
        case=figures,
        rows=_table_rows(figures),
        chart=_chart(figures),
        regimes=REGIME_LABELS,
    )


def _table_rows(figures: BusinessCaseFigures) -> list[dict[str, float]]:
    """Every scenario row where the size is a multiple of 4, plus the planned size."""
    frame = figures.scenarios
    wanted = (frame["participants"] % 4 == 0) | (
        frame["participants"] == figures.planned_participants
    )
    return list(frame[wanted].to_dict("records"))


# The scenario table as the steering group reads it: Dutch headers, euros, months.
SCENARIO_HEADERS = {
    "participants": "Deelnemers",
    "total_cost": "Totale kosten (€)",
    "cost_per_participant": "Kosten per deelnemer (€)",
    "contribution_per_participant": "Bijdrage per deelnemer (€)",
    "interim_cost_per_placement": "Vervangen inhuur per plaatsing, eerste jaar (€)",
    "programme_cost_per_placement": "Kosten per plaatsing via het programma (€)",
    "saving_per_placement": "Besparing per plaatsing (€)",
    "payback_months": "Terugverdiend na (maanden)",
}
EURO_FORMAT = "€ #,##0"


def scenario_sheet(frame: pd.DataFrame) -> pd.DataFrame:
    """The scenarios with Dutch headers; a payback that never comes is an empty cell."""
    sheet = frame.rename(columns=SCENARIO_HEADERS)
    months = SCENARIO_HEADERS["payback_months"]
    sheet[months] = sheet[months].where(sheet[months] != float("inf"))
    return sheet


def scenario_rows(frame: pd.DataFrame) -> list[dict[str, str]]:
    """The scenarios as text in Dutch notation, for the artifact table in the Prefect UI."""
    rows = []
    for record in scenario_sheet(frame).to_dict("records"):
        row = {}
        for header, value in record.items():
            if header == SCENARIO_HEADERS["participants"]:
                row[header] = str(int(value))
            elif header == SCENARIO_HEADERS["payback_months"]:
                row[header] = "" if pd.isna(value) else number(value, 1)
            else:
                row[header] = euro(value)
        rows.append(row)
    return rows


def write_files(figures: BusinessCaseFigures, folder: Path) -> dict[str, Path]:
    """business_case.md, business_case.html, scenarios.csv and scenarios.xlsx in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "markdown": folder / "business_case.md",
        "html": folder / "business_case.html",
        "csv": folder / "scenarios.csv",
        "xlsx": folder / "scenarios.xlsx",
    }
    paths["markdown"].write_text(render_markdown(figures), encoding="utf-8")
    paths["html"].write_text(render_html(figures), encoding="utf-8")
    sheet = safe_frame(scenario_sheet(figures.scenarios))  # no text runs as a formula
    # Dutch Excel opens a CSV with semicolons and decimal commas as numbers.
    sheet.to_csv(paths["csv"], index=False, sep=";", decimal=",", float_format="%.2f")
    with pd.ExcelWriter(paths["xlsx"], engine="openpyxl") as writer:
        sheet.to_excel(writer, index=False, sheet_name="Scenario's")
        worksheet = writer.sheets["Scenario's"]
        for column, header in enumerate(sheet.columns, start=1):
            worksheet.column_dimensions[worksheet.cell(1, column).column_letter].width = 24
            if "(€)" in header:
                for (cell,) in worksheet.iter_rows(min_row=2, min_col=column, max_col=column):
                    cell.number_format = EURO_FORMAT
    return paths

"""The evaluation report of a cohort: ``evaluation.csv`` and ``evaluation.html`` (Dutch).

Everything shown comes from the figures of ``rvg.evaluation.aggregate`` and
``rvg.evaluation.retention``, which are already suppressed; this module only formats them.
The HTML template is autoescaped, so open answers cannot inject markup.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from rvg.dutch import number
from rvg.evaluation.aggregate import (
    GROUP_ALL,
    Invited,
    OpenAnswers,
    ResponseRecord,
    buddy_hours,
    nps_figures,
    open_answers,
    question_figures,
    response_rates,
    trend,
)
from rvg.evaluation.definitions import LIKERT_SCALE, SurveyDefinitions
from rvg.evaluation.retention import PlacementOutcome, retention_figures
from rvg.reports.charts import bar_chart
from rvg.reports.rendering import render_report
from rvg.spreadsheets import spreadsheet_writer

CSV_COLUMNS = ("round", "audience", "group", "question", "n", "mean", "median")
AUDIENCE_LABELS = {"participant": "Deelnemers", "buddy": "Buddy's", "manager": "Leidinggevenden"}
THEME_LABELS = {
    "guidance": "Begeleiding",
    "information": "Informatievoorziening",
    "training": "Opleiding",
    "workplace": "Werkplek",
}


@dataclass(frozen=True)
class EvaluationFigures:
    """All figures of one cohort's evaluation report, already suppressed where needed."""

    cohort: str
    min_group_size: int
    rates: pd.DataFrame
    questions: pd.DataFrame
    nps: pd.DataFrame
    hours: pd.DataFrame
    trends: pd.DataFrame
    answers: list[OpenAnswers]
    retention: list[dict[str, Any]]


def evaluation_figures(
    definitions: SurveyDefinitions,
    invited: Iterable[Invited],
    responses: Iterable[ResponseRecord],
    outcomes: Iterable[PlacementOutcome],
    *,
    cohort: str,
) -> EvaluationFigures:
    """The figures of ``cohort``; trends and retention cover every cohort given."""
    everyone = list(responses)
    own = [r for r in everyone if r.cohort == cohort]
    minimum = definitions.min_group_size
    return EvaluationFigures(
        cohort=cohort,
        min_group_size=minimum,
        rates=response_rates([i for i in invited if i.cohort == cohort], own),
        questions=question_figures(definitions, own, minimum),
        nps=nps_figures(own, minimum),
        hours=buddy_hours(own, minimum),
        trends=trend(definitions, everyone, minimum),
        answers=open_answers(definitions, own, minimum),
        retention=retention_figures(outcomes, minimum),
    )


def evaluation_csv(figures: pd.DataFrame, *, min_group_size: int = 5) -> str:
    """``round,audience,group,question,n,mean,median``; suppressed: n ``<5``, no mean/median."""
    out = io.StringIO()
    writer = spreadsheet_writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in figures.itertuples(index=False):
        if row.suppressed:
            values = [f"<{min_group_size}", "", ""]
        else:
            values = [str(int(row.n)), f"{row.mean:.2f}", f"{row.median:.2f}"]
        writer.writerow([row.round, row.audience, row.group, row.question, *values])
    return out.getvalue()


def evaluation_html(
    figures: EvaluationFigures,
    definitions: SurveyDefinitions,
    *,
    cohort_name: str,
    as_of: date,
) -> str:
    """The standalone Dutch HTML report, charts inline, no JavaScript."""
    hidden = f"< {figures.min_group_size}"
    return render_report(
        "evaluation.html.j2",
        cohort_name=cohort_name,
        as_of=as_of,
        min_group_size=figures.min_group_size,
        hidden=hidden,
        rates=_rate_rows(figures.rates, definitions),
        theme_charts=_theme_charts(figures, definitions),
        trend_rows=_trend_rows(figures.trends, definitions, hidden),
        nps=_nps_rows(figures.nps, definitions, hidden),
        hours=_hours_rows(figures.hours, definitions, hidden),
        questions=_question_rows(figures.questions, definitions, hidden),
        answers=_answer_blocks(figures.answers, definitions),
        retention=figures.retention,
    )


def _title(definitions: SurveyDefinitions, code: str) -> str:
    try:
        return definitions.round(code).title
    except KeyError:
        return code


def _group(group: str) -> str:
    return "Alle regio's" if group == GROUP_ALL else group


def _figure(value: Any, decimals: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return number(value, decimals)


def _rate_rows(rates: pd.DataFrame, definitions: SurveyDefinitions) -> list[list[str]]:
    return [
        [
            _title(definitions, r.round),
            AUDIENCE_LABELS.get(r.audience, r.audience),
            str(r.invited),
            str(r.responded),
            _figure(r.rate, 0) + ("%" if r.invited else ""),
        ]
        for r in rates.itertuples(index=False)
    ]


def _theme_charts(
    figures: EvaluationFigures, definitions: SurveyDefinitions
) -> list[tuple[str, str]]:
    """One chart per round, with the round's name: (round title, SVG)."""
    own = figures.trends[(figures.trends["cohort"] == figures.cohort) & ~figures.trends.suppressed]
    charts = []
    for i, (code, part) in enumerate(own.groupby("round", sort=False)):
        means = zip(part["theme"], part["mean"], strict=True)
        bars = [(THEME_LABELS.get(t, t), float(m)) for t, m in means]
        round_title = _title(definitions, str(code))
        svg = bar_chart(
            bars,
            title=f"Gemiddelde score per thema, {round_title.lower()}",
            value_label="gemiddelde score, van 1 (helemaal oneens) tot 5 (helemaal eens)",
            chart_id=f"thema-{i}",
            axis=(float(LIKERT_SCALE[0]), float(LIKERT_SCALE[1])),
        )
        charts.append((round_title, svg))
    return charts


def _trend_rows(
    trends: pd.DataFrame, definitions: SurveyDefinitions, hidden: str
) -> list[list[str]]:
    return [
        [
            t.cohort,
            _title(definitions, t.round),
            THEME_LABELS.get(t.theme, t.theme),
            hidden if t.suppressed else str(t.n),
            "" if t.suppressed else _figure(t.mean, 2),
        ]
        for t in trends.itertuples(index=False)
    ]


def _nps_rows(nps: pd.DataFrame, definitions: SurveyDefinitions, hidden: str) -> list[list[str]]:
    rows = []
    for r in nps.itertuples(index=False):
        head = [_title(definitions, r.round), AUDIENCE_LABELS.get(r.audience, r.audience)]
        if r.suppressed:
            rows.append([*head, _group(r.group), hidden, "", "", "", ""])
        else:
            counts = [str(r.n), str(r.promoters), str(r.passives), str(r.detractors)]
            rows.append([*head, _group(r.group), *counts, f"{r.nps:+.0f}"])
    return rows


def _hours_rows(
    hours: pd.DataFrame, definitions: SurveyDefinitions, hidden: str
) -> list[list[str]]:
    return [
        [_title(definitions, h.round), hidden, "", "", ""]
        if h.suppressed
        else [
            _title(definitions, h.round),
            str(h.n),
            *(_figure(v) for v in (h.mean, h.median, h.p90)),
        ]
        for h in hours.itertuples(index=False)
    ]


def _question_rows(
    questions: pd.DataFrame, definitions: SurveyDefinitions, hidden: str
) -> list[list[str]]:
    rows = []
    for q in questions.itertuples(index=False):
        question = definitions.question(q.question)
        head = [
            _title(definitions, q.round),
            AUDIENCE_LABELS.get(q.audience, q.audience),
            _group(q.group),
            question.text if question else q.question,
        ]
        if q.suppressed:
            rows.append([*head, hidden, "", ""])
        else:
            rows.append([*head, str(q.n), _figure(q.mean, 2), _figure(q.median, 1)])
    return rows


def _answer_blocks(
    answers: list[OpenAnswers], definitions: SurveyDefinitions
) -> list[dict[str, Any]]:
    blocks = []
    for block in answers:
        question = definitions.question(block.question)
        blocks.append(
            {
                "round": _title(definitions, block.round),
                "audience": AUDIENCE_LABELS.get(block.audience, block.audience),
                "question": question.text if question else block.question,
                "shown": block.shown,
                "texts": block.texts,
            }
        )
    return blocks

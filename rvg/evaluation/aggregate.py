"""Survey statistics of the evaluation: response rates, figures per question, NPS, the time
buddies spend, and theme trends across rounds and cohorts. Pure: plain records in, pandas out.

Anonymity. A figure describes a *cell*: one round, audience, group (``all`` or a region) and
question. Cells with n = 0 are simply absent. Two rules decide which cells are suppressed:

* primary: a cell with 1 <= n < ``min_group_size`` is suppressed, the ``all`` total included;
* complementary: within one (round, audience, question) whose total is shown, the total
  minus the visible regions gives away the suppressed regions taken together. So the
  suppressed regions must together count at least ``min_group_size`` respondents; until they
  do, the smallest visible region (fewest respondents, then by name) is suppressed too.
  Should no visible region be left while they still count fewer, the total is suppressed.

A suppressed cell keeps its keys and ``suppressed=True``; its n, mean, median and distribution
are blanked in the frame itself, so nothing downstream (CSV, HTML, artifacts) can leak them.
Open answers are texts only, without region or respondent, and only for a (round, audience)
with at least ``min_group_size`` responses; they are sorted so their order reveals nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from rvg.evaluation.definitions import THEMES, SurveyDefinitions

GROUP_ALL = "all"
UNKNOWN_REGION = "onbekend"
AUDIENCES = ("participant", "buddy", "manager")
Answer = int | float | str | None


@dataclass(frozen=True)
class Invited:
    """One invitation to a survey round."""

    cohort: str
    round: str
    audience: str
    region: str


@dataclass(frozen=True)
class ResponseRecord:
    """The answers of one respondent in one round, keyed by question code; no name."""

    cohort: str
    round: str
    audience: str
    region: str
    answers: dict[str, Answer]


@dataclass(frozen=True)
class OpenAnswers:
    """The texts given to one open question; ``shown`` is False for a too small group."""

    round: str
    audience: str
    question: str
    shown: bool
    texts: tuple[str, ...]


def response_rates(invited: Iterable[Invited], responses: Iterable[ResponseRecord]) -> pd.DataFrame:
    """Per round and audience: invited, responded and the rate in percent."""
    keys = ["round", "audience"]
    sent = pd.DataFrame([(i.round, i.audience) for i in invited], columns=keys)
    back = pd.DataFrame([(r.round, r.audience) for r in responses], columns=keys)
    table = pd.concat(
        [sent.value_counts().rename("invited"), back.value_counts().rename("responded")], axis=1
    )
    table = table.fillna(0).astype(int).reset_index()
    table["rate"] = [
        round(100 * r / i, 1) if i else None
        for i, r in zip(table["invited"], table["responded"], strict=True)
    ]
    return _sorted(table[["round", "audience", "invited", "responded", "rate"]], None)


def suppression(cells: pd.DataFrame, keys: Sequence[str], min_group_size: int) -> pd.Series:
    """Which cells to suppress: the primary and complementary rules of the module docstring.

    ``cells`` has the columns ``keys``, ``group`` (``all`` or a region) and ``n``.
    """
    hidden = cells["n"] < min_group_size
    for _, block in cells.groupby(list(keys), sort=False):
        total = block.index[block["group"] == GROUP_ALL]
        regions = block[block["group"] != GROUP_ALL]
        if total.empty or hidden[total].all():
            continue
        derivable = int(regions["n"][hidden[regions.index]].sum())
        visible = regions[~hidden[regions.index]].sort_values(["n", "group"])
        for index, n in zip(visible.index, visible["n"], strict=True):
            if derivable == 0 or derivable >= min_group_size:
                break
            hidden[index] = True
            derivable += int(n)
        if 0 < derivable < min_group_size:
            hidden[total[0]] = True
    return hidden


def question_figures(
    definitions: SurveyDefinitions, responses: Iterable[ResponseRecord], min_group_size: int
) -> pd.DataFrame:
    """Per round, audience, group and scale or number question: n, mean, median, distribution."""
    kinds = {q.code: q for q in definitions.questions if q.kind != "text"}

    def summarise(values: pd.Series, question: str) -> dict[str, object]:
        scale = kinds[question].scale
        counts = values.value_counts()
        distribution = (
            {v: int(counts.get(v, 0)) for v in range(scale[0], scale[1] + 1)} if scale else None
        )
        return {"mean": values.mean(), "median": values.median(), "distribution": distribution}

    long = _long(responses, set(kinds))
    keys = ["round", "audience", "question"]
    stats = ["mean", "median", "distribution"]
    frame = _suppress(_cells(long, keys, summarise, stats), keys, min_group_size, stats)
    columns = ["round", "audience", "group", "question", "n", *stats, "suppressed"]
    return _sorted(frame[columns], definitions)


def nps_figures(
    responses: Iterable[ResponseRecord], min_group_size: int, question: str = "nps"
) -> pd.DataFrame:
    """Net Promoter Score per round, audience and group: % promoters (9–10) − % detractors (0–6)."""

    def summarise(values: pd.Series, _: str) -> dict[str, object]:
        promoters, detractors = int((values >= 9).sum()), int((values <= 6).sum())
        return {
            "promoters": promoters,
            "passives": len(values) - promoters - detractors,
            "detractors": detractors,
            "nps": 100 * (promoters - detractors) / len(values),
        }

    stats = ["promoters", "passives", "detractors", "nps"]
    keys = ["round", "audience", "question"]
    frame = _cells(_long(responses, {question}), keys, summarise, stats)
    return _sorted(_suppress(frame, keys, min_group_size, stats), None).drop(columns="question")


def buddy_hours(
    responses: Iterable[ResponseRecord], min_group_size: int, question: str = "buddy_hours"
) -> pd.DataFrame:
    """Hours a week buddies spend, per round: n, mean, median, 90th percentile (linear)."""
    long = _long((r for r in responses if r.audience == "buddy"), {question})
    rows = [
        {
            "round": code,
            "n": len(part),
            "mean": part["value"].mean(),
            "median": part["value"].median(),
            "p90": part["value"].quantile(0.9),
        }
        for code, part in long.groupby("round", sort=False)
    ]
    frame = pd.DataFrame(rows, columns=["round", "n", "mean", "median", "p90"])
    frame["group"] = GROUP_ALL
    frame = _suppress(frame, ["round"], min_group_size, ["mean", "median", "p90"])
    return _sorted(frame.drop(columns="group"), None)


def trend(
    definitions: SurveyDefinitions, responses: Iterable[ResponseRecord], min_group_size: int
) -> pd.DataFrame:
    """Per cohort, round and likert theme: respondents and the mean of their theme averages.

    Each respondent counts once per theme (the mean of their answers on its questions), so a
    theme with more questions does not weigh its respondents more. All audiences together.
    """
    themes = {q.code: q.theme for q in definitions.questions if q.kind == "likert"}
    long = _long(responses, set(themes))
    long["theme"] = long["question"].map(themes)
    per_person = long.groupby(["cohort", "round", "theme", "respondent"])["value"].mean()
    frame = per_person.groupby(["cohort", "round", "theme"]).agg(["size", "mean"]).reset_index()
    frame = frame.rename(columns={"size": "n"})
    frame["group"] = GROUP_ALL
    frame = _suppress(frame, ["cohort", "round", "theme"], min_group_size, ["mean"])
    return _sorted(frame.drop(columns="group"), definitions)


def open_answers(
    definitions: SurveyDefinitions, responses: Iterable[ResponseRecord], min_group_size: int
) -> list[OpenAnswers]:
    """The texts per round, audience and open question; hidden for fewer than the minimum."""
    records = list(responses)
    result = []
    for round_ in _round_codes(definitions, records):
        for audience in AUDIENCES:
            group = [r for r in records if r.round == round_ and r.audience == audience]
            if not group:
                continue
            for question in definitions.questions_for(audience):
                if question.kind != "text":
                    continue
                shown = len(group) >= min_group_size
                texts = [r.answers.get(question.code) for r in group] if shown else []
                kept = sorted(t.strip() for t in texts if isinstance(t, str) and t.strip())
                result.append(OpenAnswers(round_, audience, question.code, shown, tuple(kept)))
    return result


def _long(responses: Iterable[ResponseRecord], codes: set[str]) -> pd.DataFrame:
    """One row per numeric answer to one of ``codes``: respondent, keys, region, value.

    Only finite numbers count: a NaN or infinity (never stored by the forms or imports, but
    possible in rows written before they checked) is no answer, so ``n`` counts valid ones.
    """
    rows = [
        (i, r.cohort, r.round, r.audience, r.region or UNKNOWN_REGION, code, float(value))
        for i, r in enumerate(responses)
        for code, value in r.answers.items()
        if code in codes
        and isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    ]
    columns = ["respondent", "cohort", "round", "audience", "region", "question", "value"]
    return pd.DataFrame(rows, columns=columns)


def _cells(
    long: pd.DataFrame,
    keys: list[str],
    summarise: Callable[[pd.Series, str], dict[str, object]],
    stats: list[str],
) -> pd.DataFrame:
    """The ``all`` cell and one cell per region for every combination of ``keys``."""
    if (long["region"] == GROUP_ALL).any():
        raise ValueError(f"a region may not be called {GROUP_ALL!r}")
    rows = []
    for key, part in long.groupby(keys, sort=False):
        base = dict(zip(keys, key, strict=True))
        question = str(base["question"])
        rows.append(
            {**base, "group": GROUP_ALL, "n": len(part)} | summarise(part["value"], question)
        )
        for region, sub in part.groupby("region", sort=True):
            rows.append(
                {**base, "group": region, "n": len(sub)} | summarise(sub["value"], question)
            )
    return pd.DataFrame(rows, columns=[*keys, "group", "n", *stats])


def _suppress(
    frame: pd.DataFrame, keys: list[str], min_group_size: int, stats: list[str]
) -> pd.DataFrame:
    """Mark suppressed cells and blank their n and figures."""
    frame = frame.copy()
    hidden = suppression(frame, keys, min_group_size)
    frame["n"] = frame["n"].astype("Int64")
    frame.loc[hidden, "n"] = pd.NA
    for stat in stats:
        frame[stat] = frame[stat].astype(object).where(~hidden, None)
    frame["suppressed"] = hidden.astype(bool)
    return frame


def _sorted(frame: pd.DataFrame, definitions: SurveyDefinitions | None) -> pd.DataFrame:
    """Rounds by month (else by code), audiences in programme order, ``all`` before regions."""
    ranks: dict[str, dict[str, int]] = {
        "audience": {a: i for i, a in enumerate(AUDIENCES)},
        "theme": {t: i for i, t in enumerate(THEMES)},
    }
    if definitions is not None:
        ranks["round"] = {r.code: r.month for r in definitions.rounds}
        ranks["question"] = {q.code: i for i, q in enumerate(definitions.questions)}

    def key(col: pd.Series) -> pd.Series:
        if col.name == "group":
            return col.map(lambda g: "" if g == GROUP_ALL else str(g))
        rank = ranks.get(str(col.name))
        return col if rank is None else col.map(lambda v: rank.get(v, 999))

    order = ("cohort", "round", "audience", "group", "question", "theme")
    columns = [c for c in order if c in frame.columns]
    return frame.sort_values(columns, key=key, kind="stable").reset_index(drop=True)


def _round_codes(definitions: SurveyDefinitions, records: list[ResponseRecord]) -> list[str]:
    known = [r.code for r in sorted(definitions.rounds, key=lambda r: r.month)]
    return known + sorted({r.round for r in records} - set(known))

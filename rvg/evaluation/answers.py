"""Checking survey answers against the definitions: shared by the web form and the import."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rvg.commitments.answer import FieldError
from rvg.evaluation.definitions import Question, SurveyDefinitions

MAX_TEXT = 4000
Answer = int | float | str | None


@dataclass
class CheckedAnswers:
    answers: dict[str, Answer] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def check_answer(question: Question, raw: str | None) -> tuple[Answer, str | None]:
    """The stored value of one answer, or an error message in Dutch."""
    text = (raw or "").strip()
    if not text:
        return None, ("Beantwoord deze vraag." if question.required else None)
    if question.kind == "text":
        return (
            (text, None)
            if len(text) <= MAX_TEXT
            else (None, f"Gebruik hoogstens {MAX_TEXT} tekens.")
        )
    value = _number(text)
    if question.scale is not None:
        low, high = question.scale
        if value is None or value != int(value) or not low <= value <= high:
            return None, f"Kies een waarde van {low} tot en met {high}."
        return int(value), None
    low_n, high_n = question.minimum, question.maximum
    if (
        value is None
        or (low_n is not None and value < low_n)
        or (high_n is not None and value > high_n)
    ):
        return None, f"Vul een getal in van {low_n:g} tot en met {high_n:g}."
    return value, None


def check_answers(
    definitions: SurveyDefinitions, audience: str, data: Mapping[str, str | None]
) -> CheckedAnswers:
    """Every question of the audience: valid values kept, every problem named by question code."""
    checked = CheckedAnswers()
    for question in definitions.questions_for(audience):
        value, error = check_answer(question, data.get(question.code))
        if error:
            checked.errors.append(FieldError(question.code, error))
        else:
            checked.answers[question.code] = value
    return checked

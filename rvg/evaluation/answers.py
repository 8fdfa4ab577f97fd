"""Checking survey answers against the definitions: shared by the web form and the import."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rvg.commitments.answer import FieldError
from rvg.evaluation.definitions import Question, SurveyDefinitions
from rvg.inputs import decimal_number, text_problem, whole_number

MAX_TEXT = 4000
Answer = int | float | str | None


@dataclass
class CheckedAnswers:
    answers: dict[str, Answer] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)


def check_answer(question: Question, raw: str | None) -> tuple[Answer, str | None]:
    """The stored value of one answer, or an error message in Dutch."""
    text = (raw or "").strip()
    if not text:
        return None, ("Beantwoord deze vraag." if question.required else None)
    if question.kind == "text":
        problem = text_problem(text, MAX_TEXT, multiline=True)
        return (None, problem) if problem else (text, None)
    if question.scale is not None:
        low, high = question.scale
        whole = whole_number(text, low, high)
        if whole is None:
            return None, f"Kies een waarde van {low} tot en met {high}."
        return whole, None
    assert question.minimum is not None and question.maximum is not None  # checked on load
    value = decimal_number(text, question.minimum, question.maximum)
    if value is None:
        low_text, high_text = (
            f"{n:g}".replace(".", ",") for n in (question.minimum, question.maximum)
        )
        return None, f"Vul een getal in van {low_text} tot en met {high_text}."
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

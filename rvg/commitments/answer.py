"""A sign-up answer and its validation, shared by the web form and the file import.

Every problem is reported with the field it belongs to, in Dutch, so the form can show an
error summary that links to the fields and an import can name row and field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rvg.inputs import text_problem, whole_number

MAX_VACANCIES = 50
MAX_TEXT = 200
MAX_COMMENT = 2000


@dataclass(frozen=True)
class SignupAnswer:
    """What an organisation answered: whether it takes part, its vacancies, who signs."""

    takes_part: bool
    vacancies: dict[str, int]
    agrees_to_costs: bool
    signed_by_name: str
    signed_by_function: str
    comment: str = ""

    def as_payload(self) -> dict[str, object]:
        return {
            "takes_part": self.takes_part,
            "vacancies": dict(self.vacancies),
            "agrees_to_costs": self.agrees_to_costs,
            "signed_by_name": self.signed_by_name,
            "signed_by_function": self.signed_by_function,
            "comment": self.comment,
        }


@dataclass(frozen=True)
class FieldError:
    field: str  # the form field's name (and the id of its input)
    message: str


@dataclass
class Validation:
    answer: SignupAnswer | None = None
    errors: list[FieldError] = field(default_factory=list)


TRUE_WORDS = frozenset({"ja", "j", "yes", "y", "true", "1", "waar", "x"})
FALSE_WORDS = frozenset({"nee", "n", "no", "false", "0", "onwaar", ""})


def parse_yes_no(value: str | None) -> bool | None:
    """``ja``/``nee`` and their usual spellings; None when it is neither."""
    text = (value or "").strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return None


def validate_answer(
    data: Mapping[str, str | None], tracks: Sequence[tuple[str, str]]
) -> Validation:
    """Check a submitted sign-up; ``tracks`` are (code, name), vacancies in ``vacancies_<code>``."""
    errors: list[FieldError] = []
    takes_part = parse_yes_no(data.get("takes_part"))
    if takes_part is None or not (data.get("takes_part") or "").strip():
        errors.append(FieldError("takes_part", "Geef aan of uw organisatie meedoet."))
    vacancies: dict[str, int] = {}
    for code, name in tracks:
        key = f"vacancies_{code}"
        count = whole_number((data.get(key) or "").strip() or "0", 0, MAX_VACANCIES)
        if count is None:
            message = f"Vul bij {name} een heel getal in van 0 tot en met {MAX_VACANCIES}."
            errors.append(FieldError(key, message))
        else:
            vacancies[code] = count
    agrees = parse_yes_no(data.get("agrees_to_costs")) is True
    name = (data.get("signed_by_name") or "").strip()
    function = (data.get("signed_by_function") or "").strip()
    comment = (data.get("comment") or "").strip()
    if takes_part:
        if not agrees:
            errors.append(
                FieldError("agrees_to_costs", "Ga akkoord met de kostenbijdrage om mee te doen.")
            )
        if vacancies and sum(vacancies.values()) == 0 and len(vacancies) == len(tracks):
            errors.append(
                FieldError(
                    f"vacancies_{tracks[0][0]}", "Vul ten minste één vacature in om mee te doen."
                )
            )
    if not name:
        errors.append(FieldError("signed_by_name", "Vul de naam in van wie ondertekent."))
    if not function:
        errors.append(FieldError("signed_by_function", "Vul de functie in van wie ondertekent."))
    for key, text, limit in (
        ("signed_by_name", name, MAX_TEXT),
        ("signed_by_function", function, MAX_TEXT),
        ("comment", comment, MAX_COMMENT),
    ):
        problem = text_problem(text, limit, multiline=key == "comment")
        if problem:
            errors.append(FieldError(key, problem))
    if errors:
        return Validation(errors=errors)
    answer = SignupAnswer(
        takes_part=bool(takes_part),
        vacancies=vacancies if takes_part else {code: 0 for code, _ in tracks},
        agrees_to_costs=agrees if takes_part else False,
        signed_by_name=name,
        signed_by_function=function,
        comment=comment,
    )
    return Validation(answer=answer)

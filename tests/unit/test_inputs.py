"""What a person may type: plain decimal digits within a range, text without control characters."""

import math
import sys
import unicodedata
from decimal import Decimal

import pytest

from rvg.commitments.answer import validate_answer
from rvg.evaluation.answers import check_answer
from rvg.evaluation.definitions import Question
from rvg.inputs import (
    control_character,
    decimal_number,
    euro_amount,
    file_slug,
    reference_problem,
    text_problem,
    whole_number,
)

# Everything Python's own int()/float()/isdigit() accept that no person typed as a number.
ODD_NUMBERS = [
    "²",
    "①",
    "٣",  # Arabic-Indic three: float("٣") == 3.0
    "１",  # fullwidth one
    "1_0",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e309",
    "1e3",
    "0x10",
    "-1",
    "+1",
    "99999999999999999999999",
    "1.2.3",
    "",
    " ",
    "\x00",
    "1\x00",
]


@pytest.mark.parametrize("text", ODD_NUMBERS)
def test_only_plain_digits_in_range_are_whole_numbers(text):
    assert whole_number(text, 0, 100) is None


@pytest.mark.parametrize("text", ODD_NUMBERS)
def test_only_plain_digits_in_range_are_decimals(text):
    assert decimal_number(text, 0, 100) is None


def test_plain_numbers_are_read_with_a_dutch_comma_and_a_range():
    assert whole_number(" 7 ", 0, 10) == 7
    assert whole_number("11", 0, 10) is None
    assert decimal_number("7,5", 0, 10) == 7.5
    assert decimal_number("7.5", 0, 10) == 7.5
    assert decimal_number(",5", 0, 10) == 0.5
    assert decimal_number("10,01", 0, 10) is None
    assert all(math.isfinite(decimal_number(t, 0, 10) or 0) for t in ("0", "10", "3,333333"))


def test_control_characters_are_found_except_line_breaks_in_long_texts():
    assert control_character("Jan\x00") == "U+0000"
    assert control_character("a\x1bb") == "U+001B"
    assert control_character("a\x85b") == "U+0085"  # C1 control
    assert control_character("regel 1\nregel 2") == "U+000A"
    assert control_character("regel 1\r\nregel 2\tnu", multiline=True) is None
    assert control_character("Zoë ², ①, 😀 and ‐ are text") is None
    assert (
        text_problem("a\x00", 10) == "Verwijder het onzichtbare stuurteken (U+0000) uit de tekst."
    )
    assert text_problem("x" * 11, 10) == "Gebruik hoogstens 10 tekens."


SIGNUP = {
    "takes_part": "ja",
    "vacancies_ro": "2",
    "agrees_to_costs": "ja",
    "signed_by_name": "A. de Vries",
    "signed_by_function": "Gemeentesecretaris",
}


@pytest.mark.parametrize("text", ["²", "①", "٣", "1_0", "nan", "1e309", "-3", "51"])
def test_sign_up_vacancies_refuse_odd_numbers_with_the_range(text):
    result = validate_answer({**SIGNUP, "vacancies_ro": text}, [("ro", "Ruimtelijke Ordening")])
    assert [(e.field, e.message) for e in result.errors] == [
        ("vacancies_ro", "Vul bij Ruimtelijke Ordening een heel getal in van 0 tot en met 50.")
    ]


@pytest.mark.parametrize("field", ["signed_by_name", "signed_by_function"])
def test_sign_up_texts_refuse_control_characters(field):
    result = validate_answer({**SIGNUP, field: "A.\x00 de Vries"}, [("ro", "Ruimtelijke Ordening")])
    assert [e.field for e in result.errors] == [field]
    assert "U+0000" in result.errors[0].message


SCALE = Question(code="nps", kind="nps", text="Zou u het aanbevelen?", audiences=["participant"])
HOURS = Question(
    code="buddy_hours",
    kind="number",
    text="Hoeveel uur per week?",
    audiences=["buddy"],
    minimum=0,
    maximum=40,
)
TEXT = Question(code="tip", kind="text", text="Uw tip voor ons?", audiences=["participant"])


@pytest.mark.parametrize("text", ["²", "①", "٣", "1_0", "nan", "inf", "1e309", "-1", "11", "7,5"])
def test_survey_scales_refuse_everything_but_a_whole_number_on_the_scale(text):
    assert check_answer(SCALE, text) == (None, "Kies een waarde van 0 tot en met 10.")


@pytest.mark.parametrize("text", ["nan", "inf", "1e309", "-0,5", "40,5", "²", "٣"])
def test_number_questions_refuse_nan_infinity_and_out_of_range(text):
    assert check_answer(HOURS, text) == (None, "Vul een getal in van 0 tot en met 40.")


def test_number_questions_accept_a_dutch_decimal_and_texts_keep_line_breaks():
    assert check_answer(HOURS, "2,5") == (2.5, None)
    assert check_answer(TEXT, "één\ntwee") == ("één\ntwee", None)
    value, message = check_answer(TEXT, "tip\x00")
    assert value is None and message and "U+0000" in message


BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def test_control_characters_are_unicodes_category_cc_and_the_bidirectional_controls():
    every = [chr(code) for code in range(sys.maxunicode + 1)]
    controls = {c for c in every if unicodedata.category(c) == "Cc"} | BIDI_CONTROLS
    assert {c for c in every if control_character(f"a{c}b")} == controls
    assert {c for c in every if control_character(c, multiline=True)} == controls - set("\n\r\t")
    # every bidirectional control Unicode names (class LRE, RLE, LRO, RLO, PDF, LRI, RLI, FSI,
    # PDI, and the marks LRM, RLM, ALM) is among them
    named = {
        c
        for c in every
        if unicodedata.bidirectional(c)
        in {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
    }
    assert named | {"\u200e", "\u200f", "\u061c"} == BIDI_CONTROLS
    assert control_character("Jan\u202egnirts") == "U+202E"


@pytest.mark.parametrize(
    "ref",
    ["A-001", "a_1.2", "7", "X" * 64, "2027.ro-15_b"],
)
def test_references_of_letters_digits_dash_underscore_and_dot_are_kept(ref):
    assert reference_problem(ref) is None


@pytest.mark.parametrize(
    ("ref", "says"),
    [
        ("../../../../etc/evil", "letters, digits"),
        ("A/001", "letters, digits"),
        (".hidden", "must start with a letter or digit"),
        ("A 001", "letters, digits"),
        ("A\u202e001", "letters, digits"),
        ("Ä-001", "letters, digits"),
        ("=1+1", "letters, digits"),
        ("X" * 65, "at most 64"),
        ("", "required"),
    ],
)
def test_other_references_are_refused_with_the_rule(ref, says):
    problem = reference_problem(ref)
    assert problem is not None and says in problem


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("A-001", "A-001"),
        ("../../../../etc/evil", "_.._.._.._etc_evil"),
        ("..", "_"),
        ("", "_"),
        ("a b/c\\d\x00e", "a_b_c_d_e"),
        ("é" * 100, "_"),
    ],
)
def test_a_file_slug_is_never_a_path_or_a_hidden_file(text, slug):
    assert file_slug(text) == slug
    assert "/" not in slug and not slug.startswith(".") and len(slug) <= 64


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1250", "1250"),
        ("1250,50", "1250.50"),
        ("1250.50", "1250.50"),
        ("1.250,50", "1250.50"),
        ("€ 1.250", "1250"),
        ("390.000", "390000"),
        ("1.250.000,00", "1250000.00"),
        ("0,05", "0.05"),
    ],
)
def test_euro_amounts_as_finance_exports_write_them(text, expected):
    assert euro_amount(text, Decimal(10_000_000)) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    ["", "nan", "inf", "1e3", "=1+1", "-5", "1,250.50", "²", "١٢", "1_000", "1,2,3", "10000001"],
)
def test_euro_amounts_refuse_everything_else(text):
    assert euro_amount(text, Decimal(10_000_000)) is None

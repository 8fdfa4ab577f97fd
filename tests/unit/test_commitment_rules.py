"""Tokens, sign-up validation and the rules of commitment collection."""

from datetime import date

from rvg.commitments.answer import parse_yes_no, validate_answer
from rvg.commitments.rules import (
    OrganisationAnswer,
    committed_of_kinds,
    count_answers,
    due_reminder,
    go_by_rule,
    kinds_in_dutch,
)
from rvg.invitations.tokens import hash_token, looks_like_token, new_token

TRACKS = [("ro", "Ruimtelijke Ordening"), ("vm", "Verkeer en Mobiliteit")]
GOOD = {
    "takes_part": "ja",
    "vacancies_ro": "2",
    "vacancies_vm": "0",
    "agrees_to_costs": "ja",
    "signed_by_name": "A. de Vries",
    "signed_by_function": "Gemeentesecretaris",
}


def test_tokens_are_long_random_and_stored_only_as_a_hash():
    tokens = {new_token() for _ in range(1000)}
    assert len(tokens) == 1000
    token = tokens.pop()
    assert len(token) >= 43 and looks_like_token(token)  # 32 bytes = 256 bits, base64url
    assert hash_token(token) == hash_token(token) and len(hash_token(token)) == 64
    assert token not in hash_token(token)
    assert not looks_like_token("../../etc/passwd") and not looks_like_token("abc")


def test_a_complete_answer_is_accepted():
    result = validate_answer(GOOD, TRACKS)
    assert result.errors == []
    assert result.answer.takes_part and result.answer.vacancies == {"ro": 2, "vm": 0}


def test_taking_part_requires_agreement_to_the_costs_and_a_vacancy():
    result = validate_answer({**GOOD, "agrees_to_costs": "", "vacancies_ro": "0"}, TRACKS)
    assert {e.field for e in result.errors} == {"agrees_to_costs", "vacancies_ro"}


def test_vacancies_must_be_whole_numbers_from_zero():
    result = validate_answer({**GOOD, "vacancies_ro": "-1", "vacancies_vm": "2,5"}, TRACKS)
    assert {e.field for e in result.errors} == {"vacancies_ro", "vacancies_vm"}
    assert all("heel getal" in e.message for e in result.errors)


def test_declining_needs_no_agreement_and_stores_no_vacancies():
    result = validate_answer({**GOOD, "takes_part": "nee", "agrees_to_costs": ""}, TRACKS)
    assert result.errors == []
    assert result.answer.vacancies == {"ro": 0, "vm": 0} and not result.answer.agrees_to_costs


def test_missing_choice_and_signer_are_named():
    result = validate_answer({"vacancies_ro": "1"}, TRACKS)
    assert [e.field for e in result.errors] == [
        "takes_part",
        "signed_by_name",
        "signed_by_function",
    ]


def test_yes_no_words():
    assert [parse_yes_no(w) for w in ("Ja", "nee", "TRUE", "0", "misschien")] == [
        True,
        False,
        True,
        False,
        None,
    ]


def test_reminders_at_14_7_and_2_days_and_never_late():
    deadline = date(2026, 10, 30)
    offsets = [14, 7, 2]
    assert due_reminder(offsets, deadline, date(2026, 10, 15)) is None
    assert due_reminder(offsets, deadline, date(2026, 10, 16)) == 14
    assert due_reminder(offsets, deadline, date(2026, 10, 25)) == 7
    assert due_reminder(offsets, deadline, date(2026, 10, 30)) == 2
    assert due_reminder(offsets, deadline, date(2026, 10, 31)) is None


def test_counts_by_region_and_the_go_no_go_rule():
    answers = [
        OrganisationAnswer("Tilburg", "Hart van Brabant", "committed", {"ro": 2, "vm": 1}),
        OrganisationAnswer("Goirle", "Hart van Brabant", "declined"),
        OrganisationAnswer("Breda", "West-Brabant", "committed", {"ro": 1}),
        OrganisationAnswer("Zundert", "West-Brabant", "invited"),
    ]
    counts = count_answers(answers)
    assert (counts.total.invited, counts.total.responded, counts.total.yes, counts.total.no) == (
        4,
        3,
        2,
        1,
    )
    assert counts.regions["Hart van Brabant"].vacancies == {"ro": 2, "vm": 1}
    assert counts.table(["ro", "vm"])[-1] == {
        "regio": "Totaal",
        "uitgenodigd": 4,
        "gereageerd": 3,
        "ja": 2,
        "nee": 1,
        "vacatures ro": 3,
        "vacatures vm": 1,
    }
    assert go_by_rule(12, 12) and not go_by_rule(11, 12)


def test_the_go_counts_the_kinds_the_rule_names_and_says_both_counts():
    """Twelve municipalities and an environmental service: 13 take part, 12 count."""
    answers = [
        OrganisationAnswer(f"Gemeente {n}", "West-Brabant", "committed", {"ro": 1})
        for n in range(11)
    ]
    answers += [
        OrganisationAnswer(
            "Omgevingsdienst", "West-Brabant", "committed", kind="environmental_service"
        ),
        OrganisationAnswer("Waterschap", "West-Brabant", "committed", kind="water_board"),
        OrganisationAnswer("Gemeente 12", "West-Brabant", "declined"),
    ]
    assert count_answers(answers).total.yes == 13
    municipalities = committed_of_kinds(answers, ["municipality"])
    assert municipalities == 11 and not go_by_rule(municipalities, 12)
    wider = committed_of_kinds(answers, ["municipality", "environmental_service"])
    assert wider == 12 and go_by_rule(wider, 12)
    assert kinds_in_dutch(["municipality"], 12) == "12 gemeenten"
    assert kinds_in_dutch(["municipality"], 1) == "1 gemeente"
    assert kinds_in_dutch(["municipality", "water_board"], 12) == "12 gemeenten en waterschappen"
    assert kinds_in_dutch(["municipality", "water_board"], 1) == "1 gemeente of waterschap"

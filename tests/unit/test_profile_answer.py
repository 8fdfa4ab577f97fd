"""The information page's validation: every field named, the question mailbox a function
mailbox, the text kept as typed."""

from rvg.information.profiles import MIN_TEXT, validate_profile

PAGE = {
    "team_tasks": "Team Ruimte: acht beleidsmedewerkers voor omgevingsvisie en -plan.",
    "work": "Het omgevingsplan voor het buitengebied en één gebiedsvisie.",
    "culture": "Informeel, veel eigen ruimte,\n\ntwee dagen per week samen op kantoor.",
    "location_travel": "Stadhuis, tien minuten lopen van het station.",
    "buddy_role": "Een senior beleidsmedewerker; elke week een uur.",
    "questions_email": "  Werken@Tilburg.example ",
}


def _fields(data, personal=frozenset()):
    return {e.field: e.message for e in validate_profile(data, personal).errors}


def test_a_complete_page_is_accepted_with_its_text_as_typed_and_the_address_normalised():
    result = validate_profile(PAGE, frozenset())
    assert result.errors == []
    assert result.answer is not None
    assert result.answer.culture == PAGE["culture"]  # paragraphs kept
    assert result.answer.questions_email == "Werken@tilburg.example"
    assert result.answer.story is None


def test_required_texts_must_say_something():
    errors = _fields(PAGE | {"team_tasks": "  ", "work": "nan", "culture": "x" * (MIN_TEXT - 1)})
    assert set(errors) == {"team_tasks", "work", "culture"}
    assert errors["team_tasks"] == "Vul in: het team en zijn taken."
    assert f"ten minste {MIN_TEXT} tekens" in errors["work"]


def test_control_and_bidirectional_characters_are_refused_in_every_text():
    errors = _fields(PAGE | {"story": "Een verhaal \u202eomgekeerd", "buddy_role": "a\x00" * 20})
    assert "U+202E" in errors["story"] and "U+0000" in errors["buddy_role"]


def test_the_question_mailbox_is_an_organisations_address_not_a_persons():
    assert (
        "privé-adres" in _fields(PAGE | {"questions_email": "jan@Hotmail.com"})["questions_email"]
    )
    personal = frozenset({"werken@tilburg.example"})
    assert "medewerker" in _fields(PAGE, personal)["questions_email"]
    assert "geldig" in _fields(PAGE | {"questions_email": "=HYPERLINK(x)"})["questions_email"]
    assert "Vul een e-mailadres in" in _fields(PAGE | {"questions_email": ""})["questions_email"]

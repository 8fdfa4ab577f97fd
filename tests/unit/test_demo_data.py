"""The demo's fictitious data depends on the seed only, not on the order the database hands
rows back in (PostgreSQL and SQLite differ: collations, JSONB key order, no ORDER BY)."""

from rvg.demo.data import demo_answers, demo_contacts, demo_preferences
from rvg.models import Organisation


def _organisations() -> list[Organisation]:
    return [
        Organisation(code=f"GM{n:04d}", name=f"Gemeente {n}", kind="municipality", region="West")
        for n in range(1, 41)
    ] + [Organisation(code="PV30", name="Provincie", kind="province", region="West")]


def test_sign_ups_and_contacts_do_not_depend_on_the_order_of_the_organisations():
    organisations = _organisations()
    shuffled = organisations[::-1]
    assert demo_answers(organisations, ["ro", "vm"], 7, open_days=30) == demo_answers(
        shuffled, ["ro", "vm"], 7, open_days=30
    )
    assert demo_contacts(organisations, 7) == demo_contacts(shuffled, 7)
    assert demo_answers(organisations, ["ro", "vm"], 8, open_days=30) != demo_answers(
        organisations, ["ro", "vm"], 7, open_days=30
    )


def test_preferences_do_not_depend_on_the_order_of_candidates_or_vacancies():
    vacancies = {f"GM{n:04d}": {"ro": n % 3, "vm": (n + 1) % 2} for n in range(1, 21)}
    candidates = {f"WS27-{n:04d}": "ro" if n % 2 else "vm" for n in range(1, 31)}
    regions = {code: "West" if n % 2 else "Oost" for n, code in enumerate(vacancies)}
    expected = demo_preferences(candidates, vacancies, 7, regions)
    reordered = demo_preferences(
        dict(reversed(candidates.items())), dict(reversed(vacancies.items())), 7, regions
    )
    assert reordered == expected
    assert expected[0] and expected[1]

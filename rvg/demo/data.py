"""Generated contacts and sign-up answers, consistent with the published figures.

Names come from Faker's ``nl_NL`` provider; e-mail addresses use ``.example`` domains, which
can never reach a real mailbox (RFC 2606).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from faker import Faker

from rvg.models import Organisation


@dataclass(frozen=True)
class DemoContact:
    organisation: str  # code
    role: str
    name: str
    email: str


def _domain(organisation: Organisation) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", organisation.name.lower()).strip("-")
    return f"{slug}.example"


def demo_contacts(organisations: list[Organisation], seed: int) -> list[DemoContact]:
    """A secretary for every organisation and a procurement contact for the programme."""
    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    contacts = []
    for organisation in organisations:
        name = fake.name()
        local = re.sub(r"[^a-z]+", ".", name.lower()).strip(".")
        contacts.append(
            DemoContact(organisation.code, "secretary", name, f"{local}@{_domain(organisation)}")
        )
        if organisation.kind == "province":
            buyer = fake.name()
            local = re.sub(r"[^a-z]+", ".", buyer.lower()).strip(".")
            contacts.append(
                DemoContact(
                    organisation.code, "procurement", buyer, f"{local}@{_domain(organisation)}"
                )
            )
    return contacts


@dataclass(frozen=True)
class DemoAnswer:
    organisation: str  # code
    takes_part: bool
    vacancies: dict[str, int]
    answer_day: int  # days after the sign-up opens


def demo_answers(
    organisations: list[Organisation], tracks: list[str], seed: int, open_days: int
) -> list[DemoAnswer]:
    """12 to 25 organisations sign up (the published range), some decline, the rest stay silent."""
    rng = random.Random(seed)
    candidates = [o for o in organisations if o.kind != "province"]
    rng.shuffle(candidates)
    joining = rng.randint(12, min(25, len(candidates)))
    declining = rng.randint(3, 8)
    answers = []
    for index, organisation in enumerate(candidates[: joining + declining]):
        takes_part = index < joining
        vacancies = {track: 0 for track in tracks}
        if takes_part:
            for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
                vacancies[rng.choice(tracks)] += 1
        answers.append(
            DemoAnswer(organisation.code, takes_part, vacancies, rng.randint(1, open_days))
        )
    return answers

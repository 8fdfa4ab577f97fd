"""Generated contacts and sign-up answers, consistent with the published figures.

Names come from Faker's ``nl_NL`` provider; e-mail addresses use ``.example`` domains, which
can never reach a real mailbox (RFC 2606).
"""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

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
    """A secretary for every organisation; procurement and project team at the programme."""
    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    contacts = []
    for organisation in sorted(organisations, key=lambda o: o.code):
        name = fake.name()
        local = re.sub(r"[^a-z]+", ".", name.lower()).strip(".")
        contacts.append(
            DemoContact(organisation.code, "secretary", name, f"{local}@{_domain(organisation)}")
        )
        if organisation.kind == "province":
            for role in ("procurement", "project_team"):
                person = fake.name()
                local = re.sub(r"[^a-z]+", ".", person.lower()).strip(".")
                contacts.append(
                    DemoContact(organisation.code, role, person, f"{local}@{_domain(organisation)}")
                )
    return contacts


@dataclass(frozen=True)
class DemoAnswer:
    organisation: str  # code
    takes_part: bool
    vacancies: dict[str, int]
    answer_day: int  # days after the sign-up opens


def demo_answers(
    organisations: list[Organisation],
    tracks: list[str],
    seed: int,
    open_days: int,
    joining: tuple[int, int] = (12, 25),
    places: tuple[int, int] = (26, 30),
) -> list[DemoAnswer]:
    """Organisations that sign up (the published range 12–25 for Brabant) with the places they
    offer in all, some that decline, and the rest that stay silent."""
    rng = random.Random(seed)
    # By code, not by name: names sort differently under PostgreSQL's collation and SQLite's.
    candidates = sorted((o for o in organisations if o.kind != "province"), key=lambda o: o.code)
    rng.shuffle(candidates)
    joiners = rng.randint(joining[0], min(joining[1], len(candidates)))
    decliners = min(rng.randint(joiners // 4 + 1, joiners // 2 + 2), len(candidates) - joiners)
    offered = [1] * joiners
    for _ in range(max(rng.randint(*places) - joiners, 0)):
        offered[rng.randrange(joiners)] += 1
    answers = []
    for index, organisation in enumerate(candidates[: joiners + decliners]):
        takes_part = index < joiners
        vacancies = dict.fromkeys(tracks, 0)
        for _ in range(offered[index] if takes_part else 0):
            vacancies[rng.choice(tracks)] += 1
        answers.append(
            DemoAnswer(organisation.code, takes_part, vacancies, rng.randint(1, open_days))
        )
    return answers


FUNNEL = (  # stage reached next, share that passes, days the step takes
    ("screened", 0.55, 14),
    ("assessment", 0.62, 10),
    ("interview", 0.66, 12),
    ("meet_greet", 0.72, 14),
)
SOURCES = ("LinkedIn", "Werkenbijdeoverheid.nl", "Netwerk", "Nationale Vacaturebank", "Anders")
EDUCATION = ("hbo", "wo", "wo", "hbo", "mbo")


@dataclass(frozen=True)
class DemoApplicant:
    ref: str
    first_name: str
    last_name: str
    email: str
    track: str
    source: str
    education: str
    years_experience: int
    path: tuple[tuple[str, date], ...]  # stages with the day they were entered

    def state_on(self, day: date) -> tuple[str, date] | None:
        """The stage and its date as an export on ``day`` shows it; None before applying."""
        reached = [(stage, on) for stage, on in self.path if on <= day]
        return reached[-1] if reached else None


def demo_applicants(
    count: int, tracks: list[str], opens: date, meet: date, seed: int
) -> list[DemoApplicant]:
    """``count`` applicants moving through the funnel from recruitment opening; the ones selected
    for the meet & greet are known three weeks before it, when the invitations go out."""
    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    applicants = []
    window = max((meet - opens).days - sum(step for *_, step in FUNNEL) - 7, 1)
    for number in range(1, count + 1):
        first, last = fake.first_name(), fake.last_name()
        applied = opens + timedelta(days=rng.randint(0, min(window, 20)))
        path = [("applied", applied)]
        day = applied
        for stage, share, step in FUNNEL:
            day = day + timedelta(days=step + rng.randint(0, 4))
            if rng.random() > share:
                path.append(("withdrawn" if rng.random() < 0.1 else "rejected", day))
                break
            path.append((stage, min(day, meet - timedelta(days=22))))
        local = re.sub(r"[^a-z]+", ".", f"{first} {last}".lower()).strip(".")
        applicants.append(
            DemoApplicant(
                ref=f"WS{seed % 100:02d}-{number:04d}",
                first_name=first,
                last_name=last,
                email=f"{local}.{number}@kandidaat.example",
                track=rng.choice(tracks),
                source=rng.choice(SOURCES),
                education=rng.choice(EDUCATION),
                years_experience=rng.randint(2, 25),
                path=tuple(path),
            )
        )
    return applicants


def demo_preferences(
    candidates: dict[str, str],
    vacancies: dict[str, dict[str, int]],
    seed: int,
    regions: Mapping[str, str] | None = None,
) -> tuple[list[tuple[str, str, int]], list[tuple[str, str, int]]]:
    """After the meet & greet: candidates rank organisations of their track, popular ones and
    those in their own region (``regions``: organisation → region) first — 3 to 5 of them, more
    when there are many to choose from; organisations rank every candidate that ranked them,
    by an impression score."""
    rng = random.Random(seed)
    # Every draw in a defined order: the same seed gives the same ranks on every database.
    popularity = {org: rng.random() for org in sorted(vacancies)}
    region_of = regions or {}
    homes = sorted({region_of.get(org, "") for org in vacancies})
    candidate_rows: list[tuple[str, str, int]] = []
    ranked_by: dict[str, list[str]] = {org: [] for org in vacancies}
    for ref, track in sorted(candidates.items()):
        home = rng.choice(homes)
        options = [org for org in sorted(vacancies) if vacancies[org].get(track, 0) > 0]

        def appeal(org: str, home: str = home) -> float:
            nearby = 1.0 if region_of.get(org, "") == home else 0.0
            return popularity[org] + nearby + rng.gauss(0, 0.3)

        scored = sorted(options, key=appeal, reverse=True)
        length = rng.randint(3, 5) + len(options) // 20
        for rank, org in enumerate(scored[:length], 1):
            candidate_rows.append((ref, org, rank))
            ranked_by[org].append(ref)
    impression = {ref: rng.random() for ref in sorted(candidates)}
    organisation_rows = [
        (org, ref, rank)
        for org, refs in sorted(ranked_by.items())
        for rank, ref in enumerate(
            sorted(refs, key=lambda r: impression[r] + rng.gauss(0, 0.2), reverse=True), 1
        )
    ]
    return candidate_rows, organisation_rows


AGENCY_COLUMNS = (
    "applicant_ref",
    "first_name",
    "last_name",
    "email",
    "track",
    "stage",
    "stage_date",
    "source",
    "education_level",
    "years_experience",
    "consent_until",
)


def write_agency_export(
    path: Path, applicants: list[DemoApplicant], day: date, overrides: dict[str, str]
) -> int:
    """The agency's export on ``day``: everybody who applied so far, in their current stage
    (``overrides``: a stage reached that day), saved as Dutch offices save CSV."""
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(AGENCY_COLUMNS)
        for a in applicants:
            state = a.state_on(day)
            if state is None:
                continue
            stage = overrides.get(a.ref, state[0])
            on = day if a.ref in overrides else state[1]
            writer.writerow(
                (
                    a.ref,
                    a.first_name,
                    a.last_name,
                    a.email,
                    a.track,
                    stage,
                    f"{on:%d-%m-%Y}",
                    a.source,
                    a.education,
                    a.years_experience,
                    "",
                )
            )
            rows += 1
    return rows


def demo_guides(
    placed: Sequence[tuple[str, str]], seed: int
) -> tuple[list[list[str]], list[tuple[str, str, str]]]:
    """A buddy per participant and a manager per organisation: contact rows to import, and
    (participant, buddy e-mail, manager e-mail) to assign. ``placed``: (participant, org code)."""
    fake = Faker("nl_NL")
    fake.seed_instance(seed + 6)
    rows, assignments, managers = [], [], {}
    for number, (ref, code) in enumerate(placed, 1):
        if code not in managers:
            managers[code] = f"leidinggevende.{code.lower()}@{code.lower()}.example"
            rows.append([code, "manager", fake.name(), managers[code]])
        buddy = f"buddy.{number}@{code.lower()}.example"
        rows.append([code, "buddy", fake.name(), buddy])
        assignments.append((ref, buddy, managers[code]))
    return rows, assignments


REMARKS = (
    "Meer intervisie met andere buddy's zou helpen.",
    "De opleidingsdagen zijn erg nuttig.",
    "Prima begeleiding.",
)
# What a respondent says about the schedule follows what their mailbox shows.
CALENDAR_REMARKS = {
    True: "Fijn dat het hele rooster vanaf de start in mijn agenda stond.",
    False: "Graag eerder het rooster.",
}


def survey_answers(
    rng: random.Random, codes: Mapping[str, str], *, had_year_calendar: bool
) -> dict[str, str]:
    """Plausible answers per question kind (likert 3–5 mostly, NPS 5–10, 1–6 buddy hours);
    a remark about the schedule says whether the year's calendar came at the start."""
    remarks = (*REMARKS, CALENDAR_REMARKS[had_year_calendar])
    answers = {}
    for code, kind in codes.items():
        if kind == "likert":
            answers[code] = str(rng.choice([2, 3, 4, 4, 4, 5, 5]))
        elif kind == "nps":
            answers[code] = str(rng.choice([5, 6, 7, 8, 8, 9, 9, 10, 10]))
        elif kind == "number":
            answers[code] = str(rng.choice([1, 2, 2, 3, 3, 4, 5, 6]))
        elif rng.random() < 0.3:
            answers[code] = rng.choice(remarks)
    return answers


TEAMS = ("Ruimte", "Omgeving", "Fysiek Domein", "Mobiliteit", "Gebiedsontwikkeling")
WORK = (
    "het omgevingsplan voor het buitengebied",
    "een mobiliteitsvisie met fiets en openbaar vervoer voorop",
    "de woningbouwopgave en de ruimte die zij vraagt",
    "de energietransitie: zon en wind in het landschap",
    "een gebiedsvisie voor het centrum",
)
CULTURE = (
    "Informeel en collegiaal; je krijgt veel ruimte voor eigen initiatief.",
    "Een druk team met korte lijnen naar het bestuur; hulp vragen is hier normaal.",
    "Hybride: twee dagen per week samen op kantoor, de rest waar het werk het beste gaat.",
)
STORIES = (
    "Sanne: Na tien jaar in het onderwijs werk ik nu aan de omgevingsvisie. Mijn buddy nam "
    "me vanaf dag één mee naar overleggen.",
    "Mehmet: Als oud-logistiek planner wist ik veel van vervoer; hier leerde ik hoe beleid "
    "ontstaat.",
)


def demo_profile(organisation: str, rng: random.Random) -> dict[str, str]:
    """A fictitious information page of ``organisation`` (its name), as its form posts it."""
    slug = re.sub(r"[^a-z0-9]+", "-", organisation.lower()).strip("-")
    team = rng.choice(TEAMS)
    return {
        "team_tasks": f"Team {team} van {organisation}: {rng.randint(6, 25)} collega's die "
        "werken aan ruimtelijke plannen, vergunningen en beleid.",
        "work": f"Je werkt mee aan {rng.choice(WORK)}, met een eigen dossier vanaf maand drie.",
        "culture": rng.choice(CULTURE),
        "location_travel": f"Het gemeentehuis van {organisation}; bereikbaar met bus en fiets, "
        "parkeren voor de deur.",
        "buddy_role": "Een ervaren beleidsadviseur van het team; jullie spreken elkaar elke "
        "week en lopen samen mee naar overleggen.",
        "story": rng.choice(STORIES) if rng.random() < 0.4 else "",
        "questions_email": f"werken@{slug}.example",
    }

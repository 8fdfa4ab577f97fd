"""An organisation's information page for a cohort's candidates, independent of HTTP.

The organisation's contact fills it through a token link: each save is a new version, shown
as a preview before it is published; the public pages show the published version only.
It can be changed until the recruitment opens; the link then shows the page read-only until
the campaign is over.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rvg.commitments.answer import FieldError
from rvg.information.qa import enrol_day
from rvg.inputs import text_problem
from rvg.models import (
    Cohort,
    Contact,
    Invitation,
    Organisation,
    OrganisationProfile,
    OrganisationProfileVersion,
)
from rvg.notifications.addresses import normalise_address
from rvg.workdays import previous_working_day

# The link shows the page read-only this long after the meet & greet, then it is gone.
READ_ONLY_DAYS = 30
# Providers of private mailboxes: an address there is a person's, not a function mailbox.
PRIVATE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.nl",
        "outlook.com",
        "outlook.nl",
        "live.com",
        "live.nl",
        "msn.com",
        "icloud.com",
        "me.com",
        "yahoo.com",
        "yahoo.nl",
        "ziggo.nl",
        "kpnmail.nl",
        "kpnplanet.nl",
        "planet.nl",
        "hetnet.nl",
        "home.nl",
        "xs4all.nl",
        "telfort.nl",
        "upcmail.nl",
        "casema.nl",
        "chello.nl",
        "proton.me",
        "protonmail.com",
    }
)


@dataclass(frozen=True)
class ProfileField:
    name: str  # the form field's name and the version's column
    label: str
    hint: str
    limit: int
    required: bool = True


TEXT_FIELDS = (
    ProfileField(
        "team_tasks",
        "Het team en zijn taken",
        "Bij welk team komt de deelnemer, hoe groot is het en waar werkt het aan?",
        2000,
    ),
    ProfileField(
        "work",
        "Waar de deelnemer aan werkt",
        "Een of twee opdrachten of dossiers, zo concreet mogelijk.",
        2000,
    ),
    ProfileField(
        "culture",
        "De cultuur",
        "Hoe werkt men samen, hoeveel ruimte is er voor eigen initiatief, thuiswerken? Wees "
        "eerlijk: kandidaten kiezen beter als ze weten wat hen te wachten staat.",
        2000,
    ),
    ProfileField(
        "location_travel",
        "Locatie en bereikbaarheid",
        "Het adres van de werkplek en hoe die met openbaar vervoer en fiets te bereiken is.",
        1000,
    ),
    ProfileField(
        "buddy_role",
        "De rol van de buddy",
        "Wie begeleidt de deelnemer op de werkvloer (functie, geen naam) en hoe vaak spreken zij "
        "elkaar?",
        1000,
    ),
    ProfileField(
        "story",
        "Verhaal van een oud-deelnemer (niet verplicht)",
        "Een kort verhaal, alleen met toestemming van de oud-deelnemer en met alleen een voornaam.",
        1500,
        required=False,
    ),
)
EMAIL_FIELD = ProfileField(
    "questions_email",
    "E-mailadres voor vragen van kandidaten",
    "Een algemeen adres van uw organisatie, zoals werken@gemeente.nl; niet het adres van een "
    "medewerker. Het staat op de openbare pagina.",
    254,
)
FIELDS = (*TEXT_FIELDS, EMAIL_FIELD)
MIN_TEXT = 20  # a required text shorter than this says nothing to a candidate


@dataclass(frozen=True)
class ProfileAnswer:
    team_tasks: str
    work: str
    culture: str
    location_travel: str
    buddy_role: str
    questions_email: str
    story: str | None = None


@dataclass
class ProfileValidation:
    answer: ProfileAnswer | None = None
    errors: list[FieldError] = field(default_factory=list)


def validate_profile(
    data: Mapping[str, str | None], personal_addresses: frozenset[str]
) -> ProfileValidation:
    """Check a submitted page; ``personal_addresses`` (lower case) are people's own addresses,
    which the question mailbox may not be."""
    errors: list[FieldError] = []
    values: dict[str, str | None] = {}
    for item in TEXT_FIELDS:
        text = (data.get(item.name) or "").strip()
        problem = text_problem(text, item.limit, multiline=True)
        if problem:
            errors.append(FieldError(item.name, problem))
        elif item.required and not text:
            errors.append(FieldError(item.name, f"Vul in: {item.label.lower()}."))
        elif item.required and len(text) < MIN_TEXT:
            errors.append(
                FieldError(
                    item.name,
                    f"Schrijf bij {item.label.lower()} ten minste {MIN_TEXT} tekens: een "
                    "kandidaat moet er iets aan hebben.",
                )
            )
        values[item.name] = text or None
    address = (data.get(EMAIL_FIELD.name) or "").strip()
    email_problem = _mailbox_problem(address, personal_addresses)
    if email_problem:
        errors.append(FieldError(EMAIL_FIELD.name, email_problem))
    if errors:
        return ProfileValidation(errors=errors)
    return ProfileValidation(
        answer=ProfileAnswer(
            team_tasks=str(values["team_tasks"]),
            work=str(values["work"]),
            culture=str(values["culture"]),
            location_travel=str(values["location_travel"]),
            buddy_role=str(values["buddy_role"]),
            questions_email=normalise_address(address),
            story=values["story"],
        )
    )


def _mailbox_problem(address: str, personal: frozenset[str]) -> str | None:
    if not address:
        return "Vul een e-mailadres in waar kandidaten hun vragen kunnen stellen."
    problem = text_problem(address, EMAIL_FIELD.limit)
    if problem:
        return problem
    try:
        normal = normalise_address(address)
    except ValueError:
        return "Vul een geldig e-mailadres in, zoals werken@gemeente.nl."
    if normal.rpartition("@")[2].lower() in PRIVATE_MAIL_DOMAINS:
        return "Gebruik een adres van uw organisatie, geen privé-adres."
    if normal.lower() in personal:
        return (
            "Dit is het adres van een medewerker. Gebruik een algemeen adres van uw organisatie "
            "(een functiemailbox), zodat vragen ook bij afwezigheid worden beantwoord."
        )
    return None


@dataclass(frozen=True)
class ProfileView:
    organisation: str
    organisation_code: str
    cohort_code: str
    cohort_name: str
    closes_at: datetime  # the start of the day the recruitment opens
    recruitment_opens: date
    profile: OrganisationProfile

    def is_open(self, now: datetime) -> bool:
        return now < self.closes_at


def recruitment_opens(cohort: Cohort) -> date:
    return cohort.key_date("recruitment_opens")


def closes_at(cohort: Cohort, zone: ZoneInfo) -> datetime:
    """Changes are possible until the recruitment opens: the start of that day."""
    return datetime.combine(recruitment_opens(cohort), time.min, tzinfo=zone)


def link_expires_at(cohort: Cohort, zone: ZoneInfo) -> datetime:
    """The link shows the page read-only until some weeks after the meet & greet."""
    last = cohort.milestone("meet_and_greet") or recruitment_opens(cohort)
    return datetime.combine(last + timedelta(days=READ_ONLY_DAYS + 1), time.min, tzinfo=zone)


def reminder_days(opens: date, offsets: list[int]) -> dict[int, date]:
    """Each reminder's day: ``offset`` days before the recruitment opens, on the working day
    before when that is a weekend or a holiday."""
    return {offset: previous_working_day(opens - timedelta(days=offset)) for offset in offsets}


def request_days(cohort: Cohort, offsets: list[int], since: date) -> list[date]:
    """The days before the campaign with work for the information: the phase's start (the
    page requests), the page reminders, and the day the organisations are invited to their
    Q&A sessions; none before ``since`` or after the recruitment opens."""
    opens = recruitment_opens(cohort)
    ahead = [*reminder_days(opens, offsets).values(), enrol_day(opens)]
    return [since, *(d for d in ahead if since <= d < opens)]


def ensure_profile(
    cohort_id: int, organisation_id: int, *, session: Session
) -> OrganisationProfile:
    profile = session.scalar(
        select(OrganisationProfile)
        .where(
            OrganisationProfile.cohort_id == cohort_id,
            OrganisationProfile.organisation_id == organisation_id,
        )
        .options(selectinload(OrganisationProfile.versions))
    )
    if profile is None:
        profile = OrganisationProfile(cohort_id=cohort_id, organisation_id=organisation_id)
        session.add(profile)
        session.flush()
    return profile


def profile_view(invitation: Invitation, *, session: Session, zone: ZoneInfo) -> ProfileView:
    cohort = session.get_one(Cohort, invitation.cohort_id)
    organisation = session.get_one(Organisation, invitation.organisation_id)
    return ProfileView(
        organisation=organisation.name,
        organisation_code=organisation.code,
        cohort_code=cohort.code,
        cohort_name=cohort.name,
        closes_at=closes_at(cohort, zone),
        recruitment_opens=recruitment_opens(cohort),
        profile=ensure_profile(cohort.id, organisation.id, session=session),
    )


def version_values(version: OrganisationProfileVersion | None) -> dict[str, str]:
    """A saved version as form values."""
    if version is None:
        return {}
    return {item.name: getattr(version, item.name) or "" for item in FIELDS}


def form_values(view: ProfileView, *, session: Session) -> dict[str, str]:
    """What the form starts with: the latest version saved for this cohort; else the page the
    organisation published for an earlier cohort, to take over and update."""
    if view.profile.latest is not None:
        return version_values(view.profile.latest)
    earlier = session.scalar(
        select(OrganisationProfileVersion)
        .join(OrganisationProfile)
        .where(
            OrganisationProfile.organisation_id == view.profile.organisation_id,
            OrganisationProfile.id != view.profile.id,
            OrganisationProfile.published_version == OrganisationProfileVersion.version,
        )
        .order_by(OrganisationProfile.published_at.desc())
        .limit(1)
    )
    return version_values(earlier)


def personal_addresses(*, session: Session) -> frozenset[str]:
    """Every contact's own address, lower case: people, not function mailboxes."""
    return frozenset(a.lower() for a in session.scalars(select(Contact.email)))


def save_profile(
    view: ProfileView, answer: ProfileAnswer, *, session: Session, now: datetime
) -> OrganisationProfileVersion:
    """Store the answer as a new version (not yet published)."""
    profile = view.profile
    number = (
        session.scalar(
            select(func.max(OrganisationProfileVersion.version)).where(
                OrganisationProfileVersion.profile_id == profile.id
            )
        )
        or 0
    ) + 1
    version = OrganisationProfileVersion(
        version=number, saved_at=now, **{k: getattr(answer, k) for k in _COLUMNS}
    )
    profile.versions.append(version)
    session.flush()
    return version


_COLUMNS = tuple(item.name for item in FIELDS)


def publish_profile(view: ProfileView, version: int, *, now: datetime) -> bool:
    """Publish ``version`` when it is still the latest saved one (what the person previewed);
    False when another save came in between."""
    profile = view.profile
    latest = profile.latest
    if latest is None or latest.version != version:
        return False
    profile.published_version = version
    profile.published_at = now
    return True

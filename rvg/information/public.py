"""What the public pages show: the campaign's landing page for candidates with the
organisations taking part per track, each organisation's published information page, and
the page for organisations. Only published pages appear, and nothing about a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rvg.commitments.service import approved_case
from rvg.information.qa import QaAudience, QaSession, qa_sessions
from rvg.models import (
    BusinessCase,
    Cohort,
    Commitment,
    CommitmentStatus,
    CommitmentVacancy,
    Decision,
    Organisation,
    OrganisationProfile,
    OrganisationProfileVersion,
)
from rvg.recruitment.config import QaRules
from rvg.repositories.organisations import track_names
from rvg.unit import Configs


@dataclass(frozen=True)
class Listed:
    """An organisation on the landing page: its name and where its page is."""

    name: str
    code: str
    region: str


@dataclass(frozen=True)
class CampaignPage:
    cohort_code: str
    cohort_name: str
    dates: dict[str, date]  # the cohort's key dates by name
    meet_location: str
    tracks: list[tuple[str, list[Listed]]]  # track name, organisations with a published page
    qa: list[QaSession]  # the candidates' Q&A sessions still ahead


@dataclass(frozen=True)
class OrganisationPage:
    cohort_code: str
    cohort_name: str
    organisation: str
    region: str
    tracks: list[tuple[str, int]]  # track name, places
    shown: OrganisationProfileVersion
    dates: dict[str, date]


@dataclass(frozen=True)
class ForOrganisationsPage:
    cohort_code: str
    cohort_name: str
    dates: dict[str, date]
    contribution: Decimal | None  # what an organisation pays per participant it places
    cost_per_participant: Decimal | None  # the programme's cost per participant in all
    qa: list[QaSession]  # the organisations' Q&A sessions still ahead


def _dates(cohort: Cohort) -> dict[str, date]:
    return {m.name: m.on for m in cohort.milestones}


def _live(session: Session) -> list[Cohort]:
    """Cohorts still run by the cycle, without a no-go, oldest first."""
    no_go = set(
        session.scalars(
            select(Decision.cohort_id).where(
                Decision.kind == "go_no_go", Decision.outcome == "no_go"
            )
        )
    )
    cohorts = session.scalars(
        select(Cohort).options(selectinload(Cohort.milestones)).order_by(Cohort.id)
    ).all()
    return [c for c in cohorts if not c.historical and c.id not in no_go]


def campaign_cohort(today: date, *, session: Session) -> Cohort | None:
    """The cohort whose recruitment is running or next: the first live one whose meet &
    greet is not yet past."""
    ahead = [c for c in _live(session) if (c.milestone("meet_and_greet") or date.min) >= today]
    return min(ahead, key=lambda c: c.milestone("meet_and_greet") or date.max, default=None)


def signup_cohort(today: date, *, session: Session) -> Cohort | None:
    """The cohort organisations can sign up for now or next; else the one recruiting."""
    ahead = [c for c in _live(session) if (c.milestone("signup_deadline") or date.min) >= today]
    first = min(ahead, key=lambda c: c.milestone("signup_deadline") or date.max, default=None)
    return first or campaign_cohort(today, session=session)


def _published(cohort: Cohort, session: Session) -> dict[int, OrganisationProfileVersion]:
    """The published version of each organisation's page, by organisation id."""
    rows = session.execute(
        select(OrganisationProfile.organisation_id, OrganisationProfileVersion)
        .join(OrganisationProfileVersion)
        .where(
            OrganisationProfile.cohort_id == cohort.id,
            OrganisationProfileVersion.version == OrganisationProfile.published_version,
        )
    )
    return {organisation_id: version for organisation_id, version in rows}


def upcoming_sessions(
    cohort: Cohort, rules: QaRules, audience: QaAudience, today: date, zone: ZoneInfo
) -> list[QaSession]:
    """The cohort's Q&A sessions for ``audience`` from ``today`` on."""
    opens, meet = cohort.milestone("recruitment_opens"), cohort.milestone("meet_and_greet")
    if opens is None or meet is None:
        return []
    return [s for s in qa_sessions(opens, meet, rules, zone, audience) if s.day >= today]


def campaign_page(
    cohort: Cohort, configs: Configs, today: date, zone: ZoneInfo, *, session: Session
) -> CampaignPage:
    names = track_names(session=session)
    listed: dict[str, list[Listed]] = {t.track_code: [] for t in cohort.tracks}
    # plain rows, one query: the page is read far more often than anything on it changes
    rows = session.execute(
        select(
            CommitmentVacancy.track_code,
            Organisation.name,
            Organisation.code,
            Organisation.region,
        )
        .join(Commitment, CommitmentVacancy.commitment_id == Commitment.id)
        .join(Organisation, Commitment.organisation_id == Organisation.id)
        .join(
            OrganisationProfile,
            (OrganisationProfile.organisation_id == Organisation.id)
            & (OrganisationProfile.cohort_id == cohort.id),
        )
        .where(
            Commitment.cohort_id == cohort.id,
            Commitment.status == CommitmentStatus.COMMITTED.value,
            CommitmentVacancy.vacancies > 0,
            OrganisationProfile.published_version.is_not(None),
        )
    )
    for track, name, code, region in rows:
        if track in listed:
            listed[track].append(Listed(name, code, region))
    return CampaignPage(
        cohort_code=cohort.code,
        cohort_name=cohort.name,
        dates=_dates(cohort),
        meet_location=configs.programme.meet_and_greet.location,
        tracks=[
            (names.get(code, code), sorted(items, key=lambda i: i.name))
            for code, items in listed.items()
        ],
        qa=upcoming_sessions(
            cohort, configs.recruitment.information.qa, QaAudience.CANDIDATES, today, zone
        ),
    )


def organisation_page(
    cohort_code: str, organisation_code: str, *, session: Session
) -> OrganisationPage | None:
    """The published page of an organisation taking part in a live cohort; None otherwise."""
    cohort = next((c for c in _live(session) if c.code == cohort_code), None)
    organisation = session.scalar(
        select(Organisation).where(Organisation.code == organisation_code)
    )
    if cohort is None or organisation is None:
        return None
    shown = _published(cohort, session).get(organisation.id)
    commitment = session.scalar(
        select(Commitment)
        .where(
            Commitment.cohort_id == cohort.id,
            Commitment.organisation_id == organisation.id,
            Commitment.status == CommitmentStatus.COMMITTED.value,
        )
        .options(selectinload(Commitment.vacancies))
    )
    if shown is None or commitment is None:
        return None
    names = track_names(session=session)
    return OrganisationPage(
        cohort_code=cohort.code,
        cohort_name=cohort.name,
        organisation=organisation.name,
        region=organisation.region,
        tracks=[
            (names.get(v.track_code, v.track_code), v.vacancies)
            for v in commitment.vacancies
            if v.vacancies > 0
        ],
        shown=shown,
        dates=_dates(cohort),
    )


def for_organisations_page(
    cohort: Cohort, configs: Configs, today: date, zone: ZoneInfo, *, session: Session
) -> ForOrganisationsPage:
    case = approved_case(cohort, session=session)
    return ForOrganisationsPage(
        cohort_code=cohort.code,
        cohort_name=cohort.name,
        dates=_dates(cohort),
        contribution=case.contribution_per_participant if case else None,
        cost_per_participant=case.cost_per_participant if case else None,
        qa=upcoming_sessions(
            cohort, configs.recruitment.information.qa, QaAudience.ORGANISATIONS, today, zone
        ),
    )


def freshness(*, session: Session) -> tuple[object, ...]:
    """What the public pages are made of, in one cheap query: it changes whenever a page is
    published, a sign-up or a cohort changes, a business case is decided or a decision taken.
    (A moved key date changes its cohort's row; the caller adds the day and a minute.)"""
    row = session.execute(
        select(
            select(func.max(OrganisationProfile.updated_at)).scalar_subquery(),
            select(func.count(OrganisationProfile.id)).scalar_subquery(),
            select(func.max(Commitment.updated_at)).scalar_subquery(),
            select(func.max(Cohort.updated_at)).scalar_subquery(),
            select(func.max(BusinessCase.created_at)).scalar_subquery(),
            select(func.max(BusinessCase.status)).scalar_subquery(),
            select(func.count(Decision.id)).scalar_subquery(),
        )
    ).one()
    return tuple(row)

"""What a cycle produced, per phase, in figures a team member would quote (no personal data)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from rvg.dutch import euro
from rvg.models import (
    Applicant,
    BusinessCase,
    Cohort,
    Commitment,
    CommitmentVacancy,
    Decision,
    Invitation,
    Notification,
    NotificationStatus,
    Organisation,
    OrganisationKind,
    Placement,
    StageChange,
    SurveyRound,
    Tender,
    TrainingSession,
)
from rvg.phases import Phase

# Which phase each e-mail template belongs to.
TEMPLATE_PHASES = {
    "signup_invitation": Phase.COMMITMENTS,
    "signup_confirmation": Phase.COMMITMENTS,
    "tender_milestone": Phase.TENDERING,
    "profile_invitation": Phase.RECRUITMENT,  # information for the campaign
    "qa_confirm": Phase.RECRUITMENT,
    "qa_invitation": Phase.RECRUITMENT,
    "qa_reminder": Phase.RECRUITMENT,
    "stuck_applicants": Phase.RECRUITMENT,
    "meet_greet_invitation": Phase.RECRUITMENT,
    "match_candidate": Phase.MATCHING,
    "match_organisation": Phase.MATCHING,
    "survey_invitation": Phase.EVALUATION,
}


def emails_by_phase(cohort: Cohort, *, session: Session) -> Counter[Phase]:
    """The cohort's e-mails sent, per phase (training reminders and drop-out notices: the
    training year)."""
    sent: Counter[Phase] = Counter()
    for template, count in session.execute(
        select(Notification.template, func.count())
        .where(
            Notification.status == NotificationStatus.SENT.value,
            Notification.cohort_id == cohort.id,
        )
        .group_by(Notification.template)
    ):
        phase = TEMPLATE_PHASES.get(template, Phase.TRAINING_YEAR)
        if template != "test":
            sent[phase] += count
    return sent


def phase_figures(cohort: Cohort, *, session: Session) -> dict[Phase, str]:
    """One line of key figures per phase."""
    of = cohort.id

    def count(*where: ColumnElement[bool]) -> int:
        return int(session.scalar(select(func.count()).where(*where)) or 0)

    case = session.scalars(
        select(BusinessCase).where(BusinessCase.cohort_id == of).order_by(BusinessCase.version)
    ).all()
    statuses = Counter(session.scalars(select(Commitment.status).where(Commitment.cohort_id == of)))
    vacancies = session.scalar(
        select(func.sum(CommitmentVacancy.vacancies))
        .join(Commitment)
        .where(Commitment.cohort_id == of, Commitment.status == "committed")
    )
    municipalities = count(
        Commitment.cohort_id == of,
        Commitment.status == "committed",
        Commitment.organisation_id.in_(
            select(Organisation.id).where(Organisation.kind == OrganisationKind.MUNICIPALITY.value)
        ),
    )
    tenders = session.scalars(select(Tender).where(Tender.cohort_id == of)).all()
    reached_meet = count(
        StageChange.stage == "meet_greet",
        StageChange.applicant_id.in_(select(Applicant.id).where(Applicant.cohort_id == of)),
    )
    placements = Counter(session.scalars(select(Placement.status).where(Placement.cohort_id == of)))
    rounds = []
    for survey in session.scalars(
        select(SurveyRound).where(SurveyRound.cohort_id == of).order_by(SurveyRound.opens_on)
    ):
        invited = count(Invitation.survey_round_id == survey.id)
        answered = count(
            Invitation.survey_round_id == survey.id, Invitation.responded_at.is_not(None)
        )
        rate = f"{answered / invited:.0%}" if invited else "-"
        rounds.append(f"{survey.code} {answered}/{invited} ({rate})")
    latest = case[-1] if case else None
    return {
        Phase.BUSINESS_CASE: (
            f"{latest.planned_participants} participants, {euro(latest.cost_per_participant)} "
            f"per participant, {latest.status}"
            if latest
            else "none"
        ),
        Phase.COMMITMENTS: (
            f"{sum(statuses.values())} invited, {statuses['committed']} take part "
            f"({municipalities} municipalities), "
            f"{statuses['declined']} declined, {vacancies or 0} places"
        ),
        Phase.TENDERING: ", ".join(f"{t.lot}: {t.path} ({t.status})" for t in tenders) or "none",
        Phase.RECRUITMENT: (
            f"{count(Applicant.cohort_id == of)} applicants, {reached_meet} at the meet & greet"
        ),
        Phase.MATCHING: ", ".join(f"{n} {status}" for status, n in placements.items()) or "none",
        Phase.TRAINING_YEAR: f"{count(TrainingSession.cohort_id == of)} sessions planned",
        Phase.EVALUATION: "; ".join(rounds) or "none",
        Phase.REDESIGN: "decision: "
        + (
            session.scalar(
                select(Decision.outcome)
                .where(Decision.cohort_id == of, Decision.kind == "redesign")
                .order_by(Decision.decided_at.desc())
            )
            or "none yet"
        ),
    }

"""From the database to the plain records the aggregation works on (no names, ever)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.evaluation.aggregate import UNKNOWN_REGION, Invited, ResponseRecord
from rvg.evaluation.definitions import SurveyDefinitions
from rvg.evaluation.report import (
    EvaluationFigures,
    evaluation_csv,
    evaluation_figures,
    evaluation_html,
)
from rvg.evaluation.retention import PlacementOutcome
from rvg.models import (
    Cohort,
    Invitation,
    InvitationPurpose,
    Organisation,
    Placement,
    SurveyResponse,
    SurveyRound,
)


def _regions(*, session: Session) -> dict[int, str]:
    """Placement id → region of its organisation."""
    rows = session.execute(
        select(Placement.id, Organisation.region).join(
            Organisation, Placement.organisation_id == Organisation.id
        )
    )
    return {placement_id: region for placement_id, region in rows}


def survey_records(*, session: Session) -> tuple[list[Invited], list[ResponseRecord]]:
    """Every survey invitation and response of every cohort, as aggregation records."""
    cohorts = {c.id: c.code for c in session.scalars(select(Cohort))}
    rounds = {r.id: r.code for r in session.scalars(select(SurveyRound))}
    regions = _regions(session=session)
    invited, responses = [], []
    rows = session.execute(
        select(Invitation, SurveyResponse)
        .outerjoin(SurveyResponse, SurveyResponse.invitation_id == Invitation.id)
        .where(Invitation.purpose == InvitationPurpose.SURVEY.value)
    )
    for invitation, response in rows:
        cohort = cohorts[invitation.cohort_id]
        round_code = rounds[invitation.survey_round_id or 0]
        region = regions.get(invitation.placement_id or 0, UNKNOWN_REGION)
        audience = invitation.audience or ""
        invited.append(Invited(cohort, round_code, audience, region))
        if response is not None:
            responses.append(
                ResponseRecord(cohort, round_code, audience, region, dict(response.answers))
            )
    return invited, responses


def placement_outcomes(*, session: Session) -> list[PlacementOutcome]:
    cohorts = {c.id: c.code for c in session.scalars(select(Cohort))}
    return [
        PlacementOutcome(
            cohort=cohorts[p.cohort_id],
            starts_on=p.starts_on,
            status=p.status,
            ended_on=p.ended_on,
            drop_out_reason=p.drop_out_reason,
            permanent_appointment=p.permanent_appointment,
            working_in_public_sector_12m=p.working_in_public_sector_12m,
            working_in_public_sector_24m=p.working_in_public_sector_24m,
        )
        for p in session.scalars(select(Placement))
    ]


def write_report(
    cohort: Cohort, definitions: SurveyDefinitions, folder: Path, as_of: date, *, session: Session
) -> tuple[EvaluationFigures, dict[str, Path]]:
    """``evaluation.html`` and ``evaluation.csv`` for a cohort, with the figures behind them."""
    invited, responses = survey_records(session=session)
    figures = evaluation_figures(
        definitions, invited, responses, placement_outcomes(session=session), cohort=cohort.code
    )
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"html": folder / "evaluation.html", "csv": folder / "evaluation.csv"}
    paths["html"].write_text(
        evaluation_html(figures, definitions, cohort_name=cohort.name, as_of=as_of),
        encoding="utf-8",
    )
    paths["csv"].write_text(
        evaluation_csv(figures.questions, min_group_size=definitions.min_group_size),
        encoding="utf-8",
    )
    return figures, paths

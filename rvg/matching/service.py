"""The matching steps on the database that the task and the CLI share: a proposal from the
stored preferences, verified stable, and the names its report shows."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.matching.algorithm import (
    Instance,
    Optimal,
    open_places,
    rank_distribution,
    solve,
    unmatched,
    verify,
)
from rvg.models import Cohort, Organisation
from rvg.repositories.organisations import track_names
from rvg.repositories.placements import has_placements, markets


class TrackResult(BaseModel):
    track: str
    pairs: dict[str, str | None]  # applicant_ref -> organisation code
    choice: dict[str, int]  # applicant_ref -> the rank the candidate gave their match
    ranks: dict[int, int]
    unmatched: list[str]
    open_places: dict[str, int]


class MatchingProposal(BaseModel):
    cohort: str
    optimal: Optimal
    tracks: list[TrackResult]
    placed: bool = False
    decision: str | None = None

    @property
    def matched(self) -> int:
        return sum(1 for t in self.tracks for org in t.pairs.values() if org)

    def line(self) -> str:
        unmatched_count = sum(len(t.unmatched) for t in self.tracks)
        places = sum(sum(t.open_places.values()) for t in self.tracks)
        return f"matched={self.matched} unmatched_candidates={unmatched_count} open_places={places}"


def propose(cohort: Cohort, optimal: Optimal, *, session: Session) -> MatchingProposal:
    """Deferred acceptance per track on the stored preferences; verified stable before use,
    with the rank each candidate gave their match."""
    tracks = []
    for market in markets(cohort, session=session):
        instance = Instance(market.candidate_prefs, market.organisation_prefs, market.capacities)
        pairs = solve(instance, optimal)
        check = verify(instance, pairs)
        if not check.ok:
            raise RuntimeError(f"matching of track {market.track} is not valid: {check.describe()}")
        pairs = {ref: org for ref, org in pairs.items() if ref in market.candidate_prefs}
        choice = {
            ref: market.candidate_prefs[ref].index(org) + 1 for ref, org in pairs.items() if org
        }
        tracks.append(
            TrackResult(
                track=market.track,
                pairs=pairs,
                choice=choice,
                ranks=rank_distribution(instance, pairs),
                unmatched=unmatched(instance, pairs),
                open_places={o: n for o, n in open_places(instance, pairs).items() if n},
            )
        )
    return MatchingProposal(
        cohort=cohort.code,
        optimal=optimal,
        tracks=tracks,
        placed=has_placements(cohort, session=session),
    )


def report_names(*, session: Session) -> tuple[dict[str, str], dict[str, str]]:
    """The names of the organisations and of the tracks, by code, for the report."""
    organisations = dict(session.execute(select(Organisation.code, Organisation.name)).all())
    return organisations, track_names(session=session)

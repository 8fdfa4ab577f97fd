"""Tasks of phase 5: propose the stable matching per track, record approval, make placements."""

from __future__ import annotations

from datetime import date

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from rvg import clock
from rvg.matching.algorithm import Optimal
from rvg.matching.report import TrackOutcome, matching_html
from rvg.matching.service import MatchingProposal, propose, report_names
from rvg.phases import Phase
from rvg.placements.approval import MatchApproval
from rvg.placements.notices import notify_matches
from rvg.placements.unplaced import close_unplaced
from rvg.repositories.decisions import record_decision
from rvg.repositories.placements import create_placements
from rvg.unit import unit
from tasks.recruitment import publish_funnel
from tasks.retrying import ON_DATABASE_TROUBLE


@task(name="propose-matches", **ON_DATABASE_TROUBLE)
def propose_matches(cohort: str, optimal: Optimal) -> MatchingProposal:
    """Deferred acceptance per track on the stored preferences; verified stable before use."""
    with unit(cohort) as u:
        proposal = propose(u.cohort, optimal, session=u.session)
    _publish(proposal)
    get_run_logger().info("Matching %s (%s-optimal): %s", cohort, optimal, proposal.line())
    return proposal


def _publish(proposal: MatchingProposal) -> None:
    """Matches by applicant reference (no names), the rank distribution and who is left."""
    rows = [
        {
            "leerlijn": t.track,
            "kandidaat": ref,
            "organisatie": org or "",
            "keuze": t.choice.get(ref, ""),
        }
        for t in proposal.tracks
        for ref, org in sorted(t.pairs.items())
    ]
    create_table_artifact(
        rows,
        key=f"matching-{proposal.cohort}",
        description=f"Voorgestelde koppelingen ({proposal.line()})",
    )
    ranks = [
        {"leerlijn": t.track, "keuze": rank, "aantal": count}
        for t in proposal.tracks
        for rank, count in sorted(t.ranks.items())
    ]
    create_table_artifact(
        ranks,
        key=f"matching-ranks-{proposal.cohort}",
        description="Hoeveel kandidaten kregen hun 1e, 2e, … keuze",
    )
    lines = [
        f"- {t.track}: niet gekoppeld {', '.join(t.unmatched) or '-'}; open plekken "
        + (", ".join(f"{o} ({n})" for o, n in t.open_places.items()) or "-")
        for t in proposal.tracks
    ]
    create_markdown_artifact(
        "## Niet gekoppeld en open plekken\n\n" + "\n".join(lines),
        key=f"matching-unmatched-{proposal.cohort}",
    )


@task(name="record-match-approval", **ON_DATABASE_TROUBLE)
def record_match_approval(
    cohort: str, approval: MatchApproval, proposal: MatchingProposal, as_of: date | None
) -> str:
    """Store the team's decision with who, when and the proposal it was about."""
    outcome = "approved" if approval.approved else "rejected"
    with unit(cohort) as u:
        record_decision(
            u.cohort,
            Phase.MATCHING,
            session=u.session,
            kind="match_approval",
            outcome=outcome,
            decided_by=approval.decided_by,
            decided_at=clock.utcnow(as_of, u.settings.zone),
            reason=approval.comment or None,
            payload={"optimal": proposal.optimal, "matched": proposal.matched},
        )
    return outcome


@task(name="place-candidates", **ON_DATABASE_TROUBLE)
def place_candidates(cohort: str, proposal: MatchingProposal, as_of: date | None) -> int:
    """Placements from the training start, and e-mails to candidates and organisations; the
    candidates not placed have their procedure closed; the funnel shows the matched."""
    with unit(cohort) as u:
        settings, session, loaded = u.settings, u.session, u.cohort
        day = as_of or clock.today(tz=settings.zone)
        start = loaded.milestone("training_start")
        assert start is not None
        placements = create_placements(
            loaded,
            {t.track: t.pairs for t in proposal.tracks},
            session=session,
            starts_on=start,
            matched_on=day,
        )
        due = u.send_at(day)
        mails = notify_matches(loaded, placements, session=session, due=due)
        closed = close_unplaced(loaded, session=session, day=day, due=due)
    get_run_logger().info(
        "Cohort %s: %d placements made, %d e-mails queued; %d candidates not placed: their "
        "procedure ended today (retention clock started) and each was thanked by e-mail",
        cohort,
        len(placements),
        mails,
        closed,
    )
    publish_funnel(cohort, day)
    return len(placements)


@task(name="write-matching-report", **ON_DATABASE_TROUBLE)
def write_matching_report(proposal: MatchingProposal, as_of: date | None, status: str) -> str:
    """matching.html in the cohort's output folder; candidates by reference only."""
    with unit(proposal.cohort) as u:
        settings = u.settings
        organisations, tracks = report_names(session=u.session)
        cohort_name = u.cohort.name
    page = settings.output_dir / proposal.cohort / "matching.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(
        matching_html(
            [TrackOutcome(t.track, t.pairs, t.choice, t.open_places) for t in proposal.tracks],
            cohort_name=cohort_name,
            as_of=clock.today(as_of, settings.zone),
            optimal=proposal.optimal,
            status=STATUS_LABELS.get(status, status),
            organisation_names=organisations,
            track_names=tracks,
        ),
        encoding="utf-8",
    )
    return str(page)


STATUS_LABELS = {"approved": "goedgekeurd en geplaatst", "rejected": "afgewezen"}

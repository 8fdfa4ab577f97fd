"""Demo step of phase 7: the three survey rounds with fictitious answers, and the report."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path

import httpx
import typer

from rvg.cli._prefect import load_flow
from rvg.cli.demo_steps import DemoClock, links_in_mail
from rvg.evaluation.definitions import load_surveys
from rvg.settings import Settings

RESPONSE_RATE = 0.75
REMARKS = (
    "Meer intervisie met andere buddy's zou helpen.",
    "De opleidingsdagen zijn erg nuttig.",
    "Graag eerder het rooster.",
    "Prima begeleiding.",
)


def _answers(rng: random.Random, codes: Mapping[str, str]) -> dict[str, str]:
    """Plausible answers per question kind (likert 3–5 mostly, NPS 5–10, 1–6 buddy hours)."""
    answers = {}
    for code, kind in codes.items():
        if kind == "likert":
            answers[code] = str(rng.choice([2, 3, 4, 4, 4, 5, 5]))
        elif kind == "nps":
            answers[code] = str(rng.choice([5, 6, 7, 8, 8, 9, 9, 10, 10]))
        elif kind == "number":
            answers[code] = str(rng.choice([1, 2, 2, 3, 3, 4, 5, 6]))
        elif rng.random() < 0.3:
            answers[code] = rng.choice(REMARKS)
    return answers


def evaluation(cohort: str, settings: Settings, seed: int, maildir: Path, web: DemoClock) -> None:
    """Each round: open, answers through the survey form, reminders, close with the report."""
    typer.echo("\nEvaluation (phase 7)")
    rng = random.Random(seed + 7)
    definitions = load_surveys(settings.config_dir / "surveys.yaml")
    flow = load_flow("evaluation", "evaluation")
    dispatch = load_flow("dispatch", "dispatch_notifications")
    seen: set[str] = set()
    report = ""

    def at(day: date) -> datetime:
        return datetime.combine(day, time(10, 0), tzinfo=settings.zone)

    progress = flow(cohort=cohort, as_of=date.min.replace(year=2000))
    for state in progress.rounds:
        flow(cohort=cohort, as_of=state.opens_on)
        dispatch(as_of=at(state.opens_on))
        invitations = [
            (to, link) for to, link in links_in_mail(maildir, "enquete") if link not in seen
        ]
        seen.update(link for _, link in invitations)
        web.moment = at(state.opens_on + timedelta(days=2))
        answered = 0
        for _, link in invitations:
            if rng.random() > RESPONSE_RATE:
                continue
            audience = _audience(link)
            codes = {q.code: q.kind for q in definitions.questions_for(audience)}
            if httpx.post(link, data=_answers(rng, codes)).status_code == 303:
                answered += 1
        reminder_day = state.opens_on + timedelta(
            days=definitions.round(state.code).reminder_days[0]
        )
        flow(cohort=cohort, as_of=reminder_day)
        reminded = dispatch(as_of=at(reminder_day)).sent
        seen.update(link for _, link in links_in_mail(maildir, "enquete"))  # the reminders' links
        closing = flow(cohort=cohort, as_of=state.closes_on + timedelta(days=1))
        report = f"{settings.output_dir / cohort / 'evaluation.html'}"
        typer.echo(
            f"  {state.code} ({state.opens_on} to {state.closes_on}): {len(invitations)} invited, "
            f"{answered} answered, {reminded} reminder e-mails; closed: {closing.closed_now}"
        )
    typer.echo(
        f"  report: {Path(report).resolve()} (groups under {definitions.min_group_size} hidden)"
    )


def _audience(link: str) -> str:
    """Which questions the form shows: read it like a respondent would."""
    page = httpx.get(link).text
    if "buddy_hours" in page:
        return "buddy"
    return "participant" if "guid_buddy" in page else "manager"


def redesign(cohort: str, settings: Settings) -> None:
    """Phase 8: findings and the next cohort's proposal, accepted by the team."""
    from rvg.redesign.decision import RedesignDecision

    decision = RedesignDecision(
        accepted=True,
        lessons="Demo: buddy's vaker samenbrengen; eerder beginnen met werven.",
        decided_by="Projectteam (demo)",
    )
    summary = load_flow("redesign", "redesign")(cohort=cohort, decision=decision)
    typer.echo("\nRedesign (phase 8)")
    for action in summary.actions or ["geen bevindingen buiten de normen"]:
        typer.echo(f"  - {action}")
    low, high = summary.next_target
    typer.echo(
        f"  next cohort {summary.next_cohort}: {low}-{high} participants, "
        f"file {Path(summary.cohort_file).resolve()}"
    )
    typer.echo(f"  report: {Path(summary.report).resolve()}; decision: {summary.decision}")

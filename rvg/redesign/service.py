"""Phase 8's steps, called the same way by the task and the CLI: draw up the findings and
the next cohort's proposal from a cohort's actuals, and record the team's decision."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from rvg import clock
from rvg.business_case.actuals import revised_model
from rvg.business_case.costing import CohortCost, CostModel, cohort_cost, cost_model_text
from rvg.dutch import euro
from rvg.errors import UserError
from rvg.history import PastCohort, cohort_figures, cohorts_before, history_view
from rvg.lead_times import Forward, Shortfall, forward_key_dates
from rvg.models import Cohort
from rvg.phases import Phase
from rvg.programme import RulesDecided, create_cohort
from rvg.redesign.collect import actuals_for
from rvg.redesign.decision import RedesignDecision
from rvg.redesign.proposal import (
    CURRENT,
    LESSON,
    cohort_file_content,
    key_dates_of,
    lesson_moves,
    next_code,
    next_cohort,
    size_estimate,
    target_range,
    write_cohort_file,
)
from rvg.redesign.report import (
    KEY_DATE_LABELS,
    RedesignFigures,
    change_line,
    date_source,
    render_html,
)
from rvg.redesign.revision import Change, changes_to, revised_content
from rvg.redesign.rules import Actuals, findings
from rvg.repositories import decisions
from rvg.repositories.cohorts import find_cohort
from rvg.rule_sets import checked_rule_files, differing_files, latest_rule_set
from rvg.tendering.status import supply_shortfalls
from rvg.unit import Unit

DECISION_KIND = "redesign"


class RedesignSummary(BaseModel):
    """What phase 8 produced, as the flow returns it."""

    cohort: str
    stage: str | None = None  # the survey round an interim redesign follows; None: final
    placements: int
    cost_per_participant: float | None
    findings: list[str]
    actions: list[str]  # each finding with its proposed action, in Dutch
    next_cohort: str
    next_target: tuple[int, int]
    revises: bool = False  # the next cohort runs already: the proposal changes it
    changes: list[str] = []  # each change to it, open or fixed, in Dutch
    changes_open: int = 0  # of those, the ones it can still take
    decision: str | None
    report: str
    cohort_file: str


@dataclass(frozen=True)
class DrawnUp:
    figures: RedesignFigures
    summary: RedesignSummary
    next_costs: CostModel  # the cost model revised to this cohort's actual cost per line


def decision_kind(stage: str | None) -> str:
    """The final redesign's decision is ``redesign``; an interim one's ``redesign:m03``."""
    return DECISION_KIND if stage is None else f"{DECISION_KIND}:{stage}"


def interim_due(u: Unit, closed: Sequence[str]) -> list[str]:
    """The interim redesigns whose survey round has ``closed`` and that nobody decided yet."""
    return [
        stage
        for stage in u.config.redesign.interim_after
        if stage in closed
        and decisions.latest_decision(u.cohort, decision_kind(stage), session=u.session) is None
    ]


def check_stage(u: Unit, stage: str | None, day: date) -> None:
    """An interim redesign follows a survey round that ``interim_after`` names, once it has
    closed."""
    if stage is None:
        return
    named = u.config.redesign.interim_after
    if stage not in named:
        raise UserError(
            f"no interim redesign after {stage!r}: config/redesign.yaml's interim_after names "
            f"{', '.join(named) or 'no round'}"
        )
    survey = next((r for r in u.config.surveys.rounds if r.code == stage), None)
    start = u.cohort.milestone("training_start")
    if survey is None or start is None:
        raise UserError(f"interim_after names {stage!r}, which is no survey round of the cohort")
    closes = survey.closes_on(start)
    if day <= closes:
        raise UserError(
            f"the interim redesign after round {stage} of cohort {u.cohort.code} comes after "
            f"that round closes on {closes.isoformat()}"
        )


def running_next(u: Unit) -> Cohort | None:
    """The live next cohort, when it exists already: a redesign revises it."""
    found = find_cohort(next_code(u.cohort.code), session=u.session)
    return found if found is not None and not found.historical else None


def draw_up(u: Unit, as_of: date | None, stage: str | None = None) -> DrawnUp:
    """Compare actuals with the business case, apply the rules, write the report
    (``redesign.html``, an interim one ``redesign-m03.html``) and the next cohort's file to
    the cohort's output folder. The next cohort is proposed anew, or, when it exists, the
    changes it can still take are."""
    rules, loaded = u.config.redesign, u.cohort
    day = clock.today(as_of, u.settings.zone)
    check_stage(u, stage, day)
    actuals = actuals_for(
        loaded,
        u.config.procurement.lots,
        session=u.session,
        min_group_size=u.config.surveys.min_group_size,
    )
    found = findings(actuals, rules)
    before = cohorts_before(loaded, session=u.session)
    estimate = size_estimate(actuals, rules.min_participants, before)
    size = target_range(actuals, rules.min_participants, rules.target_margin, before)
    running = running_next(u)
    lessons = [f.code for f in found]
    if running is None:
        proposed = _anew(u, actuals, before, lessons, size, day)
    else:
        proposed = _revision(running, lessons, size, rules.signup_weeks_earlier, day)
    proposal = proposed.content
    decided = decisions.latest_decision(loaded, decision_kind(stage), session=u.session)
    planned = (size[0] + size[1] + 1) // 2
    next_model, revisions = revised_model(u.config.costs, actuals.cost_lines, loaded.code)
    next_cost = cohort_cost(next_model, planned)
    changes: list[Change] = []
    if running is not None:
        changes = _changes(u, running, proposal, next_cost, day)
        proposal = revised_content(cohort_file_content(running), proposal, changes)
    figures = RedesignFigures(
        cohort_name=loaded.name,
        as_of=day,
        actuals=actuals,
        findings=found,
        proposal=proposal,
        next_cost=next_cost,
        cost_revisions=revisions,
        lessons=decided.payload.get("lessons", "") if decided else "",
        decision=decided.outcome if decided else None,
        history=history_view((*before, cohort_figures(loaded, u.session)), planned),
        unplanned=tuple(shortfall.dutch for shortfall in proposed.unplanned),
        stage=stage,
        size_source=estimate.source,
        date_sources={
            name: date_source(source, name, proposed.years, loaded.code, u.config.programme, rules)
            for name, source in proposed.sources.items()
        },
        changes=tuple(changes),
        revises=running is not None,
    )
    suffix = f"-{stage}" if stage else ""
    folder = u.settings.output_dir / loaded.code
    folder.mkdir(parents=True, exist_ok=True)
    html = folder / f"redesign{suffix}.html"
    html.write_text(render_html(figures), encoding="utf-8")
    what = "tussentijds herontwerp" if stage else "herontwerp"
    cohort_file = write_cohort_file(
        proposal,
        folder / f"next-cohort-{proposal['code']}{suffix}.yaml",
        header=f"Voorstel uit het {what} van lichting {loaded.code} (rvg run redesign).\n"
        f"Maak de lichting aan met: rvg cohort create {proposal['code']} --config <dit bestand>",
    )
    cost = actuals.cost_per_participant_actual
    target = proposal["target_participants"]
    return DrawnUp(
        figures,
        RedesignSummary(
            cohort=loaded.code,
            stage=stage,
            placements=actuals.placements,
            cost_per_participant=float(cost) if cost is not None else None,
            findings=[f.code for f in figures.findings],
            actions=[f"{f.finding} Actie: {f.action}" for f in figures.findings],
            next_cohort=proposal["code"],
            next_target=(target["min"], target["max"]),
            revises=running is not None,
            changes=[change_line(change) for change in changes],
            changes_open=len(figures.open_changes),
            decision=figures.decision,
            report=str(html),
            cohort_file=str(cohort_file),
        ),
        next_model,
    )


@dataclass(frozen=True)
class _Proposed:
    """The next cohort's file content as proposed, why each key date lies where it does, and
    the lead times its dates still do not leave."""

    content: dict[str, Any]
    sources: dict[str, str]
    unplanned: list[Shortfall]
    years: int = 1


def _anew(
    u: Unit,
    actuals: Actuals,
    before: Sequence[PastCohort],
    lessons: Sequence[str],
    size: tuple[int, int],
    day: date,
) -> _Proposed:
    """A next cohort that does not exist yet: planned forward from ``day``, the lessons
    applied."""
    rules = u.config.redesign
    plan = plan_key_dates(u, key_dates_of(u.cohort), day, size[1])
    moved = lesson_moves(plan.dates, lessons, rules.signup_weeks_earlier, day)
    content = next_cohort(
        u.cohort,
        actuals,
        {**plan.dates, **moved},
        plan.years,
        minimum=rules.min_participants,
        margin=rules.target_margin,
        history=before,
    )
    return _Proposed(
        content, {**plan.sources, **dict.fromkeys(moved, LESSON)}, plan.left, plan.years
    )


def _revision(
    running: Cohort, lessons: Sequence[str], size: tuple[int, int], weeks: int, day: date
) -> _Proposed:
    """A next cohort that runs already: its own dates with the lessons applied, the size."""
    current = key_dates_of(running)
    moved = lesson_moves(current, lessons, weeks, day)
    dates = {**current, **moved}
    content = {
        **cohort_file_content(running),
        "target_participants": {"min": size[0], "max": size[1]},
        "key_dates": dict(sorted(dates.items(), key=lambda kv: (kv[1], kv[0]))),
    }
    return _Proposed(content, {name: LESSON if name in moved else CURRENT for name in dates}, [])


def _changes(
    u: Unit, running: Cohort, proposal: dict[str, Any], next_cost: CohortCost, day: date
) -> list[Change]:
    """What the proposal changes in the running next cohort, each open or fixed; its costs
    and the revised ones compared at the proposal's size."""
    planned = next_cost.participants
    own = latest_rule_set(running, session=u.session)
    ours = latest_rule_set(u.cohort, session=u.session)
    config = checked_rule_files(u.settings.config_dir)
    # a change made in config/ since this cohort took its rules (a lesson) that the next one
    # has not taken; where the next cohort's own rules differ on purpose, config/ is older
    programme = [
        name
        for name in differing_files(own.files if own is not None else {}, config)
        if name != "costs.yaml" and (ours is None or ours.files.get(name) != config.get(name))
    ]
    now = cohort_cost(u.config_of(running).costs, planned).per_participant
    return changes_to(
        running,
        key_dates=proposal["key_dates"],
        labels=KEY_DATE_LABELS,
        size=(proposal["target_participants"]["min"], proposal["target_participants"]["max"]),
        costs=(euro(now), euro(next_cost.per_participant)),
        programme=programme,
        as_of=day,
        session=u.session,
        zone=u.settings.zone,
    )


def plan_key_dates(u: Unit, current: dict[str, date], as_of: date, target_max: int) -> Forward:
    """The next cohort's key dates forward from ``as_of`` with the programme's lead times,
    and (in ``left``) what still does not fit: those lead times, or a lot that no contract
    in the register, extension or new tender supplies in time."""
    plan = forward_key_dates(current, as_of, u.config.programme)
    tenders = supply_shortfalls(
        plan.dates, target_max, as_of, u.config.procurement, u.config.costs, session=u.session
    )
    return replace(plan, left=[*plan.left, *tenders])


@dataclass(frozen=True)
class Adopted:
    """The next cohort as an accepted proposal made it."""

    code: str
    outcome: str  # imported, updated or unchanged
    rules_version: int
    warnings: tuple[str, ...]


def adopt_proposal(u: Unit, drawn: DrawnUp, as_of: date | None) -> Adopted:
    """The accepted proposal becomes the next cohort (or updates it): its key dates and size
    from the proposal's file, its rules those of ``config/`` with the costs revised to what
    this cohort actually cost per line. A next cohort that runs already takes only the
    changes still open to it (:mod:`rvg.redesign.revision`)."""
    day = clock.today(as_of, u.settings.zone)
    code = drawn.summary.next_cohort
    revised = cost_model_text(
        drawn.next_costs,
        f"Kosten van lichting {code}: config/costs.yaml, per kostenregel herzien naar de "
        f"werkelijke kosten van lichting {u.cohort.code} (herontwerp).",
    )
    files = checked_rule_files(u.settings.config_dir)
    running = running_next(u)
    if running is not None:
        own = latest_rule_set(running, session=u.session)
        still = {change.subject for change in drawn.figures.changes if change.open}
        files = {
            **(own.files if own is not None else files),
            **(
                {k: v for k, v in files.items() if k != "costs.yaml"}
                if "programme" in still
                else {}
            ),
            **({"costs.yaml": revised} if "costs" in still else {}),
        }
    else:
        files["costs.yaml"] = revised
    what = "an interim redesign" if drawn.summary.stage else "the redesign"
    loaded = create_cohort(
        code,
        Path(drawn.summary.cohort_file),
        u.settings.config_dir,
        session=u.session,
        as_of=day,
        rules=RulesDecided(files, f"proposed by {what} of cohort {u.cohort.code}"),
    )
    return Adopted(code, loaded.outcome, u.rule_set(loaded.cohort).version, tuple(loaded.warnings))


def record_decision(
    u: Unit, decision: RedesignDecision, as_of: date | None, stage: str | None = None
) -> str:
    """The team's decision on the proposal, with the lessons (who, when, what)."""
    decision = RedesignDecision.model_validate(decision.model_dump())
    outcome = "accepted" if decision.accepted else "rejected"
    decisions.record_decision(
        u.cohort,
        Phase.REDESIGN,
        session=u.session,
        kind=decision_kind(stage),
        outcome=outcome,
        decided_by=decision.decided_by,
        decided_at=clock.utcnow(as_of, u.settings.zone),
        reason=decision.lessons or None,
        payload=decision.model_dump(),
    )
    return outcome

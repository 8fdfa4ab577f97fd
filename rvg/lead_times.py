"""Key dates against the day they are set: none in the past, and enough time before each.

A live cohort's key dates may not lie before the day it is created (a past cohort is recorded
as history instead); a key date that is moved may not be moved into the past. A key date on a
weekend or a Dutch public holiday moves to the next working day, and the command says so: a
deadline, a decision or an event for people outside the team falls on a working day. Key dates that
leave less than a step's lead time are allowed but warned about: the sign-up window and the
recruitment campaign (``programme.yaml``, ``lead_times``), the meet & greet invitations, and
per tender lot whether a contract in the register, an extension or a new tender published
from today can still supply it (the tender periods of ``contracts.yaml``).

The same rules plan a next cohort's key dates forward from the day it is proposed
(:func:`forward_key_dates`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from math import ceil

from rvg.config.programme import ProgrammeConfig
from rvg.dutch import dutch_date
from rvg.tendering.config import ProcurementConfig
from rvg.tendering.planning import (
    ContractTerms,
    Reservation,
    assess_lot,
    plan_lot,
    tender_day,
)
from rvg.workdays import dutch_holiday_name, next_working_day


def past_key_dates(dates: Mapping[str, date], stored: Mapping[str, date], as_of: date) -> list[str]:
    """Why the key dates cannot be loaded on ``as_of``: a new cohort whose every date has
    passed (it is history), or a stored one with a date moved into the past (a stored past
    date may stay). A new cohort with only some dates past is an ongoing one
    (:func:`passed_key_dates`)."""
    if not stored:
        if dates and all(on < as_of for on in dates.values()):
            listed = ", ".join(f"{name} {on.isoformat()}" for name, on in dates.items())
            return [
                f"field 'key_dates': every key date lies before {as_of.isoformat()} ({listed}); "
                "a past cohort is recorded as history (rvg cohort create --history)"
            ]
        return []
    return [
        f"field 'key_dates.{name}': {on.isoformat()} lies before {as_of.isoformat()}; a key "
        "date cannot be moved into the past"
        for name, on in dates.items()
        if on < as_of and stored.get(name) != on
    ]


def passed_key_dates(dates: Mapping[str, date], as_of: date) -> list[str]:
    """A new cohort some of whose key dates have passed: a warning that names them. It is an
    ongoing cohort; the phases due on those days are not run after the fact."""
    past = [f"{name} {on.isoformat()}" for name, on in dates.items() if on < as_of]
    if not past:
        return []
    return [
        f"ongoing cohort: {', '.join(past)} lie before {as_of.isoformat()}; what was due on "
        "those days is not run after the fact (the cycle starts from today; run a phase with "
        "`rvg run PHASE --cohort CODE` when it is still wanted)"
    ]


def on_working_days(dates: Mapping[str, date]) -> tuple[dict[str, date], list[str]]:
    """The key dates with each one on a weekend or a holiday moved to the next working day, and
    a line per move that names the field, the day it fell on and where it went."""
    moved: dict[str, date] = {}
    notes: list[str] = []
    for name, on in dates.items():
        moved[name] = next_working_day(on)
        if moved[name] != on:
            why = dutch_holiday_name(on) or f"a {on:%A}"
            notes.append(
                f"field 'key_dates.{name}': {on.isoformat()} is {why}, no working day; the "
                f"cohort uses {moved[name]:%A} {moved[name].isoformat()}"
            )
    return moved, notes


def future_key_dates(dates: Mapping[str, date], as_of: date) -> list[str]:
    """A past cohort's key dates that lie after ``as_of``: it cannot be history yet."""
    return [
        f"field 'key_dates.{name}': {on.isoformat()} lies after {as_of.isoformat()}; only a "
        "cohort whose dates have passed is recorded as history"
        for name, on in dates.items()
        if on > as_of
    ]


@dataclass(frozen=True)
class Shortfall:
    """A lead time the key dates do not leave: in English for the command line, in Dutch for
    the reports."""

    english: str
    dutch: str


def _days(start: date, end: date) -> int:
    return (end - start).days


def schedule_warnings(
    dates: Mapping[str, date], as_of: date, programme: ProgrammeConfig
) -> list[Shortfall]:
    """The programme's lead times that the key dates (counted from ``as_of``) do not leave.
    A period already over by ``as_of`` (a running cohort revised) is what it was: no warning."""
    leads = programme.lead_times
    found = []
    signup_from = max(dates["signup_opens"], as_of)
    window = _days(signup_from, dates["signup_deadline"])
    if window < leads.signup_window_days and dates["signup_deadline"] >= as_of:
        found.append(
            Shortfall(
                f"key_dates.signup_deadline: organisations have {window} days to sign up (from "
                f"{signup_from.isoformat()}); lead_times.signup_window_days asks for "
                f"{leads.signup_window_days}",
                f"De aanmeldtermijn is {window} dagen (vanaf {dutch_date(signup_from)}); "
                f"nodig is {leads.signup_window_days}.",
            )
        )
    campaign_from = max(dates["recruitment_opens"], as_of)
    campaign = _days(campaign_from, dates["meet_and_greet"])
    if campaign < leads.recruitment_campaign_days and dates["meet_and_greet"] >= as_of:
        found.append(
            Shortfall(
                f"key_dates.meet_and_greet: the recruitment campaign runs {campaign} days (from "
                f"{campaign_from.isoformat()}); lead_times.recruitment_campaign_days asks for "
                f"{leads.recruitment_campaign_days}",
                f"De wervingscampagne duurt {campaign} dagen (vanaf "
                f"{dutch_date(campaign_from)}); nodig is {leads.recruitment_campaign_days}.",
            )
        )
    placement = _days(max(dates["meet_and_greet"], as_of), dates["training_start"])
    if placement < leads.placement_days and dates["training_start"] >= as_of:
        found.append(
            Shortfall(
                f"key_dates.training_start: {placement} days after the meet & greet; "
                f"lead_times.placement_days asks for {leads.placement_days}",
                f"Tussen meet & greet en start liggen {placement} dagen; nodig is "
                f"{leads.placement_days} (matchen, contracten, opzegtermijn).",
            )
        )
    days_before = programme.meet_and_greet_invitation_days
    invite_on = dates["meet_and_greet"] - timedelta(days=days_before)
    if invite_on < as_of <= dates["meet_and_greet"]:
        found.append(
            Shortfall(
                f"key_dates.meet_and_greet: its invitations go out {days_before} days before, "
                f"on {invite_on.isoformat()}, which has passed",
                f"De uitnodigingen voor de meet & greet ({days_before} dagen vooraf, op "
                f"{dutch_date(invite_on)}) zijn niet meer op tijd.",
            )
        )
    return found


def tender_warnings(
    dates: Mapping[str, date],
    target_max: int,
    as_of: date,
    procurement: ProcurementConfig,
    per_participant_amounts: Mapping[str, Decimal | float],
    register: Sequence[ContractTerms],
    reserved: Mapping[str, Sequence[Reservation]] | None = None,
    settled: Collection[str] = (),
) -> list[Shortfall]:
    """The lots that no contract, extension or new tender published from ``as_of`` can supply
    in time, planned as ``rvg tender plan`` plans them (after the options that earlier
    cohorts hold, ``reserved`` per lot); not the lots ``settled`` (awarded already)."""
    day = tender_day(dates)
    if day is None:
        return []
    found = []
    for lot in procurement.lots:
        if lot.lot.value in settled:
            continue
        assessment = assess_lot(
            lot, per_participant_amounts, target_max, day, procurement.eu_thresholds
        )
        earliest = day + timedelta(days=1)
        held = (reserved or {}).get(lot.lot.value, ())
        plan = plan_lot(lot, register, dates, as_of, earliest, procurement.rules, assessment, held)
        if plan.feasible:
            continue
        latest = plan.tender.latest_feasible_publication if plan.tender else None
        by = f"by {latest.isoformat()}" if latest else "in time"
        uiterlijk = f"uiterlijk {dutch_date(latest)}" if latest else "op tijd"
        found.append(
            Shortfall(
                f"lot {lot.lot.value}: no contract in the register covers it from "
                f"{plan.needed_from.isoformat()} and a new tender would have to be published "
                f"{by}; see rvg tender plan",
                f"Perceel {lot.description}: geen contract dekt het vanaf "
                f"{dutch_date(plan.needed_from)} en een nieuwe aanbesteding had {uiterlijk} "
                "gepubliceerd moeten worden.",
            )
        )
    return found


# A key date pushed later keeps at least this many days after the one before it, unless a
# lead time asks for more (or it was closer to begin with).
MOVED_GAP_DAYS = 7
# The key date whose season a proposal keeps: the training year starts when it always does.
ANCHOR = "training_start"


def _lead_gaps(programme: ProgrammeConfig) -> dict[str, tuple[str, int]]:
    """Key date → (the key date it counts from, the least days after it)."""
    leads = programme.lead_times
    return {
        "signup_deadline": ("signup_opens", leads.signup_window_days),
        "meet_and_greet": ("recruitment_opens", leads.recruitment_campaign_days),
        "training_start": ("meet_and_greet", leads.placement_days),
    }


# Why a planned key date lies where it does (the report words each in Dutch).
YEAR_ON = "year_on"  # the same date a whole number of 52-week years on
PROPOSAL_DAY = "proposal_day"  # pushed to lie on or after the day of the proposal
LEAD_TIME = "lead_time"  # pushed to leave the lead time after the key date it counts from
ORDER = "order"  # pushed to stay after the key date before it


def _pushed(
    dates: Mapping[str, date], years: int, as_of: date, programme: ProgrammeConfig
) -> tuple[dict[str, date], dict[str, str]]:
    """Every key date ``years`` on (52 weeks a year, so on the same weekday), then in order
    pushed by whole weeks until it lies on or after ``as_of`` and leaves its lead time; with
    why each one lies where it does."""
    gaps = _lead_gaps(programme)
    shift = timedelta(weeks=52 * years)
    out: dict[str, date] = {}
    why: dict[str, str] = {}
    previous: tuple[str, date] | None = None
    for name, day in sorted(dates.items(), key=lambda item: (item[1], item[0])):
        floors = [(as_of, PROPOSAL_DAY)]
        rule = gaps.get(name)
        if rule is not None and rule[0] in out:
            floors.append((out[rule[0]] + timedelta(days=rule[1]), LEAD_TIME))
        if previous is not None:
            before, original = previous
            gap = min((day - original).days, MOVED_GAP_DAYS)
            floors.append((out[before] + timedelta(days=gap), ORDER))
        floor, reason = max(floors, key=lambda item: item[0])
        candidate, why[name] = day + shift, YEAR_ON
        if candidate < floor:
            candidate += timedelta(weeks=ceil((floor - candidate).days / 7))
            why[name] = reason
        out[name] = next_working_day(candidate)
        previous = (name, day)
    return out, why


@dataclass(frozen=True)
class Forward:
    """A next cohort's key dates planned forward: the years on, the dates, why each lies
    where it does (:data:`YEAR_ON` and the others), and the lead times still not left."""

    years: int
    dates: dict[str, date]
    sources: dict[str, str]
    left: list[Shortfall]


def forward_key_dates(
    dates: Mapping[str, date],
    as_of: date,
    programme: ProgrammeConfig,
    *,
    year_offset: int = 1,
    tries: int = 4,
) -> Forward:
    """A next cohort's key dates, planned forward from ``as_of`` (the day it is proposed).

    From ``year_offset`` years on, the first year in which the training starts in its usual
    week while every earlier key date lies on or after ``as_of`` and keeps its lead times.
    Returns the plan with the lead times that still do not fit (none, unless no year tried
    fits; then the first year tried). Whether the tenders are in time does not depend on the
    year (a tender is published after the go/no-go either way): see :func:`tender_warnings`.
    """
    if not dates:
        raise ValueError("a cohort without key dates has no calendar to carry forward")
    first: Forward | None = None
    for years in range(year_offset, year_offset + tries):
        planned, sources = _pushed(dates, years, as_of, programme)
        left = schedule_warnings(planned, as_of, programme)
        anchor = dates.get(ANCHOR)
        if anchor is not None and planned[ANCHOR] != anchor + timedelta(weeks=52 * years):
            start = anchor + timedelta(weeks=52 * years)
            left.append(
                Shortfall(
                    f"{ANCHOR}: the steps before it do not fit between {as_of.isoformat()} "
                    f"and {start.isoformat()}",
                    f"De stappen voor de start van de opleiding passen niet tussen "
                    f"{dutch_date(as_of)} en {dutch_date(start)}.",
                )
            )
        plan = Forward(years, planned, sources, left)
        if not left:
            return plan
        first = first or plan
    assert first is not None
    return first

"""How a lot is procured for a cohort: keep the current contract, extend it, or tender anew.

A new tender follows the lot's regime: the European open procedure under the normal regime,
or a notice with a reasonable period for the social and other specific services (Annex XIV).
An extension option covers one further cohort. Pure rules on dates and amounts: the tendering
flow stores the milestones of the chosen path and reminds the procurement contact; nothing
here reads a database or the clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from dateutil.relativedelta import relativedelta

from rvg.dutch import counted, euro, listed, short_date
from rvg.models.cohorts import Cohort
from rvg.models.tendering import Lot, ProcurementPath
from rvg.tendering.config import (
    LotConfig,
    ProcurementConfig,
    ProcurementRules,
    Regime,
    Threshold,
)
from rvg.tendering.labels import PATH_LABELS
from rvg.workdays import add_working_days, is_working_day, next_working_day, previous_working_day

TENDER_MILESTONES = (
    "publication",
    "questions_deadline",
    "answers_deadline",
    "tender_deadline",
    "award_decision",
    "standstill_end",
    "signature",
    "contract_start",
)
EXTENSION_MILESTONES = ("notice_deadline", "contract_start")
SEARCH_DAYS = 400


class LotPath(StrEnum):
    """A ``ProcurementPath``, or ``current_contract`` when the contract in force suffices."""

    CURRENT_CONTRACT = "current_contract"
    EXTENSION = ProcurementPath.EXTENSION.value
    OPEN_PROCEDURE = ProcurementPath.OPEN_PROCEDURE.value
    SOCIAL_SERVICES = ProcurementPath.SOCIAL_SERVICES.value


def tender_path(regime: Regime) -> LotPath:
    """How a lot of this regime is tendered anew."""
    return LotPath.SOCIAL_SERVICES if regime == Regime.SOCIAL_SERVICES else LotPath.OPEN_PROCEDURE


class ContractTerms(Protocol):
    """What planning reads of a contract: a register row or the database's ``Contract``."""

    @property
    def lot(self) -> str: ...
    @property
    def supplier(self) -> str: ...
    @property
    def starts_on(self) -> date: ...
    @property
    def ends_on(self) -> date: ...
    @property
    def extension_options_total(self) -> int: ...
    @property
    def extension_options_used(self) -> int: ...
    @property
    def extension_months(self) -> int: ...
    @property
    def notice_days(self) -> int: ...


def tender_date(cohort: Cohort) -> date:
    """The day the tender would start: after the go/no-go, else after the sign-up deadline."""
    day = tender_day({m.name: m.on for m in cohort.milestones})
    if day is None:
        raise ValueError(f"cohort {cohort.code} has neither a go_no_go nor a signup_deadline date")
    return day


def tender_day(key_dates: Mapping[str, date]) -> date | None:
    """:func:`tender_date` for a cohort's key dates before it is stored."""
    return key_dates.get("go_no_go") or key_dates.get("signup_deadline")


@dataclass(frozen=True)
class ThresholdCheck:
    """The EU threshold of a regime on a day; ``published`` is False after the last known
    period, when the last known amount stands in until the Commission publishes the next."""

    day: date
    amount: int
    source: str
    published: bool
    known_until: date

    def warning(self) -> str | None:
        if self.published:
            return None
        return (
            f"Voor {short_date(self.day)} zijn nog geen EU-drempelwaarden gepubliceerd (bekend "
            f"tot en met {short_date(self.known_until)}); gerekend is met de laatst bekende "
            f"drempel van {euro(self.amount)}. Controleer die zodra de Europese Commissie de "
            "nieuwe drempels bekendmaakt."
        )


def threshold_on(
    day: date, thresholds: Sequence[Threshold], regime: Regime = Regime.STANDARD
) -> ThresholdCheck:
    """The EU threshold of ``regime`` in force on ``day``; after the last configured period
    the last known amount, marked as not yet published."""
    last = thresholds[-1]
    found = next((period for period in thresholds if period.in_force_on(day)), None)
    if found is None and day > last.until:
        return ThresholdCheck(day, last.amount(regime), last.source, False, last.until)
    if found is None:
        raise ValueError(f"no EU threshold is configured for {day.isoformat()}")
    return ThresholdCheck(day, found.amount(regime), found.source, True, last.until)


def lot_value(
    per_participant_amounts: Mapping[str, Decimal | float],
    cost_codes: Sequence[str],
    participants: int,
    cohorts_including_options: int,
) -> Decimal:
    """The estimated contract value: the lot's per-participant costs for every cohort it may serve.

    The value that decides the procedure includes every option and renewal (Directive
    2014/24/EU art. 5(1)), hence the cohorts including options.
    """
    missing = [code for code in cost_codes if code not in per_participant_amounts]
    if missing:
        raise ValueError(f"no per-participant amount for cost code(s): {', '.join(missing)}")
    per_participant = sum(
        (Decimal(str(per_participant_amounts[code])) for code in cost_codes), Decimal(0)
    )
    return per_participant * participants * cohorts_including_options


@dataclass(frozen=True)
class LotAssessment:
    """A lot valued for a new contract, against the threshold of its regime."""

    lot: Lot
    description: str
    cpv_codes: tuple[str, ...]
    regime: Regime
    participants: int
    cohorts_including_options: int
    value: Decimal
    threshold: ThresholdCheck

    @property
    def above_threshold(self) -> bool:
        return self.value >= self.threshold.amount

    @property
    def consequence(self) -> str:
        """What the value means for the procedure, in Dutch."""
        if not self.above_threshold:
            return (
                "Onder de Europese drempel: een nationale procedure volstaat (Gids "
                "Proportionaliteit); de planning houdt de termijnen van de Europese procedure aan."
            )
        if self.regime == Regime.SOCIAL_SERVICES:
            return (
                "Sociale en andere specifieke diensten boven de drempel: aankondiging op "
                "TenderNed, vrije keuze van procedure met een redelijke termijn "
                "(Aanbestedingswet 2012 art. 2.38-2.39)."
            )
        return (
            "Europese openbare procedure: aankondiging op TenderNed en de wettelijke "
            "minimumtermijn voor inschrijving (Aanbestedingswet 2012 art. 2.71 en 2.74a)."
        )

    @property
    def notes(self) -> tuple[str, ...]:
        value = (
            f"Geraamde waarde {euro(self.value)} ({self.participants} deelnemers, "
            f"{self.cohorts_including_options} lichtingen inclusief opties) tegen de drempel "
            f"van {euro(self.threshold.amount)}: {self.consequence}"
        )
        warning = self.threshold.warning()
        return (value,) if warning is None else (value, warning)


def assess_lot(
    lot_config: LotConfig,
    per_participant_amounts: Mapping[str, Decimal | float],
    participants: int,
    day: date,
    thresholds: Sequence[Threshold],
) -> LotAssessment:
    """The lot valued at ``participants`` per cohort for every cohort a new contract may
    serve, against the threshold of its regime on ``day`` (the publication)."""
    terms = lot_config.new_contract
    cohorts = terms.cohorts_including_options
    regime = lot_config.regime.value
    return LotAssessment(
        lot=lot_config.lot,
        description=lot_config.description,
        cpv_codes=tuple(lot_config.cpv_codes),
        regime=regime,
        participants=participants,
        cohorts_including_options=cohorts,
        value=lot_value(per_participant_amounts, lot_config.cost_codes, participants, cohorts),
        threshold=threshold_on(day, thresholds, regime),
    )


def assess_lots(
    cohort: Cohort,
    procurement: ProcurementConfig,
    per_participant_amounts: Mapping[str, Decimal | float],
) -> list[LotAssessment]:
    """Every lot valued at the largest cohort the steering group allows, on the tender date."""
    return [
        assess_lot(
            lot,
            per_participant_amounts,
            cohort.target_participants_max,
            tender_date(cohort),
            procurement.eu_thresholds,
        )
        for lot in procurement.lots
    ]


@dataclass(frozen=True)
class TenderPlan:
    """A new tender planned forward from its publication, with the regime's tender period."""

    publication: date
    questions_deadline: date
    answers_deadline: date
    tender_deadline: date
    award_decision: date
    standstill_end: date
    signature: date
    contract_start: date
    supplier_ready_on: date
    slack_days: int
    latest_feasible_publication: date | None = None

    @property
    def feasible(self) -> bool:
        return self.slack_days >= 0

    @property
    def milestones(self) -> tuple[tuple[str, date], ...]:
        return tuple((name, getattr(self, name)) for name in TENDER_MILESTONES)


def _forward_plan(
    earliest: date, needed_from: date, rules: ProcurementRules, regime: Regime
) -> TenderPlan:
    publication = next_working_day(earliest)
    tender_deadline = next_working_day(publication + timedelta(days=rules.tender_days(regime)))
    questions_deadline = previous_working_day(
        tender_deadline - timedelta(days=rules.questions_days_before_deadline)
    )
    answers_deadline = previous_working_day(
        tender_deadline - timedelta(days=rules.answers_days_before_deadline)
    )
    award_decision = add_working_days(tender_deadline, rules.evaluation_working_days)
    standstill_end = next_working_day(award_decision + timedelta(days=rules.standstill_days))
    signature = add_working_days(standstill_end, 1)
    ready_on = add_working_days(signature, rules.signature_working_days_before_start)
    return TenderPlan(
        publication=publication,
        questions_deadline=questions_deadline,
        answers_deadline=answers_deadline,
        tender_deadline=tender_deadline,
        award_decision=award_decision,
        standstill_end=standstill_end,
        signature=signature,
        contract_start=needed_from,
        supplier_ready_on=ready_on,
        slack_days=(needed_from - ready_on).days,
    )


def latest_feasible_publication(
    needed_from: date, rules: ProcurementRules, regime: Regime = Regime.STANDARD
) -> date | None:
    """The last working day on which publishing still lets the contract start on ``needed_from``.

    The forward plan only moves later as publication does, so the first feasible day found
    searching backwards is the latest. No plan is shorter than the tender period plus the
    standstill, so the search starts there and looks back at most ``SEARCH_DAYS``.
    """
    shortest = rules.tender_days(regime) + rules.standstill_days
    for back in range(shortest, SEARCH_DAYS + 1):
        day = needed_from - timedelta(days=back)
        if is_working_day(day) and _forward_plan(day, needed_from, rules, regime).feasible:
            return day
    return None


def plan_tender(
    needed_from: date,
    earliest_publication: date,
    rules: ProcurementRules,
    regime: Regime = Regime.STANDARD,
) -> TenderPlan:
    """A new tender published as early as allowed, for a contract starting ``needed_from``."""
    plan = _forward_plan(earliest_publication, needed_from, rules, regime)
    latest = latest_feasible_publication(needed_from, rules, regime)
    return replace(plan, latest_feasible_publication=latest)


@dataclass(frozen=True)
class ExtensionPlan:
    """Using extension options so that a contract runs until the need ends."""

    supplier: str
    options_used: int
    options_left_after: int
    first_option: int  # the number of the contract's first option this cohort uses
    options_total: int
    decision_date: date
    notice_deadline: date
    contract_start: date
    new_end: date

    @property
    def milestones(self) -> tuple[tuple[str, date], ...]:
        return tuple((name, getattr(self, name)) for name in EXTENSION_MILESTONES)


@dataclass(frozen=True)
class ExtensionRefusal:
    """Why a contract cannot be extended to cover the need."""

    supplier: str
    reason: str


def plan_extension(
    contract: ContractTerms,
    needed_from: date,
    needed_until: date,
    as_of: date,
    rules: ProcurementRules,
) -> ExtensionPlan | ExtensionRefusal:
    """Extend ``contract`` for the cohort that needs it from ``needed_from`` to
    ``needed_until``, or say why not.

    An option covers one further cohort: it extends the term by ``extension_months``, or to the
    end of that cohort's need when that lies later (a training year of 12 months and a week
    never burns two options). Options for cohorts in between are used first, one each.
    """
    supplier, ends_on, months = contract.supplier, contract.ends_on, contract.extension_months
    left = contract.extension_options_total - contract.extension_options_used
    if left <= 0 or months <= 0:
        return ExtensionRefusal(
            supplier, f"het contract met {supplier} heeft geen verlengingsoptie meer"
        )
    needed = 1
    while ends_on + relativedelta(months=needed * months) < needed_from:
        needed += 1  # the cohorts between now and this one each take an option
    if needed > left:
        return ExtensionRefusal(
            supplier,
            f"het contract met {supplier} loopt af op {short_date(ends_on)}; de behoefte van "
            f"deze lichting begint op {short_date(needed_from)}, waarvoor {needed} "
            f"verlengingsopties van {months} maanden nodig zijn, maar het contract heeft er "
            f"nog maar {left}",
        )
    notice_deadline = previous_working_day(ends_on - timedelta(days=contract.notice_days))
    if as_of > notice_deadline:
        return ExtensionRefusal(
            supplier,
            f"de uiterste datum om {supplier} te laten weten dat het contract wordt verlengd, "
            f"was {short_date(notice_deadline)}",
        )
    return ExtensionPlan(
        supplier=supplier,
        options_used=needed,
        options_left_after=left - needed,
        first_option=contract.extension_options_used + 1,
        options_total=contract.extension_options_total,
        decision_date=add_working_days(
            notice_deadline, -rules.extension_decision_working_days_before_notice
        ),
        notice_deadline=notice_deadline,
        contract_start=ends_on + timedelta(days=1),
        new_end=max(ends_on + relativedelta(months=needed * months), needed_until),
    )


@dataclass(frozen=True)
class LotPlan:
    """How one lot is procured for one cohort, with the milestones the team must meet."""

    lot: Lot
    path: LotPath
    needed_from: date
    needed_until: date
    feasible: bool
    milestones: tuple[tuple[str, date], ...] = ()
    notes: tuple[str, ...] = ()
    supplier: str | None = None
    decision_date: date | None = None
    extension: ExtensionPlan | None = None
    tender: TenderPlan | None = None


def _options_note(
    who: str, left: int, needed_from: date, rules: ProcurementRules, regime: Regime
) -> str:
    """How many further cohorts the options left cover; with none left, a year ahead, when
    the next cohort's new tender must be published."""
    if left > 0:
        return (
            f"{who[:1].upper()}{who[1:]} heeft na deze lichting nog "
            f"{counted(left, 'verlengingsoptie', 'verlengingsopties')}: genoeg voor "
            f"{counted(left, 'volgende lichting', 'volgende lichtingen')}."
        )
    next_from = needed_from + relativedelta(years=1)
    latest = latest_feasible_publication(next_from, rules, regime)
    when = (
        f"; om het contract op {short_date(next_from)} te laten ingaan moet die uiterlijk "
        f"{short_date(latest)} worden gepubliceerd"
        if latest is not None
        else ""
    )
    return (
        f"Let op: {who} heeft na deze lichting geen verlengingsoptie meer; voor de volgende "
        f"lichting is een nieuwe aanbesteding nodig ({PATH_LABELS[tender_path(regime)]}){when}."
    )


def plan_lot(
    lot_config: LotConfig,
    contracts: Iterable[ContractTerms],
    key_dates: Mapping[str, date],
    as_of: date,
    earliest_publication: date,
    rules: ProcurementRules,
    assessment: LotAssessment,
    reserved: Sequence[Reservation] = (),
) -> LotPlan:
    """Keep, extend or tender: the first path that covers the cohort's need for the lot.

    A contract qualifies when it has started by ``needed_from`` and has not ended before
    ``as_of``; an extension continues it from the day after its current end, so a contract
    ending before ``needed_from`` can still be extended. A new tender follows the lot's regime
    and is never published before ``as_of``; ``assessment`` (its value against the threshold)
    is told with it. ``reserved``: the options earlier cohorts have planned on the lot's
    contract and not yet recorded; this cohort plans after them.
    """
    needed_from = lot_config.needed_from.on(key_dates)
    needed_until = lot_config.needed_until.on(key_dates)
    if needed_until <= needed_from:
        raise ValueError(
            f"lot {lot_config.lot}: needed_until {needed_until} is not after {needed_from}"
        )
    regime = lot_config.regime.value
    base = LotPlan(lot_config.lot, tender_path(regime), needed_from, needed_until, False)
    register = reserved_register(contracts, lot_config.lot, reserved)
    candidates = _candidates(register, lot_config.lot, needed_from, as_of)
    for contract in candidates:
        if contract.ends_on >= needed_until:
            left = contract.extension_options_total - contract.extension_options_used
            options = _options_note(
                f"het contract met {contract.supplier}", left, needed_from, rules, regime
            )
            return _keep(contract, base, [*_reserved_note(contract), options])
    refusals = []
    for contract in candidates:
        outcome = plan_extension(contract, needed_from, needed_until, as_of, rules)
        if isinstance(outcome, ExtensionPlan):
            options = _options_note(
                f"het contract met {outcome.supplier}",
                outcome.options_left_after,
                needed_from,
                rules,
                regime,
            )
            return _extend(outcome, as_of, base, [*_reserved_note(contract), options])
        refusals.append(f"Geen verlenging: {outcome.reason}.")
    publish_from = max(earliest_publication, as_of)
    plan = plan_tender(needed_from, publish_from, rules, regime)
    left = lot_config.new_contract.extension_options
    notes = [
        *refusals,
        *(note for contract in candidates for note in _reserved_note(contract)),
        *assessment.notes,
        *_tender_notes(plan),
        _options_note("het nieuwe contract", left, needed_from, rules, regime),
    ]
    return replace(
        base, feasible=plan.feasible, milestones=plan.milestones, notes=tuple(notes), tender=plan
    )


@dataclass(frozen=True)
class Reservation:
    """Extension options of a lot's contract that an earlier cohort's plan uses but that are
    not yet recorded: reserved for that cohort, so no later cohort plans the same option."""

    cohort: str
    options: int
    until: date  # the end that cohort's extension gives the contract


@dataclass(frozen=True)
class ReservedTerms:
    """A contract as a later cohort must plan with it: extended to the end the earlier
    cohorts' reservations give it, their options counted as used."""

    lot: str
    supplier: str
    starts_on: date
    ends_on: date
    extension_options_total: int
    extension_options_used: int
    extension_months: int
    notice_days: int
    reserved: tuple[Reservation, ...]
    recorded_end: date  # where the contract ends as recorded, before the reservations

    @classmethod
    def of(cls, contract: ContractTerms, reserved: Sequence[Reservation]) -> ReservedTerms:
        return cls(
            lot=contract.lot,
            supplier=contract.supplier,
            starts_on=contract.starts_on,
            ends_on=max([contract.ends_on, *(r.until for r in reserved)]),
            extension_options_total=contract.extension_options_total,
            extension_options_used=contract.extension_options_used
            + sum(r.options for r in reserved),
            extension_months=contract.extension_months,
            notice_days=contract.notice_days,
            reserved=tuple(reserved),
            recorded_end=contract.ends_on,
        )

    def note(self) -> str:
        """Which options earlier cohorts hold and that their extensions come first (Dutch)."""
        first = self.extension_options_used - sum(r.options for r in self.reserved) + 1
        held = []
        for r in self.reserved:
            held.append(
                f"{_options(first, r.options)} voor lichting {r.cohort} "
                f"(tot en met {short_date(r.until)})"
            )
            first += r.options
        return (
            f"Gereserveerd voor een eerdere lichting, gepland maar nog niet vastgelegd: "
            f"{listed(held)}. Zonder die verlenging loopt het contract met {self.supplier} tot "
            f"en met {short_date(self.recorded_end)}; die gaat dus voor."
        )


def reserved_register(
    contracts: Iterable[ContractTerms], lot: Lot, reserved: Sequence[Reservation]
) -> list[ContractTerms]:
    """``contracts`` with the lot's current contract (the latest to end, the one an extension
    prolongs) seen through the earlier cohorts' reservations."""
    register = list(contracts)
    of_lot = [contract for contract in register if contract.lot == lot]
    if not reserved or not of_lot:
        return register
    current = max(of_lot, key=lambda contract: contract.ends_on)
    return [ReservedTerms.of(c, reserved) if c is current else c for c in register]


def _options(first: int, count: int) -> str:
    """``optie 2``, ``opties 1 en 2``: a contract's options by number (Dutch)."""
    numbers = [str(n) for n in range(first, first + count)]
    return f"{'optie' if count == 1 else 'opties'} {listed(numbers)}"


def _reserved_note(contract: ContractTerms) -> list[str]:
    return [contract.note()] if isinstance(contract, ReservedTerms) else []


def _candidates(
    contracts: Iterable[ContractTerms], lot: Lot, needed_from: date, as_of: date
) -> list[ContractTerms]:
    """The lot's contracts that started by ``needed_from`` and still run; latest end first."""
    running = [
        contract
        for contract in contracts
        if contract.lot == lot and contract.starts_on <= needed_from and contract.ends_on >= as_of
    ]
    return sorted(running, key=lambda contract: contract.ends_on, reverse=True)


def _keep(contract: ContractTerms, base: LotPlan, more: Sequence[str]) -> LotPlan:
    notes = [
        f"Het contract met {contract.supplier} loopt tot en met {short_date(contract.ends_on)} "
        f"en dekt de periode van {short_date(base.needed_from)} tot en met "
        f"{short_date(base.needed_until)}; er hoeft niets te worden aanbesteed.",
        *more,
    ]
    return replace(
        base,
        path=LotPath.CURRENT_CONTRACT,
        feasible=True,
        notes=tuple(notes),
        supplier=contract.supplier,
    )


def _extend(plan: ExtensionPlan, as_of: date, base: LotPlan, more: Sequence[str]) -> LotPlan:
    notes = [
        f"Verleng het contract met {plan.supplier} met "
        f"{counted(plan.options_used, 'optie', 'opties')} "
        f"({_options(plan.first_option, plan.options_used)} van {plan.options_total}) tot en met "
        f"{short_date(plan.new_end)}: de stuurgroep besluit uiterlijk "
        f"{short_date(plan.decision_date)}, de leverancier krijgt uiterlijk "
        f"{short_date(plan.notice_deadline)} bericht."
    ]
    if as_of > plan.decision_date:
        notes.append(
            f"De besluitdatum {short_date(plan.decision_date)} is verstreken; de stuurgroep moet "
            f"besluiten vóór {short_date(plan.notice_deadline)}, de uiterste datum waarop de "
            "leverancier bericht krijgt."
        )
    notes.extend(more)
    return replace(
        base,
        path=LotPath.EXTENSION,
        feasible=True,
        milestones=plan.milestones,
        notes=tuple(notes),
        supplier=plan.supplier,
        decision_date=plan.decision_date,
        extension=plan,
    )


def _tender_notes(plan: TenderPlan) -> list[str]:
    latest = plan.latest_feasible_publication
    publish = f"Publiceer op {short_date(plan.publication)}"
    if plan.feasible:
        if latest is None:
            return [f"{publish}."]
        return [f"{publish}; de uiterste haalbare publicatiedatum is {short_date(latest)}."]
    late = (
        f"Niet haalbaar: bij publicatie op {short_date(plan.publication)} is de leverancier pas "
        f"klaar op {short_date(plan.supplier_ready_on)}, "
        f"{counted(-plan.slack_days, 'dag', 'dagen')} nadat het "
        f"contract moet ingaan op {short_date(plan.contract_start)}."
    )
    if latest is None:
        return [
            late,
            f"Geen enkele publicatiedatum binnen {SEARCH_DAYS} dagen vóór de ingangsdatum "
            "is haalbaar.",
        ]
    return [late, f"De uiterste haalbare publicatiedatum was {short_date(latest)}."]


def timeline_rows(plans: Iterable[LotPlan]) -> list[dict[str, str]]:
    """One row per milestone of every lot that needs action, for a table or an artifact."""
    return [
        {"lot": plan.lot.value, "path": plan.path.value, "milestone": name, "date": day.isoformat()}
        for plan in plans
        for name, day in plan.milestones
    ]

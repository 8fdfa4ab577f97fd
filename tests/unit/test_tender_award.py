"""The checks an award passes before it is recorded: the go, the budget and its margin, and
the period the contract covers against the period the lot is needed."""

from datetime import date
from decimal import Decimal

from rvg.tendering.award import (
    AwardCheck,
    TenderAward,
    award_markdown,
    award_question,
    award_refusals,
    award_warnings,
)

# The demo's training award: EUR 390,000 against a budget of EUR 232,200 for 27 participants,
# for 1 September 2027 to 31 August 2028, while the lot is needed from eight weeks before the
# training start (6 September 2027) to 372 days after it.
AWARD = TenderAward(
    supplier="Opleidingsinstituut Ruimtelijk Vakmanschap B.V.",
    value_eur=Decimal(390000),
    starts_on=date(2027, 9, 1),
    ends_on=date(2028, 8, 31),
    extension_options=2,
    decided_by="Stuurgroep",
)
CHECK = AwardCheck(
    lot="training",
    description="Opleiding en talentcoaching",
    extension=False,
    budget_eur=Decimal(232200),
    margin_percent=10,
    needed_from=date(2027, 7, 12),
    needed_until=date(2028, 9, 12),
    go_on=date(2026, 11, 12),
    decided_on=date(2027, 1, 6),
)


def test_an_award_far_over_budget_needs_its_reason():
    (problem,) = award_refusals(AWARD, CHECK)
    assert "lies more than 10% above the business case's budget of EUR 232,200" in problem
    explained = AWARD.model_copy(update={"over_budget_reason": "Alle inschrijvingen hoger."})
    assert award_refusals(explained, CHECK) == []
    # within the margin no reason is asked: 232,200 + 10% = 255,420
    assert award_refusals(AWARD.model_copy(update={"value_eur": Decimal(255420)}), CHECK) == []
    assert award_refusals(AWARD.model_copy(update={"value_eur": Decimal(255421)}), CHECK)
    # without a business case there is no budget to hold it against
    assert award_refusals(AWARD, CHECK.model_copy(update={"budget_eur": None})) == []


def test_a_decision_before_the_go_needs_the_steering_groups_explicit_risk():
    within = AWARD.model_copy(update={"value_eur": Decimal(230000)})
    for go_on in (None, date(2026, 11, 12)):
        early = CHECK.model_copy(update={"go_on": go_on, "decided_on": date(2026, 9, 18)})
        (problem,) = award_refusals(within, early)
        assert "falls before the go" in problem and "risk_before_go_accepted" in problem
        taken = within.model_copy(update={"risk_before_go_accepted": True})
        assert award_refusals(taken, early) == []
        assert "De go is nog niet gegeven" in award_question(early)
    assert award_refusals(within, CHECK) == []
    assert "De go is nog niet gegeven" not in award_question(CHECK)


def test_a_contract_that_misses_part_of_the_lots_need_is_warned_about():
    (coverage,) = award_warnings(AWARD, CHECK)
    assert coverage == (
        "Het contract loopt van 01-09-2027 tot en met 31-08-2028, maar het perceel is nodig "
        "van 12-07-2027 tot en met 12-09-2028: de 51 dagen ervoor en de 12 dagen erna zijn "
        "niet gedekt."
    )
    whole = AWARD.model_copy(update={"starts_on": date(2027, 7, 12), "ends_on": date(2028, 9, 30)})
    assert award_warnings(whole, CHECK) == []
    # an extension covers from the start of the contract it prolongs
    extension = CHECK.model_copy(update={"extension": True, "covered_from": date(2023, 9, 1)})
    prolonged = AWARD.model_copy(update={"ends_on": date(2028, 9, 12), "extension_options": 0})
    assert award_warnings(prolonged, extension) == []


def test_the_artifact_shows_budget_award_difference_and_the_go():
    text = award_markdown(AWARD.model_copy(update={"over_budget_reason": "Markt."}), CHECK)
    assert "| Budget in de business case | € 232.200 |" in text
    assert "| Waarde van de gunning | € 390.000 |" in text
    assert "| Verschil | +€ 157.800 (68%) |" in text
    assert "| Go van de lichting | 12-11-2026 |" in text
    assert "Reden van de waarde boven het budget: Markt." in text
    early = CHECK.model_copy(update={"go_on": None, "decided_on": date(2026, 9, 18)})
    assert "nog niet gegeven — besluit vóór de go, de stuurgroep neemt het risico" in (
        award_markdown(AWARD, early)
    )

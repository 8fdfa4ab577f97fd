"""What a cohort actually cost: invoices imported once with every bad row named, and the
redesign's actual cost per participant from invoices and awards, not the budget."""

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import func, select

from rvg.business_case.costing import load_cost_model
from rvg.imports.invoices import import_invoices
from rvg.models import Cohort, Invoice
from rvg.redesign.collect import actuals_for
from rvg.redesign.rules import findings, load_rules
from rvg.repositories.placements import create_placements
from tests.utils.applicants import MOMENT, add_applicants
from tests.utils.cli import run_rvg
from tests.utils.config_files import REAL_CONFIG
from tests.utils.costs import award_training, business_case_of
from tests.utils.flows import cohort_in

AT = datetime(2028, 9, 20, tzinfo=UTC)
HEADER = "supplier;date;amount;description;lot\n"


def _write(path, text):
    path.write_text(HEADER + text, encoding="utf-8")
    return path


def _placed_with_training_award(session, *, placed: int):
    """Cohort 2027 with its business case (27 planned), training awarded at EUR 390,000
    (the demo's award), and ``placed`` placements at Tilburg."""
    cohort_in(session.get_bind())
    cohort = session.scalar(select(Cohort))
    case, procurement = business_case_of(session, cohort)
    award_training(session, cohort, AT)
    refs = [f"P{n:02d}" for n in range(placed)]
    add_applicants(session, cohort, refs)
    create_placements(
        cohort,
        {"ro": dict.fromkeys(refs, "GM0855")},
        session=session,
        starts_on=date(2027, 9, 6),
        matched_on=MOMENT.date(),
    )
    return cohort, case, procurement


def test_invoices_are_imported_once_and_every_bad_row_is_named(session, tmp_path):
    cohort_in(session.get_bind())
    good = (
        "Werving & Selectie Zuid B.V.;15-03-2027;60.000,00;Campagne;recruitment_selection\n"
        "Provinciehuis;2027-09-06;1250,50;Catering eerste blok;\n"
        "Academie B.V.;01-10-2027;€ 130.000;Opleiding termijn 1;Opleiding en talentcoaching\n"
    )
    bad = (
        "Academie B.V.;01-11-2027;nan;Termijn 2;training\n"
        "Academie B.V.;01-12-2027;=1+1;Termijn 3;training\n"
        "Academie B.V.;31-02-2027;100;Termijn 4;training\n"
        "Academie B.V.;01-12-2027;-500;Creditnota;training\n"
        ";01-12-2027;100;Zonder leverancier;\n"
        "Academie B.V.;01-12-2027;100;Termijn 5;catering\n"
    )
    path = _write(tmp_path / "facturen.csv", good + bad)
    first = import_invoices(path, "2027", session=session, at=AT)
    assert first.tally.line() == "imported=3 updated=0 unchanged=0 rejected=6"
    reasons = [r.reason for r in first.rejections]
    assert reasons[0].startswith("row 5, field 'amount': 'nan' is not an amount in euros")
    assert "row 6, field 'amount': '=1+1'" in reasons[1]
    assert "row 7, field 'date'" in reasons[2]
    assert "row 8, field 'amount': '-500'" in reasons[3]
    assert "row 9, field 'supplier': is required" in reasons[4]
    assert "row 10, field 'lot': 'catering' is not a lot" in reasons[5]
    amounts = session.scalars(select(Invoice.amount_eur).order_by(Invoice.invoiced_on)).all()
    assert amounts == [Decimal("60000.00"), Decimal("1250.50"), Decimal("130000.00")]

    again = import_invoices(_write(tmp_path / "opnieuw.csv", good), "2027", session=session, at=AT)
    assert again.tally.line() == "imported=0 updated=0 unchanged=3 rejected=0"
    assert session.scalar(select(func.count()).select_from(Invoice)) == 3


def test_the_actual_cost_per_participant_comes_from_awards_and_invoices(session, tmp_path):
    """The demo's case: training awarded at EUR 390,000 against a budget of EUR 232,200 for
    27; the actual total over the placements raises the cost finding, which the budget
    divided by the placements never did."""
    cohort, case, procurement = _placed_with_training_award(session, placed=27)
    invoices = "Werving & Selectie Zuid B.V.;15-03-2027;100.000;Werving;recruitment_selection\n"
    import_invoices(_write(tmp_path / "f.csv", invoices), "2027", session=session, at=AT)

    actuals = actuals_for(cohort, procurement.lots, session=session)
    lines = {line.label: line for line in actuals.cost_lines}
    training = lines["Opleiding en talentcoaching"]
    assert (training.budget, training.actual, training.basis) == (
        Decimal(232200),
        Decimal(390000),
        "award",
    )
    recruitment = lines["Werving & selectie"]
    assert (recruitment.budget, recruitment.actual, recruitment.basis) == (
        Decimal(118800),
        Decimal(100000),
        "invoices",
    )
    other = next(line for label, line in lines.items() if label.startswith("Overige"))
    assert other.basis == "budget" and other.actual == other.budget
    total = sum(line.actual for line in actuals.cost_lines)
    assert total == case.total_cost - 232200 - 118800 + 390000 + 100000
    assert actuals.cost_per_participant_actual == (total / 27).quantize(Decimal("0.01"))
    assert actuals.cost_per_participant_planned == Decimal(18500)

    [tilburg] = actuals.contributions
    assert (tilburg.organisation, tilburg.placements) == ("Tilburg", 27)
    assert tilburg.amount == case.contribution_per_participant * 27

    found = {f.code: f for f in findings(actuals, load_rules(REAL_CONFIG / "redesign.yaml"))}
    assert "Opleiding en talentcoaching, € 390.000 (gunning) tegen € 232.200" in (
        found["cost"].finding
    )


def test_the_business_case_report_shows_budget_against_actual_once_awarded(session, tmp_path):
    """`rvg business-case` as the team reruns it in the year: without an award or invoice the
    report has no actuals table (budgets standing in say nothing); after the award it has."""
    cohort_in(session.get_bind())
    cohort = session.scalar(select(Cohort))
    business_case_of(session, cohort)
    session.commit()
    url = session.get_bind().url.render_as_string(hide_password=False)

    def report(out: str) -> tuple[str, str]:
        folder = tmp_path / out
        result = run_rvg(
            "business-case", "--cohort", "2027", "--out", str(folder), database_url=url
        )
        assert result.returncode == 0, result.stderr
        return (
            (folder / "business_case.html").read_text(encoding="utf-8"),
            (folder / "business_case.md").read_text(encoding="utf-8"),
        )

    html, markdown = report("voor")
    assert "Begroot tegenover werkelijk" not in html + markdown
    award_training(session, cohort, AT)
    session.commit()
    html, markdown = report("na")
    assert "<h2>Begroot tegenover werkelijk, per kostenpost</h2>" in html
    row = (
        '<th scope="row">Opleiding en talentcoaching</th><td class="num">€ 232.200</td>'
        '<td class="num">€ 390.000</td><td>gunning</td>'
    )
    assert row in html
    assert "| Opleiding en talentcoaching | € 232.200 | € 390.000 | gunning |" in markdown


def test_a_bigger_cohort_is_compared_at_its_size_and_the_funding_gap_is_shown(session):
    """The demo's case: 30 placed against 27 planned, training awarded at EUR 390,000. At 30
    the business case costs EUR 17,950 per participant, not 18,500; the contributions (30 x
    18,500) and no co-funding leave a gap that the redesign names."""
    cohort, case, procurement = _placed_with_training_award(session, placed=30)

    actuals = actuals_for(cohort, procurement.lots, session=session)
    assert case.planned_participants == 27 and actuals.placements == 30
    training = next(line for line in actuals.cost_lines if line.label.startswith("Opleiding"))
    assert (training.budget, training.size) == (Decimal(8600 * 30), 30)  # 7,100 + 1,500 each
    assert actuals.cost_per_participant_at_size == Decimal("17950.00")
    actual_total = Decimal(17950 * 30) - 8600 * 30 + 390000
    assert actuals.cost_per_participant_actual == (actual_total / 30).quantize(Decimal("0.01"))
    money = actuals.funding
    assert money is not None
    assert (money.actual_cost, money.contributions, money.cofunding) == (
        actual_total,
        case.contribution_per_participant * 30,
        Decimal(0),
    )
    assert money.gap == actual_total - 18500 * 30 == Decimal(115500)

    found = {f.code: f for f in findings(actuals, load_rules(REAL_CONFIG / "redesign.yaml"))}
    assert "hoger uit dan in de business case bij dezelfde omvang" in found["cost"].finding
    assert "tegen € 17.950 bij 30 deelnemers" in found["cost"].finding
    assert "dekken € 115.500 van de werkelijke kosten" in found["funding"].finding
    assert "cofunding_per_cohort" in found["funding"].action


def test_the_next_cohort_is_priced_on_what_each_cost_line_really_cost(session, tmp_path):
    """Training awarded at EUR 390,000 against EUR 232,200 and recruitment invoiced at
    EUR 100,000 against EUR 118,800: the next cohort's training and recruitment items are
    scaled by those ratios, the rest keeps the estimate, and the report says so."""
    from rvg.business_case.actuals import revised_model
    from rvg.business_case.costing import cohort_cost
    from rvg.redesign.report import RedesignFigures, cost_note

    cohort, _, procurement = _placed_with_training_award(session, placed=27)
    invoices = "Werving & Selectie Zuid B.V.;15-03-2027;100.000;Werving;recruitment_selection\n"
    import_invoices(_write(tmp_path / "f.csv", invoices), "2027", session=session, at=AT)
    actuals = actuals_for(cohort, procurement.lots, session=session)
    model = load_cost_model(REAL_CONFIG / "costs.yaml")
    revised, revisions = revised_model(model, actuals.cost_lines, "2027")

    amounts, old = revised.per_participant_amounts(), model.per_participant_amounts()
    training = Decimal(390000) / Decimal(232200)
    for code in ("training_programme", "talent_coaching"):
        assert amounts[code] == (Decimal(str(old[code])) * training).quantize(Decimal("0.01"))
    assert amounts["assessment"] < old["assessment"]  # recruitment came in below budget
    assert {code for code in old if amounts[code] != old[code]} == {
        "training_programme",
        "talent_coaching",
        "recruitment_selection",
        "assessment",
    }
    item = next(i for i in revised.per_participant if i.code == "training_programme")
    assert item.source.endswith("Herzien naar de werkelijke kosten van lichting 2027: × 1,680.")
    # at 27 the revised model costs what the cohort actually cost (to the cent per item)
    total = sum(line.actual for line in actuals.cost_lines)
    assert abs(cohort_cost(revised, 27).total - total) < 10
    assert cohort_cost(revised, 27).per_participant > cohort_cost(model, 27).per_participant

    figures = RedesignFigures(
        cohort_name=cohort.name,
        as_of=date(2028, 10, 1),
        actuals=actuals,
        findings=[],
        proposal={},
        next_cost=cohort_cost(revised, 27),
        cost_revisions=revisions,
    )
    assert cost_note(figures) == (
        "Geprijsd op de werkelijke kosten van lichting 2027, niet op de oude raming: "
        "Werving & selectie × 0,84 (facturen); Opleiding en talentcoaching × 1,68 (gunning). "
        "Regels zonder werkelijk bedrag houden de raming."
    )


def test_an_accepted_proposal_gives_the_next_cohort_the_revised_costs(session, tmp_path):
    """Adopting the proposal creates the next cohort whose own costs.yaml carries the training
    and recruitment items revised to what 2027 paid; adopting it again changes nothing."""
    from rvg.redesign.service import adopt_proposal, draw_up
    from rvg.settings import Settings
    from rvg.unit import unit

    cohort_in_db, _, _ = _placed_with_training_award(session, placed=27)
    session.commit()
    url = session.get_bind().url.render_as_string(hide_password=False)
    settings = Settings(database_url=url, output_dir=tmp_path / "out")
    decided = date(2027, 12, 6)  # at the month-3 survey: the next cohort is 2028
    for _ in range(2):
        with unit(cohort_in_db.code, settings=settings) as u:
            adopted = adopt_proposal(u, draw_up(u, decided), decided)
    assert (adopted.code, adopted.outcome, adopted.rules_version) == ("2028", "unchanged", 1)
    with unit("2028", settings=settings) as u:
        costs = u.config.costs.per_participant_amounts()
        assert min(m.on for m in u.cohort.milestones) >= decided
    old = load_cost_model(REAL_CONFIG / "costs.yaml").per_participant_amounts()
    ratio = Decimal(390000) / Decimal(232200)
    assert costs["training_programme"] == (
        Decimal(str(old["training_programme"])) * ratio
    ).quantize(Decimal("0.01"))
    assert costs["recruitment_selection"] == old["recruitment_selection"]  # no actual yet

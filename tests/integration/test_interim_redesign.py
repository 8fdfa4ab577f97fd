"""The interim redesign after the month-3 and month-6 rounds, and a redesign of a next cohort
that runs already: it offers only the changes that cohort can still take."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rvg.db import make_sessionmaker, session_scope
from rvg.errors import UserError
from rvg.models import Decision
from rvg.redesign import service
from rvg.redesign.decision import RedesignDecision
from rvg.redesign.revision import FIXED_BY
from rvg.settings import Settings
from rvg.unit import unit
from tests.utils.applicants import placed_cohort
from tests.utils.flows import cohort_in, next_cohort_file

M03_CLOSES = date(2027, 12, 20)  # 2027's month-3 round: 6 December + 14 days
BOARD = "Stuurgroep"


@pytest.fixture
def settings(engine, tmp_path, monkeypatch) -> Settings:
    placed_cohort(engine, ["P1", "P2"])
    url = engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("RVG_DATABASE_URL", url)
    monkeypatch.setenv("RVG_OUTPUT_DIR", str(tmp_path / "out"))
    monkeypatch.setenv("RVG_DATA_DIR", str(tmp_path / "data"))
    return Settings(database_url=url, output_dir=tmp_path / "out", data_dir=tmp_path / "data")


def _cohort_2028(settings: Settings) -> dict[str, date]:
    with unit("2028", settings=settings) as u:
        return {m.name: m.on for m in u.cohort.milestones}


def test_an_interim_redesign_comes_after_its_round_has_closed(settings):
    with unit("2027", settings=settings) as u:
        with pytest.raises(UserError, match="after that round closes on 2027-12-20"):
            service.draw_up(u, M03_CLOSES, "m03")
        with pytest.raises(UserError, match="interim_after names m03, m06"):
            service.draw_up(u, date(2028, 10, 1), "m12")
        # the evaluation's progress names it once the round has closed, until it is decided
        assert service.interim_due(u, ["m03"]) == ["m03"]
        assert service.interim_due(u, []) == []


@pytest.mark.prefect
def test_an_interim_proposal_after_m03_creates_the_next_cohort_before_its_business_case(
    engine, prefect_api_url, settings
):
    from flows.redesign import redesign

    day = M03_CLOSES + timedelta(days=1)
    accepted = RedesignDecision(accepted=True, lessons="Eerder werven.", decided_by=BOARD)
    summary = redesign(cohort="2027", as_of=day, stage="m03", decision=accepted)

    assert (summary.stage, summary.next_cohort, summary.decision) == ("m03", "2028", "accepted")
    assert not summary.revises
    dates = _cohort_2028(settings)
    # the next business case is still to be decided, every date lies ahead of the proposal,
    # and the training starts in its usual September week
    assert min(dates.values()) == dates["business_case_decision"] > day
    assert dates["training_start"] == date(2028, 9, 4)
    # nobody signed up in this database: the lesson opens the sign-up four weeks earlier
    # than the lead times alone would (a week after the business case at the earliest)
    assert dates["signup_opens"] == dates["business_case_decision"] + timedelta(days=7)
    with Session(engine) as session:
        kinds = [(d.kind, d.outcome) for d in session.scalars(select(Decision))]
    assert ("redesign:m03", "accepted") in kinds
    assert ("phase_completed", "completed") not in kinds  # the cycle goes on
    page = (settings.output_dir / "2027" / "redesign-m03.html").read_text(encoding="utf-8")
    assert "Tussentijds herontwerp Ruimte voor Groei, lichting 2027 (na ronde m03)" in page
    assert "les: te weinig aanmeldingen, de aanmelding opent 4 weken eerder" in page
    assert "geschoven tot na de dag van het voorstel" in page
    assert "een jaar (52 weken) na lichting 2027, op dezelfde weekdag" in page  # the start
    assert "Omvang: de 2 plaatsingen van deze lichting" in page
    assert "<h2>Werving: trechter en doorlooptijd</h2>" in page
    assert (settings.output_dir / "2027" / "next-cohort-2028-m03.yaml").is_file()

    # m06: 2028 runs already; the same redesign (restarted) changes nothing again
    again = redesign(cohort="2027", as_of=day + timedelta(days=1), stage="m03")
    assert again.decision == "accepted" and _cohort_2028(settings) == dates
    six = redesign(
        cohort="2027",
        as_of=date(2028, 3, 21),
        stage="m06",
        decision=RedesignDecision(accepted=False, decided_by=BOARD),
    )
    assert six.revises and six.next_cohort == "2028" and six.decision == "rejected"
    # by March 2028 its business case, sign-up and go/no-go have passed
    assert six.changes_open == 0
    assert _cohort_2028(settings) == dates


def _running_2028(engine, tmp_path) -> None:
    cohort_in(engine, "2028", next_cohort_file(tmp_path))


def _open_steps(settings: Settings, day: date) -> list[tuple[str, bool, str]]:
    with unit("2027", settings=settings) as u:
        drawn = service.draw_up(u, day)
    return [(c.subject, c.open, c.reason) for c in drawn.figures.changes]


def test_a_redesign_offers_a_running_cohort_only_what_it_can_still_change(
    engine, tmp_path, settings
):
    """2028 exists (52 weeks after 2027). On every Monday from 2027's matching to after its
    year, what the redesign offers lies ahead of the step that fixes it, and everything
    else it would change is listed as fixed, with the step."""
    _running_2028(engine, tmp_path)
    with unit("2028", settings=settings) as u:
        steps = {name: u.cohort.milestone(step) for name, step in FIXED_BY.items()}
    day, seen = date(2027, 6, 28), set()
    while day <= date(2028, 10, 2):
        for subject, still, reason in _open_steps(settings, day):
            fixed_on = steps[subject]
            assert still == (fixed_on > day), (day, subject)
            assert reason.startswith("kan nog tot" if still else "vast sinds"), reason
            seen.add((subject, still))
        day += timedelta(weeks=4)
    # the size (to the go), the sign-up (the lesson) and the costs were offered and then fixed
    assert {("size", True), ("size", False), ("signup_opens", True)} <= seen


def _training_awarded_2027(engine) -> None:
    """2027's business case, and its training awarded at EUR 390,000 (the demo's award): the
    redesign prices the next cohort higher."""
    from rvg import clock
    from rvg.models import Cohort
    from tests.utils.costs import award_training, business_case_of

    with session_scope(make_sessionmaker(engine)) as session:
        cohort = session.scalar(select(Cohort).where(Cohort.code == "2027"))
        business_case_of(session, cohort)
        award_training(session, cohort, clock.utcnow(date(2027, 3, 1)))


def test_accepting_applies_the_open_changes_and_keeps_what_is_fixed(engine, tmp_path, settings):
    _running_2028(engine, tmp_path)
    _training_awarded_2027(engine)
    before = _cohort_2028(settings)
    day = date(2027, 7, 5)  # 2028's business case day has passed; its sign-up is ahead
    with unit("2027", settings=settings) as u:
        drawn = service.draw_up(u, day)
        changes = {c.subject: c for c in drawn.figures.changes}
        assert changes["size"].open and changes["signup_opens"].open
        assert not changes["costs"].open
        assert changes["costs"].reason == (
            "vast sinds het besluit over de business case op 24 juni 2027"
        )
        versions = len(u.cohort.rule_sets)
        adopted = service.adopt_proposal(u, drawn, day)
    assert adopted.outcome == "updated"
    after = _cohort_2028(settings)
    assert after["signup_opens"] == before["signup_opens"] - timedelta(weeks=4)
    assert {k: v for k, v in after.items() if k != "signup_opens"} == {
        k: v for k, v in before.items() if k != "signup_opens"
    }
    with unit("2028", settings=settings) as u:
        assert (u.cohort.target_participants_min, u.cohort.target_participants_max) == (12, 14)
        # the budget was fixed: 2028 keeps its own costs, so its rules gain no version
        assert len(u.cohort.rule_sets) == 1 == versions
        assert "Herzien naar de werkelijke kosten" not in u.rule_set(u.cohort).files["costs.yaml"]


def test_a_decision_taken_early_fixes_what_it_decides(engine, tmp_path, settings):
    """2028's go/no-go taken on 6 July 2027, months before its day: the size is fixed."""
    from rvg import clock
    from rvg.models import Cohort
    from rvg.phases import Phase
    from rvg.repositories.decisions import record_decision

    _running_2028(engine, tmp_path)
    with session_scope(make_sessionmaker(engine)) as session:
        cohort = session.scalar(select(Cohort).where(Cohort.code == "2028"))
        record_decision(
            cohort,
            Phase.COMMITMENTS,
            session=session,
            kind="go_no_go",
            outcome="go",
            decided_by=BOARD,
            decided_at=clock.utcnow(date(2027, 7, 6)),
        )
    steps = {s: (still, reason) for s, still, reason in _open_steps(settings, date(2027, 7, 7))}
    assert steps["size"] == (False, "vast sinds de go/no-go op 6 juli 2027")
    assert steps["signup_opens"][0] is True  # its own step is still ahead


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_command_line_refuses_an_interim_redesign_that_is_not_due(engine, settings):
    from tests.utils.cli import plain, run_rvg

    url = settings.database_url
    early = run_rvg(
        "run",
        "redesign",
        "--cohort",
        "2027",
        "--stage",
        "m03",
        "--as-of",
        "2027-12-01",
        database_url=url,
    )
    assert early.returncode != 0 and "Traceback" not in early.stderr
    assert "comes after that round closes on 2027-12-20" in plain(early.stderr)
    wrong = run_rvg("run", "evaluation", "--cohort", "2027", "--stage", "m03", database_url=url)
    assert wrong.returncode != 0 and "only the redesign has interim stages" in plain(wrong.stderr)

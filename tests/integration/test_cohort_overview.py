"""The overview artifact per cohort: figures and milestones from the database, and in the
Prefect UI the decision a run waits for, with the link to that run."""

import re
import threading
import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from rvg.business_case.decision import BusinessCaseDecision
from rvg.db import make_sessionmaker, session_scope
from rvg.models import Cohort
from rvg.overview import Pending, artifact_key, cohort_overview, overview_markdown
from rvg.phases import Phase
from rvg.repositories.cohorts import mark_phase_completed
from rvg.repositories.decisions import record_decision
from rvg.settings import Settings
from rvg.unit import unit
from tests.utils.applicants import placed_cohort
from tests.utils.flows import cohort_in, next_cohort_file

ZONE = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def settings(engine, tmp_path, monkeypatch) -> Settings:
    url = engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("RVG_DATABASE_URL", url)
    monkeypatch.setenv("RVG_OUTPUT_DIR", str(tmp_path / "out"))
    return Settings(database_url=url, output_dir=tmp_path / "out", data_dir=tmp_path / "data")


def test_the_overview_shows_phases_decisions_figures_and_the_next_milestones(engine, settings):
    placed_cohort(engine, ["P1", "P2"])
    with session_scope(make_sessionmaker(engine)) as session:
        cohort = session.scalar(select(Cohort))
        for phase in list(Phase)[:5]:
            mark_phase_completed(
                cohort, phase, session=session, at=datetime(2027, 6, 24, tzinfo=ZONE)
            )
        record_decision(
            cohort,
            Phase.COMMITMENTS,
            session=session,
            kind="go_no_go",
            outcome="go",
            decided_by="Stuurgroep | voorzitter",
            decided_at=datetime(2026, 11, 12, 10, tzinfo=ZONE),
        )
    with unit("2027", settings=settings) as u:
        overview = cohort_overview(u, date(2027, 11, 1))
    waiting = Pending("redesign-2027-m03", "http://ui.example/runs/flow-run/abc")
    text = overview_markdown(overview, [waiting])

    assert text.startswith("# Overzicht Ruimte voor Groei, lichting 2027\n")
    assert "- Lopend: opleidingsjaar, evaluatie" in text
    assert "- Klaar: business case, aanmelding organisaties, aanbesteding, werving" in text
    assert "- [redesign-2027-m03](http://ui.example/runs/flow-run/abc)" in text
    # who decided, escaped for the table; the day in the programme's zone
    assert "| Go/no-go | go | Stuurgroep \\| voorzitter | 12 november 2026 |" in text
    assert "| Plaatsingen | 2 |" in text and "| Respons enquêtes | onbekend |" in text
    # the month-3 survey (6 December) and the m06 and m12 rounds: the next three after 1 Nov
    assert "- 6 december 2027: Enquête m03 open" in text
    assert text.count("Enquête m") == 3
    assert (
        artifact_key("2027") == "cohort-2027" and artifact_key("Zuid 2028!") == "cohort-zuid-2028"
    )


def _latest(api, key: str) -> str:  # type: ignore[no-untyped-def]
    found = sorted(api.artifacts(key), key=lambda a: a["created"])
    return str(found[-1]["data"]) if found else ""


@pytest.mark.prefect
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_two_cohort_overview_names_the_pending_decision_and_its_run(
    engine, tmp_path, prefect_api_url, settings
):
    from prefect.flow_runs import resume_flow_run

    from flows.business_case import business_case
    from flows.daily import daily_tick
    from tests.utils.prefect_server import PrefectApi

    cohort_in(engine)
    cohort_in(engine, "2028", next_cohort_file(tmp_path))
    api = PrefectApi(prefect_api_url)
    result: dict[str, object] = {}
    runner = threading.Thread(
        target=lambda: result.update(
            state=business_case(cohort="2028", as_of=date(2027, 6, 24), return_state=True)
        )
    )
    runner.start()
    key, deadline, text = artifact_key("2028"), time.monotonic() + 120, ""
    while "/runs/flow-run/" not in text and time.monotonic() < deadline:
        time.sleep(0.5)
        text = _latest(api, key)
    link = re.search(r"\[business-case-2028\]\(\S+/runs/flow-run/([0-9a-f-]{36})\)", text)
    assert link, text
    run_id = link[1]
    assert api.flow_run(run_id)["name"] == "business-case-2028"
    assert "cohort:2028" in api.flow_run(run_id)["tags"]

    time.sleep(1)  # the run reaches its paused state after the overview was written
    resume_flow_run(
        run_id,
        run_input=BusinessCaseDecision(
            approved=True,
            min_participants=20,
            max_participants=34,
            comment="Akkoord.",
            decided_by="Stuurgroep",
        ).model_dump(),
    )
    runner.join(timeout=120)
    assert not runner.is_alive()
    after = _latest(api, key)
    assert run_id not in after  # decided: no longer waiting
    assert "| Business case | approved | Stuurgroep | 24 juni 2027 |" in after

    daily_tick(as_of=date(2027, 6, 25))  # refreshes every live cohort's overview (without
    # deployments to start, it only warns)
    assert "# Overzicht Ruimte voor Groei, lichting 2027" in _latest(api, artifact_key("2027"))
    assert "Stand van 25 juni 2027." in _latest(api, key)
    programme = _latest(api, "programme")
    assert (
        "| Ruimte voor Groei, lichting 2028 |" in programme
        and "## Gedeelde contracten" in programme
    )
    assert "programme/kalender.svg" in programme  # the picture the tick drew, linked
    assert (settings.output_dir / "programme" / "kalender.png").is_file()


def test_the_programme_overview_shows_cohorts_contracts_and_people_in_two_cohorts(
    engine, tmp_path, settings
):
    """History beside the live cohorts, the shared contracts with their options (one planned
    by 2028, not yet recorded), and Tilburg's buddy serving a participant of each cohort."""
    from rvg.models import Applicant, Contact, Placement, Tender
    from rvg.overview import programme_markdown, programme_overview
    from rvg.programme import create_cohort
    from rvg.repositories.tenders import sync_contracts
    from rvg.tendering.config import load_procurement
    from tests.utils.applicants import add_applicants
    from tests.utils.config_files import BEFORE_2027, REAL_CONFIG

    placed_cohort(engine, ["P1"])
    cohort_in(engine, "2028", next_cohort_file(tmp_path))
    procurement = load_procurement(REAL_CONFIG / "contracts.yaml")
    with session_scope(make_sessionmaker(engine)) as session:
        create_cohort(
            "1",
            REAL_CONFIG / "history" / "1.yaml",
            REAL_CONFIG,
            session=session,
            as_of=BEFORE_2027,
            history=True,
        )
        sync_contracts(procurement.contracts, session=session)
        first, second = session.scalars(
            select(Cohort).where(Cohort.code.in_(["2027", "2028"])).order_by(Cohort.code)
        ).all()
        session.add(
            Tender(
                cohort_id=second.id,
                lot="recruitment_selection",
                path="extension",
                status="planned",
                extension_options_planned=1,
                extension_until_planned=date(2028, 12, 31),
            )
        )
        add_applicants(session, second, ["Q1"])
        placed = session.scalar(select(Placement).where(Placement.cohort_id == first.id))
        applicant = session.scalar(select(Applicant).where(Applicant.applicant_ref == "Q1"))
        session.add(
            Placement(
                cohort_id=second.id,
                applicant_id=applicant.id,
                organisation_id=placed.organisation_id,
                track_code="ro",
                buddy_contact_id=placed.buddy_contact_id,
                starts_on=date(2028, 9, 4),
            )
        )
        lots = {lot.lot.value: lot.description for lot in procurement.lots}
        overview = programme_overview(session, ZONE, lots, date(2027, 10, 1))
        buddy = session.get(Contact, placed.buddy_contact_id)
        assert buddy is not None
        buddy_name = buddy.name
    text = programme_markdown(overview, "out/programme/kalender.svg")

    assert (
        "| Ruimte voor Groei, lichting 1 | 249 | – | 31 | 8,0 | gepubliceerd | historie |" in text
    )
    assert "| Ruimte voor Groei, lichting 2027 | 1 | – | 1 |" in text
    assert "opleidingsjaar, evaluatie" not in text  # 2027 has completed no phase here
    recruitment = next(line for line in text.splitlines() if line.startswith("| Werving"))
    assert "| 1 voor 2028 |" in recruitment
    # people in two cohorts by organisation and role, never by name
    assert "| Tilburg | buddy | 2027, 2028 | 2 |" in text
    assert buddy_name not in text
    assert "[out/programme/kalender.svg](out/programme/kalender.svg)" in text


@pytest.mark.prefect
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_run_whose_overview_cannot_be_written_still_completes(engine, prefect_api_url, settings):
    """The overview is a by-product: an unknown cohort (or a database that fails) leaves a
    warning in the run's log, not a failed run."""
    from prefect import flow

    from flows._overview import refresh_overview
    from tests.utils.prefect_server import PrefectApi

    @flow(name="overview-by-product")
    def work() -> str:
        refresh_overview("9999", date(2027, 6, 24))
        return "done"

    state = work(return_state=True)
    assert state.is_completed() and state.result() == "done"
    api, deadline, logs = PrefectApi(prefect_api_url), time.monotonic() + 30, ""
    while "was not refreshed" not in logs and time.monotonic() < deadline:
        time.sleep(0.5)
        logs = api.flow_run_logs(str(state.state_details.flow_run_id))
    assert "The overview of cohort 9999 was not refreshed" in logs

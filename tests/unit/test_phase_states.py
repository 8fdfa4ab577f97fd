"""Phases overlap: what runs follows from the phases done and the cohort's key dates."""

from datetime import date

from rvg.cycle import phase_states
from rvg.phases import Phase

KEY_DATES = {
    "business_case_decision": date(2026, 6, 25),
    "signup_opens": date(2026, 9, 7),
    "recruitment_opens": date(2027, 3, 1),
    "training_start": date(2027, 9, 6),
}


def test_after_the_business_case_commitments_and_tendering_run_side_by_side():
    done = {Phase.BUSINESS_CASE: date(2026, 6, 25)}
    early = phase_states(done, KEY_DATES, date(2026, 7, 1))
    assert early.running == (Phase.TENDERING,)
    assert early.ahead == ((Phase.COMMITMENTS, date(2026, 9, 7)),)
    later = phase_states(done, KEY_DATES, date(2026, 9, 7))
    assert later.running == (Phase.COMMITMENTS, Phase.TENDERING)
    assert later.line() == "running: commitments, tendering; done: business-case"


def test_the_evaluation_runs_beside_the_training_year_and_a_finished_cohort_is_all_done():
    done = dict.fromkeys(list(Phase)[: list(Phase).index(Phase.MATCHING) + 1], date(2027, 6, 21))
    year = phase_states(done, KEY_DATES, date(2027, 10, 1))
    assert year.running == (Phase.TRAINING_YEAR, Phase.EVALUATION)
    finished = phase_states(dict.fromkeys(Phase, date(2028, 9, 30)), KEY_DATES, date(2028, 10, 1))
    assert (finished.running, finished.ahead, finished.line()) == ((), (), "all done")

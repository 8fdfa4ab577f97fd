"""The demo's closing figures count every run: task runs reach the server as events a moment
after they happen, so ``count_runs`` reads until the counts settle."""

from datetime import timedelta

import pytest

pytestmark = pytest.mark.prefect


def test_counts_are_exact_right_after_the_runs(prefect_api_url):
    from prefect import flow, task

    from rvg import clock
    from tasks.cycle import count_runs

    @task
    def step(number: int) -> int:
        return number

    @flow
    def inner() -> int:
        return sum(step(n) for n in range(3))

    @flow
    def outer() -> int:
        return sum(step(n) for n in range(7)) + inner()

    since = clock.utcnow() - timedelta(seconds=1)
    assert outer() == 21 + 3
    # Two flow runs; 7 + 3 task runs and the one that stands for the subflow in its parent.
    assert count_runs(since) == (2, 11)

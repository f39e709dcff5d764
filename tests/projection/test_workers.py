"""Tests of forecasting.projection.workers: the helper thread of prepare, or none on one CPU."""

from __future__ import annotations

import threading

import pytest

from forecasting.projection.workers import InlineExecutor, helper_pool, usable_cpus


def test_one_thread_runs_each_task_at_once_on_the_calling_thread():
    seen: list[str] = []
    with helper_pool(1) as pool:
        assert isinstance(pool, InlineExecutor)
        first = pool.submit(lambda: seen.append("a") or threading.current_thread().name)
        seen.append("b")  # after the task: it ran at submit
    assert seen == ["a", "b"] and first.result() == threading.current_thread().name


def test_two_threads_run_the_tasks_on_one_helper_thread_in_order():
    with helper_pool(2) as pool:
        names = [pool.submit(lambda: threading.current_thread().name) for _ in range(3)]
        order: list[int] = []
        done = [pool.submit(order.append, i) for i in range(5)]
        for future in done:
            future.result()
    assert {future.result() for future in names} != {threading.current_thread().name}
    assert len({future.result() for future in names}) == 1 and order == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("threads", [1, 2])
def test_a_task_error_is_raised_by_result(threads):
    def fail() -> None:
        raise ValueError("boom")

    with helper_pool(threads) as pool:
        future = pool.submit(fail)
        with pytest.raises(ValueError, match="boom"):
            future.result()


def test_the_default_follows_the_usable_cpus():
    assert usable_cpus() >= 1
    with helper_pool() as pool:
        assert isinstance(pool, InlineExecutor) == (usable_cpus() < 2)

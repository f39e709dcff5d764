"""A helper thread for `prepare`: one more thread where the process may use two CPUs, none on one CPU."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

# prepare's work has two strands (the largest side's fit, everything else), so a second CPU is all it can use.
MAX_THREADS = 2


def usable_cpus() -> int:
    """Return how many CPUs this process may run on (its affinity where the platform says, else os.cpu_count())."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


class InlineExecutor(Executor):
    """An executor that runs each task at once on the calling thread (one CPU: the same work, in sequence)."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        """Run fn now and return its finished future (its exception kept for result(), as a pool would)."""
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as error:  # noqa: BLE001 - handed to the caller by result(), as a thread pool does
            future.set_exception(error)
        return future


@contextmanager
def helper_pool(threads: int | None = None) -> Iterator[Executor]:
    """Yield an executor of one helper thread when `threads` (default: the usable CPUs, at most 2) is 2 or more.

    Tasks run in the order submitted, one at a time; on leaving, tasks not started are cancelled and the running
    one is waited for (an error of the caller's is not left with work still going on behind it).
    """
    threads = min(MAX_THREADS, usable_cpus()) if threads is None else threads
    if threads < 2:
        yield InlineExecutor()
        return
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare")
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)

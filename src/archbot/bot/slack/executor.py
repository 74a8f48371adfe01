"""The executor behind Bolt's lazy listeners: a fixed pool and a bounded queue, never an unbounded one.

Bolt submits every slow job (answer, review) to `listener_executor`. `AdmissionExecutor` admits at most
`workers + queue` of them at once; past that, a job runs at once on a small overflow pool with
`overloaded()` true, so the job tells its user "busy, try again in a minute" in milliseconds instead of
joining a queue that only grows. Acknowledgements never wait on either pool (Bolt runs them on the
request thread).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

# Threads that only post "busy" replies; a reply is one Web API call, so two keep up with any burst.
OVERFLOW_WORKERS = 2

_state = threading.local()


def overloaded() -> bool:
    """True inside a job that arrived when every worker and queue slot was taken."""
    return bool(getattr(_state, "overloaded", False))


def _run_overloaded(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    _state.overloaded = True
    try:
        return fn(*args, **kwargs)
    finally:
        _state.overloaded = False


class AdmissionExecutor(Executor):
    def __init__(self, workers: int, queue: int) -> None:
        self.workers = max(1, workers)
        self.capacity = self.workers + max(0, queue)
        self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="archbot-slack")
        self._overflow = ThreadPoolExecutor(OVERFLOW_WORKERS, thread_name_prefix="archbot-busy")
        self._slots = threading.BoundedSemaphore(self.capacity)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        if not self._slots.acquire(blocking=False):
            return self._overflow.submit(_run_overloaded, fn, *args, **kwargs)
        try:
            future = self._pool.submit(fn, *args, **kwargs)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _: self._slots.release())
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)
        self._overflow.shutdown(wait=wait, cancel_futures=cancel_futures)

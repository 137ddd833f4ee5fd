"""Follow-up work a request causes (review requests written, a Home tab refreshed), run off the request's thread.

A request served over HTTP holds its follow-ups until its answer is written: started at commit, they
would share the worker's interpreter — and SQLite's one writer — with the answer Slack is waiting
for (it gives up after 3 seconds). Requests still being answered go first in the same way: a
follow-up waits to start while any Slack request is in flight, up to ``yield_for`` seconds, so a
burst of requests cannot starve it. Where nothing holds them (Socket Mode, the clock) follow-ups
start at once. A follow-up failing is logged, never raised; whatever must happen regardless also has
a clock job behind it (e.g. review requests whose follow-up never ran).
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable, Iterator

log = logging.getLogger("ladder.background")

Work = tuple[Callable[..., None], tuple[Any, ...]]
_held: ContextVar[list[Work] | None] = ContextVar("ladder_held_follow_ups", default=None)


class FollowUps:
    def __init__(self, workers: int = 2, yield_for: float = 0.25) -> None:
        self._workers = workers
        self._yield_for = yield_for
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._pending: set[Future[None]] = set()
        self._in_flight = 0
        self._closed = False

    def run(self, work: Callable[..., None], *args: Any) -> None:
        """Run ``work(*args)`` in the background: now, or once the answer of the request asking for it is written."""
        held = _held.get()
        if held is not None:
            held.append((work, args))
        else:
            self._submit([(work, args)])

    @contextmanager
    def holding(self) -> Iterator[Callable[[], None]]:
        """Follow-ups asked for inside are held; call the returned ``release`` once the answer is written.

        While held (inside, and until released) the request counts as in flight: follow-ups wait for it."""
        held: list[Work] = []
        released = threading.Event()
        with self._lock:
            self._in_flight += 1

        def release() -> None:
            if released.is_set():
                return
            released.set()
            with self._changed:
                self._in_flight -= 1
                self._changed.notify_all()
            self._submit(held)

        token = _held.set(held)
        try:
            yield release
        except BaseException:
            release()
            raise
        finally:
            _held.reset(token)

    def wait(self, timeout: float = 10.0) -> None:
        """Until every follow-up asked for so far, held ones included, has finished (tests; shutting down)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            self._changed.wait_for(lambda: self._in_flight == 0, timeout=timeout)
            pending = list(self._pending)
        wait(pending, timeout=max(0.0, deadline - time.monotonic()))

    def close(self, timeout: float = 10.0) -> None:
        """Shut down once the requests in flight have released their follow-ups and those have run; one released
        later still (its answer took longer than ``timeout`` to write) runs on the releasing thread, never lost."""
        self.wait(timeout)
        with self._lock:
            self._closed = True
            executor = self._executor
        if executor is not None:
            executor.shutdown(wait=True)

    def _submit(self, works: list[Work]) -> None:
        if not works:
            return
        with self._lock:
            closed = self._closed
            if not closed and self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="ladder-background")
            if not closed:
                assert self._executor is not None
                for work, args in works:
                    self._pending.add(self._executor.submit(self._run, work, args))
                self._pending = {f for f in self._pending if not f.done()}
        if closed:
            for work, args in works:
                self._run(work, args)

    def _run(self, work: Callable[..., None], args: tuple[Any, ...]) -> None:
        with self._changed:
            self._changed.wait_for(lambda: self._in_flight == 0, timeout=self._yield_for)
        try:
            work(*args)
        except Exception:  # noqa: BLE001 - follow-ups are best effort; the cause goes to the log
            log.exception("background work failed")

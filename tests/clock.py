"""Time under the test's control: the app reads it, the test moves it. Nothing waits for real time."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class TestClock:
    __test__ = False  # not a test class, whatever pytest thinks of the name

    def __init__(self, start: datetime) -> None:
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = moment.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._now += delta

    def timestamp(self) -> float:
        return self().timestamp()

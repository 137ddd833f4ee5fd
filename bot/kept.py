"""What one process keeps of each organisation's framework: the framework itself (:mod:`bot.runtime.frameworks`), its
question answerer (:mod:`bot.careers`) and its pages (:mod:`messages.pages`), each made when first asked for.

One size for all three, :data:`KEPT_PER_PROCESS`, large enough that 1,000 organisations asking at once do not make
them over and over. Measured on the shipped framework (22 KB of YAML): a framework ≈ 31 KB, an answerer (its search
index) ≈ 190 KB, an organisation's pages before any is shown ≈ 200 KB — so ≈ 0.4 MB an organisation, ≈ 430 MB for
1,024 organisations that all asked lately (a larger framework takes more).

Something made is made outside the lock (an answerer takes a while to build, and no other organisation waits for it),
once however many threads ask for it at the same time (single flight: the others wait for that one).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Generic, Hashable, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

KEPT_PER_PROCESS = 1024


class _Flight(Generic[V]):
    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: V | None = None
        self.error: BaseException | None = None


class Kept(Generic[K, V]):
    """The ``size`` values asked for most recently, by key; one made at a time per key, none while the lock is held."""

    def __init__(self, size: int = KEPT_PER_PROCESS) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._flights: dict[K, _Flight[V]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: K, make: Callable[[], V], *, still: Callable[[V], bool] = lambda _: True) -> V:
        """The value kept for ``key`` if ``still`` holds of it, else ``make()``'s (kept from then on)."""
        with self._lock:
            found = self._items.get(key)
            if found is not None and still(found):
                self._items.move_to_end(key)
                return found
            flight = self._flights.get(key)
            leader = flight is None
            if flight is None:
                flight = self._flights[key] = _Flight()
        if not leader:
            flight.done.wait()
            if flight.error is not None:
                raise flight.error
            assert flight.value is not None
            if still(flight.value):
                return flight.value
            return self.get(key, make, still=still)  # made for another object under a reused key: make this one's
        try:
            value = make()
        except BaseException as exc:
            flight.error = exc
            with self._lock:
                self._flights.pop(key, None)
            flight.done.set()
            raise
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            self._flights.pop(key, None)
        flight.value = value
        flight.done.set()
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

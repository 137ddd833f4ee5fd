"""Python's cyclic garbage collector paused while an audit builds tens of thousands of small objects (rows, facts,
counts), none of them in a reference cycle: each collection pass would walk them all again for nothing (about 40% of
the report's time on 10,000 people, bench/bench_fairness.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off for the block, back as it was afterwards (on as well when the block raises)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()

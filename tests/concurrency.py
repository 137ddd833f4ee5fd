"""Requests that reach the app at the same instant, as double clicks and two people clicking at once do.

Each request is sent from its own thread, all of them held at a barrier until every thread is ready, so they
arrive together and the app handles them concurrently (the test server answers each on a thread of its own).
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Sequence, TypeVar

from sqlmodel import Session, select

from storage.models import AuditEvent

T = TypeVar("T")


def at_once(*calls: Callable[[], T]) -> list[T]:
    """Run every call at the same instant, each on its own thread; their results in order (a failure is raised)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    failures: list[BaseException] = []

    def run(index: int, call: Callable[[], T]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread below
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if failures:
        raise failures[0]
    assert not any(t.is_alive() for t in threads), "a request never finished"
    return results


def audit_actions(engine: Any, *, kind: str | None = None, object_id: int | None = None) -> list[str]:
    """The audit trail's actions in the order they were written (optionally about one object)."""
    with Session(engine) as session:
        query = select(AuditEvent).order_by(AuditEvent.id)
        if kind is not None:
            query = query.where(AuditEvent.object_kind == kind)
        if object_id is not None:
            query = query.where(AuditEvent.object_id == object_id)
        return [event.action for event in session.exec(query)]


def counts(actions: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for action in actions:
        found[action] = found.get(action, 0) + 1
    return found

"""One unit of work per Slack request or clock job: one session, committed or rolled back as a whole.

Everything a request changes — a check-in, the schedule it moves, the outbox message it causes —
is written in one transaction, so a crash leaves either all of it or none of it.

A unit of work that writes holds what it reads to decide: on SQLite its transaction takes the write lock
before its first read (``BEGIN IMMEDIATE``), so two such units run one after the other; on PostgreSQL the
rows it reads to decide are locked (:func:`storage.repositories.held.held`) and inserts that race meet a
unique key. One that only reads (``reads_only=True``) reads a snapshot, waits for no writer, and cannot write.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Callable, Iterator

from sqlalchemy import Engine
from sqlmodel import Session

from storage.engine import reading

log = logging.getLogger("ladder.storage")


class UnitOfWork:
    def __init__(self, engine: Engine, *, reads_only: bool = False) -> None:
        self._engine = reading(engine) if reads_only else engine
        self.reads_only = reads_only
        self._session: Session | None = None
        self._after_commit: list[Callable[[], None]] = []

    @property
    def session(self) -> Session:
        """Opened on first use: a request that never touches the database (most questions) costs nothing here."""
        if self._session is None:
            self._session = Session(self._engine, expire_on_commit=False)
        return self._session

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run ``action`` once this work is committed (e.g. wake the outbox sender); never if it is rolled back."""
        self._after_commit.append(action)

    def commit(self) -> None:
        if self._session is not None:
            self._session.commit()
        actions, self._after_commit = self._after_commit, []
        for action in actions:
            try:
                action()
            except Exception:  # noqa: BLE001 - the work is committed; an action (waking the sender, replacing a button's message) failing must not undo or hide that
                log.exception("an after-commit action failed")

    def rollback(self) -> None:
        self._after_commit.clear()
        if self._session is not None:
            self._session.rollback()

    def close(self) -> None:
        if self._session is not None:
            self._session.close()


@contextmanager
def unit_of_work(engine: Engine, *, reads_only: bool = False) -> Iterator[UnitOfWork]:
    work = UnitOfWork(engine, reads_only=reads_only)
    try:
        yield work
        work.commit()
    except BaseException:
        work.rollback()
        raise
    finally:
        work.close()

"""The outbox senders' heartbeats: which processes send now, judged by the database's clock, never a host's.

Each process running senders (every ``ladder serve`` worker, the clock while it holds its lease) writes its row every
few seconds; the live ones — seen within ``live_within`` by the database's clock — share each workspace's Slack rate
limits (:class:`bot.runtime.pacing.Pacer`). A process that stops deletes its row; one that died stops counting once
its row is older than ``live_within``, and rows far older are deleted by the next beat. Times are the database's own,
as :mod:`storage.repositories.clock_lease` computes them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from storage.models import SenderHeartbeat

FORGET_AFTER = timedelta(hours=1)
"""A row not refreshed for this long belongs to a process long gone: the next beat deletes it."""


class SenderHeartbeats:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._dialect = session.get_bind().dialect.name

    def beat(self, process: str, *, live_within: timedelta) -> int:
        """``process`` sends now (its row's time is the database's now); returns how many processes are live — seen
        within ``live_within`` by the database's clock, this one included. Three statements, every few seconds."""
        now = self._database_now()
        insert = pg_insert if self._dialect == "postgresql" else sqlite_insert
        self._session.execute(
            insert(SenderHeartbeat)
            .values(process=process, seen_at=now)
            .on_conflict_do_update(index_elements=["process"], set_={"seen_at": now})
        )
        self._session.execute(delete(SenderHeartbeat).where(col(SenderHeartbeat.seen_at) < self._database_now(-FORGET_AFTER)))
        return max(1, self.live(live_within))

    def live(self, live_within: timedelta) -> int:
        """How many processes were seen within ``live_within`` by the database's clock."""
        count = select(func.count()).select_from(SenderHeartbeat)
        count = count.where(col(SenderHeartbeat.seen_at) >= self._database_now(-live_within))
        return int(self._session.execute(count).scalar() or 0)

    def stop(self, process: str) -> None:
        """``process`` sends no more: the others take its share at their next beat."""
        self._session.execute(delete(SenderHeartbeat).where(col(SenderHeartbeat.process) == process))

    def _database_now(self, plus: timedelta = timedelta(0)) -> ColumnElement[Any]:
        """The database's current time (plus ``plus``), comparable with ``seen_at`` (as the clock's lease does it: on
        SQLite in the text form the column is stored in, to the millisecond)."""
        if self._dialect == "sqlite":
            return func.strftime("%Y-%m-%d %H:%M:%f000", "now", f"{plus.total_seconds():+.3f} seconds")
        return func.now() + plus

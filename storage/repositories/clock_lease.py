"""The clock's lease: which process runs the clock, until when — judged by the database's clock, never a host's.

Every time the lease is taken, renewed or found lapsed is the database's own time, computed in the statement that
decides it, so hosts whose clocks disagree by minutes still agree on who holds it. On SQLite that is
``strftime('%Y-%m-%d %H:%M:%f000', 'now')``: UTC to the millisecond, written in the very text form SQLAlchemy stores
the column in (``CURRENT_TIMESTAMP`` has whole seconds only), so comparing the stored text compares the times. On
PostgreSQL it is ``now()``, the start of the transaction: never later than the statement, so a lease is written to
last no longer than asked and is found lapsed no sooner than it did.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from storage.models import ClockLease


class ClockLeases:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._dialect = session.get_bind().dialect.name

    def take(self, name: str, holder: str, ttl: timedelta) -> bool:
        """Take the lease, or renew it for ``holder``, for ``ttl`` from the database's now; False while another holder's
        lease has not lapsed by the database's clock."""
        expires = self.database_now(ttl)
        renewed = self._session.execute(
            update(ClockLease)
            .where(col(ClockLease.name) == name)
            .where((col(ClockLease.holder) == holder) | (col(ClockLease.expires_at) < self.database_now()))
            .values(holder=holder, expires_at=expires)
            .returning(col(ClockLease.name))
        ).first()
        if renewed is not None:
            return True
        insert = pg_insert if self._dialect == "postgresql" else sqlite_insert
        inserted = self._session.execute(
            insert(ClockLease)
            .values(name=name, holder=holder, expires_at=expires)
            .on_conflict_do_nothing(index_elements=["name"])
            .returning(col(ClockLease.name))
        ).first()
        return inserted is not None

    def release(self, name: str, holder: str) -> None:
        self._session.execute(delete(ClockLease).where(col(ClockLease.name) == name, col(ClockLease.holder) == holder))

    def holder(self, name: str) -> str | None:
        found = self._session.get(ClockLease, name)
        return found.holder if found else None

    def remaining(self, name: str) -> timedelta | None:
        """How long the lease has left by the database's clock (negative once lapsed); None when nobody holds it."""
        if self._dialect == "sqlite":
            left = (func.julianday(ClockLease.expires_at) - func.julianday("now")) * 86400.0
        else:
            left = func.extract("epoch", ClockLease.expires_at - func.now())
        seconds = self._session.execute(select(left).where(col(ClockLease.name) == name)).scalar()
        return None if seconds is None else timedelta(seconds=float(seconds))

    def database_now(self, plus: timedelta = timedelta(0)) -> ColumnElement[Any]:
        """The database's current time (plus ``plus``) as SQL, comparable with the lease's ``expires_at``."""
        if self._dialect == "sqlite":
            return func.strftime("%Y-%m-%d %H:%M:%f000", "now", f"{plus.total_seconds():+.3f} seconds")
        return func.now() + plus

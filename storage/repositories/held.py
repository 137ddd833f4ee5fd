"""Reads that decide a write: the rows they return are held until the unit of work ends.

Two requests acting on the same thing at once (two gives of one opportunity, a score and the chair's
decision on one nomination) must act one after the other, each on what the other left. On SQLite a unit
of work that writes holds the database's write lock from its first statement (:mod:`storage.engine`); on
PostgreSQL such a read takes ``FOR UPDATE`` on its rows, so the second waits for the first to commit and
then reads what it wrote. In a unit of work that only reads, nothing is locked.
"""

from __future__ import annotations

from typing import TypeVar

import sqlalchemy
from sqlmodel import Session
from sqlmodel.sql.expression import Select, SelectOfScalar

from storage.engine import reads_only

Query = TypeVar("Query", Select, SelectOfScalar, sqlalchemy.Select)  # SQLModel's selects (for exec) and SQLAlchemy's


def held(session: Session, query: Query) -> Query:
    """``query`` locking what it reads until the unit of work ends, when the unit of work writes.

    The rows are read again even if this session loaded them before (``populate_existing``): what was read before
    the lock was taken may be what another request has changed since.
    """
    if reads_only(session.get_bind()):
        return query
    return query.with_for_update().execution_options(populate_existing=True)

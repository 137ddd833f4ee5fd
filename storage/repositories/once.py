"""Insert a row unless its unique key exists: one statement, inside the caller's transaction.

``INSERT … ON CONFLICT DO NOTHING`` on both databases, rather than a savepoint around an insert that may fail:
one statement, and on PostgreSQL a racing insert of the same key waits for the other to commit, then does nothing.
"""

from __future__ import annotations

from typing import Any, Sequence

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, SQLModel


def insert_many_once(
    session: Session, rows: Sequence[SQLModel], unique: Sequence[str], *, returning: str | None = None
) -> list[Any]:
    """Insert every row whose ``unique`` columns are not taken yet, in one statement; with ``returning``, that column
    of each row this statement inserted (a row that was there already is not among them)."""
    if not rows:
        return []
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = [{k: v for k, v in row.model_dump().items() if not (k == "id" and v is None)} for row in rows]
    table = type(rows[0]).__table__  # type: ignore[attr-defined]  # SQLModel declares no __table__; table=True classes have one
    statement = insert(table).values(values).on_conflict_do_nothing(index_elements=list(unique))
    if returning is None:
        session.execute(statement)
        return []
    return list(session.execute(statement.returning(table.c[returning])).scalars())


def insert_once(session: Session, row: SQLModel, unique: Sequence[str]) -> bool:
    """Insert ``row`` (its defaults applied) unless a row with the same ``unique`` columns exists; True if inserted."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = {k: v for k, v in row.model_dump().items() if not (k == "id" and v is None)}
    table = type(row).__table__  # type: ignore[attr-defined]  # SQLModel declares no __table__; table=True classes have one
    statement = insert(table).values(**values).on_conflict_do_nothing(index_elements=list(unique)).returning(table.c[unique[0]])
    return session.execute(statement).first() is not None  # (rowcount is not reliable here on every driver: psycopg gives -1)

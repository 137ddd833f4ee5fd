"""Is the database usable by this release? The answer behind /healthz.

"It answers SELECT 1" is not enough: a deleted SQLite file is silently re-created empty, an
unreadable one keeps working through pooled connections, and a database one migration behind
fails only on the first query that needs the new column. So the check reads the schema
revision — for SQLite through a fresh read-only connection to the file on disk — compares it
with the release's head, and never creates anything.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy import Engine, text

from storage.engine import sqlite_path

SCHEMA_HEAD = "0006"
"""The newest Alembic revision this release ships (tests/test_storage.py checks it against Alembic)."""


def schema_problem(engine: Engine, database_url: str) -> str | None:
    """Why the database is not ready for this release, or None when it is. Never raises."""
    path = sqlite_path(database_url)
    try:
        revision = _sqlite_revision(path) if path is not None else _revision(engine)
    except Exception as exc:  # noqa: BLE001 - any failure is an answer: "not healthy", never a 500
        return f"unreachable ({type(exc).__name__})"
    if revision is None:
        return "no schema (run: ladder db upgrade)"
    if revision != SCHEMA_HEAD:
        return f"schema at {revision}, this release needs {SCHEMA_HEAD} (run: ladder db upgrade)"
    return None


def _revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not engine.dialect.has_table(connection, "alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _sqlite_revision(path: Path) -> str | None:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=5)) as connection:
        found = connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()
        if found is None:
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None

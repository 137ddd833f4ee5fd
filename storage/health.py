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

from sqlalchemy import Engine, make_url, text

from storage.engine import sqlite_path
from storage.errors import SchemaNotReady

SCHEMA_HEAD = "0013"
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


def schema_not_ready(engine: Engine, database_url: str) -> SchemaNotReady | None:
    """What to tell a person when the database has no schema, or not this release's; None when it has this release's
    schema, or cannot be read (then whatever needed it fails with its own error). Never raises."""
    path = sqlite_path(database_url)
    where = f"the database at {f'sqlite:///{path}' if path is not None else _without_password(database_url)}"
    if path is not None and not path.exists():
        return SchemaNotReady(f"there is no database at sqlite:///{path}: run `ladder db upgrade`")
    try:
        revision = _sqlite_revision(path) if path is not None else _revision(engine)
    except Exception:  # noqa: BLE001 - unreachable or unreadable: not a question of schema
        return None
    if revision == SCHEMA_HEAD:
        return None
    if revision is None:
        return SchemaNotReady(f"{where} has no schema: run `ladder db upgrade`")
    if revision.isdigit() and int(revision) > int(SCHEMA_HEAD):
        return SchemaNotReady(f"{where} is at revision {revision}, newer than this release's {SCHEMA_HEAD}: run a newer release")
    return SchemaNotReady(f"{where} is at revision {revision}, this release needs {SCHEMA_HEAD}: run `ladder db upgrade`")


def require_schema(engine: Engine, database_url: str) -> None:
    """Raise :class:`SchemaNotReady` unless the database has this release's schema (or cannot be read)."""
    problem = schema_not_ready(engine, database_url)
    if problem is not None:
        raise problem


def _without_password(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - settings checked it; never let describing it fail
        return "DATABASE_URL"


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

"""Databases for tests: a fresh SQLite file, and a fresh PostgreSQL database per test.

PostgreSQL databases get unique names so tests can run in parallel; if the server is down
the tests fail (never skip), because CI must prove storage works on PostgreSQL.
"""

from __future__ import annotations

import os
import uuid
from typing import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from storage.engine import make_engine, normalize_url
from storage.migrate import upgrade

PG_SERVER = (os.environ.get("LADDER_TEST_PG_URL") or "postgresql://postgres@127.0.0.1:5432").rstrip("/")
"""The PostgreSQL server (no database name); each test gets its own database on it."""


def _admin_engine() -> Engine:
    return create_engine(
        normalize_url(f"{PG_SERVER}/postgres"), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )


def _fresh_postgres_database() -> Iterator[str]:
    name = f"ladder_test_{uuid.uuid4().hex}"
    admin = _admin_engine()
    unreachable = None
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except SQLAlchemyError as exc:
        unreachable = getattr(exc, "orig", None) or exc
    if unreachable is not None:  # failed outside the except block, so the report is one line, not a driver traceback
        admin.dispose()
        pytest.fail(
            f"PostgreSQL at {PG_SERVER} is not reachable ({unreachable}); set LADDER_TEST_PG_URL or start it with "
            "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
            pytrace=False,
        )
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"], ids=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """An empty database per test; the test runs once on each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ladder.db'}"
    else:
        yield from _fresh_postgres_database()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """An empty SQLite database for tests that need a database but not both kinds (the app, the CLI)."""
    return f"sqlite:///{tmp_path / 'ladder.db'}"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """The database at the latest schema; disposed before ``database_url`` drops the database."""
    upgrade(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()

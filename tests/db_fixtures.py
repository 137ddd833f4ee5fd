"""Databases for tests: a fresh SQLite file, and a fresh PostgreSQL database per test.

PostgreSQL databases get unique names so tests can run in parallel; if the server is down
the tests fail (never skip), because CI must prove storage works on PostgreSQL.
"""

from __future__ import annotations

import os
import uuid
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from storage.engine import make_engine, normalize_url
from storage.migrate import upgrade

PG_SERVER = os.environ.get("LADDER_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432")


def _admin_engine():
    return create_engine(
        normalize_url(f"{PG_SERVER}/postgres"), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )


def _fresh_postgres_database() -> Iterator[str]:
    name = f"ladder_test_{uuid.uuid4().hex}"
    admin = _admin_engine()
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        pytest.fail(
            f"PostgreSQL at {PG_SERVER} is not reachable ({exc.orig}); start it with "
            "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
        )
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ladder.db'}"
    else:
        yield from _fresh_postgres_database()


@pytest.fixture
def engine(database_url):
    upgrade(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()

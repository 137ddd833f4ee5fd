"""Database engines: SQLite by default, PostgreSQL through DATABASE_URL.

SQLite runs in WAL mode with a busy timeout so a web process and a clock process can share
one file without "database is locked" errors.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event, text


def normalize_url(url: str) -> str:
    """Platforms hand out ``postgres://`` URLs; SQLAlchemy needs the driver named."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str) -> Engine:
    """An engine tuned for the database behind ``url``; connects lazily, so a dead URL fails on first use."""
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})


def _configure_sqlite(connection: Any, _record: Any) -> None:
    """Per-connection settings: SQLite forgets pragmas (except journal_mode) when a connection closes."""
    cursor = connection.cursor()
    for pragma in ("journal_mode=WAL", "busy_timeout=30000", "foreign_keys=ON", "synchronous=NORMAL"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def ping(engine: Engine) -> bool:
    """True when the database answers; never raises, because a health check must answer."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "not healthy", never a 500 from /healthz
        return False

"""Database engines: SQLite by default, PostgreSQL through DATABASE_URL.

SQLite runs in WAL mode with a busy timeout so a web process and a clock process can share
one file without "database is locked" errors. Ladder begins SQLite's transactions itself (pysqlite's own
handling would run a unit of work's reads outside any transaction and begin one only at its first write):
a unit of work that writes begins ``IMMEDIATE``, taking the database's write lock before its first read, so
whatever it decides from what it read still holds when it writes; a reading one (:func:`reading`) begins a
deferred transaction on a snapshot, waits for no writer, and cannot write (``PRAGMA query_only``, set once on
each connection of the readers' own pool: switching it on a shared connection would cost every statement its
prepared form).

A running service opens the file it was migrated into and nothing else: it never creates an empty database in
place of a missing one, and a connection to a file that has since been deleted or replaced is thrown away rather
than written to (its rows would vanish with the old file).
"""

from __future__ import annotations

import os
import re
import sqlite3
import weakref
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.engine.base import OptionEngine
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.pool import QueuePool

from storage.errors import DatabaseUnreachable

READS_ONLY = "ladder_reads_only"
"""Execution option of the engine a reading unit of work runs on (:func:`reading`)."""
_READERS: weakref.WeakKeyDictionary[Engine, Engine] = weakref.WeakKeyDictionary()
"""Each engine made here, and the engine its reading units of work run on."""


def normalize_url(url: str) -> str:
    """Platforms hand out ``postgres://`` URLs; SQLAlchemy needs the driver named."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).resolve()


def make_engine(url: str, *, create_missing: bool = True, migrating: bool = False) -> Engine:
    """An engine tuned for the database behind ``url``; connects lazily, so a dead URL fails on first use.

    With ``create_missing=False`` (the running service) a missing SQLite file is an error, not
    a new empty database. SQL parameters never appear in error messages: they can be HR text.
    A query that meets a missing table or column because the database has no schema, or an older
    one, raises :class:`storage.errors.SchemaNotReady` saying so (except while ``migrating``).
    """
    normalized = normalize_url(url)
    engine = _engine(normalized, create_missing)
    reader = _READERS[engine] = _reader(engine, normalized, create_missing)
    for each in {engine, reader}:
        if not isinstance(each, OptionEngine):
            event.listen(each, "handle_error", _unreachable(url))
    if not migrating:
        event.listen(engine, "handle_error", _schema_not_ready(url))
        if not isinstance(reader, OptionEngine):  # a pool of its own: its own listeners
            event.listen(reader, "handle_error", _schema_not_ready(url))
    return engine


def _reader(engine: Engine, url: str, create_missing: bool) -> Engine:
    """On a SQLite file, an engine with a pool of its own whose connections only read; elsewhere ``engine`` itself
    with a reading unit of work's options (a PostgreSQL transaction READ ONLY; in-memory SQLite has one database per
    pool)."""
    path = sqlite_path(url)
    if path is None:
        return _reading_options(engine)
    reader = _sqlite_engine(path, create_missing, reads_only=True)
    event.listen(engine, "engine_disposed", lambda _engine: reader.dispose())
    return reader


def _engine(url: str, create_missing: bool) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        return _sqlite_engine(path, create_missing)
    if url.startswith("sqlite"):  # in-memory
        engine = create_engine(url, hide_parameters=True, connect_args={"check_same_thread": False, "isolation_level": None})
        event.listen(engine, "begin", _begin_sqlite)
        return engine
    engine = create_engine(url, pool_pre_ping=True, hide_parameters=True, connect_args={"connect_timeout": 5})
    event.listen(engine, "handle_error", _without_row_values)
    return engine


def reading(engine: Engine) -> Engine:
    """``engine`` for a unit of work that only reads: on SQLite a deferred transaction on a snapshot that no writer
    holds up, on PostgreSQL a READ ONLY one; on both, a write is refused rather than made."""
    if engine.get_execution_options().get(READS_ONLY):
        return engine
    return _READERS.get(engine) or _reading_options(engine)


def _reading_options(engine: Engine) -> Engine:
    readonly = {"postgresql_readonly": True} if engine.dialect.name == "postgresql" else {}
    return engine.execution_options(**{READS_ONLY: True}, **readonly)


def reads_only(engine: Engine | Connection) -> bool:
    """Whether ``engine`` (or a session's connection) was opened for a unit of work that only reads."""
    return bool(engine.get_execution_options().get(READS_ONLY))


def _schema_not_ready(url: str) -> Callable[[Any], Exception | None]:
    """``handle_error``: an error that says a table or column is missing becomes the one line a person can act on,
    when the database is indeed behind this release (a missing table in a database at its schema stays what it is)."""

    def explain(context: Any) -> Exception | None:
        if not _missing_schema_object(context.original_exception):
            return None
        from storage.health import schema_not_ready  # storage.health builds on this module

        return schema_not_ready(context.engine, url)

    return explain


def _unreachable(url: str) -> Callable[[Any], Exception | None]:
    """``handle_error``: a connection that cannot be made (no such database, role or host, nothing listening, a file
    that cannot be opened) becomes :class:`DatabaseUnreachable`, one line a person can act on."""

    def explain(context: Any) -> Exception | None:
        if context.connection is not None or context.is_pre_ping:
            return None
        original = context.original_exception
        return ConnectionFailed(f"cannot connect to the database at {shown_url(url)}: {_reason(original)}", original)

    return explain


class ConnectionFailed(DatabaseUnreachable, OperationalError):
    """What the command line reports in one line, and still the OperationalError SQLAlchemy's callers expect."""

    def __init__(self, message: str, original: BaseException | None) -> None:
        OperationalError.__init__(self, None, None, original)  # type: ignore[arg-type]  # SQLAlchemy types orig as required; a failure before the driver answered has none
        self.message = message

    def __str__(self) -> str:
        return self.message


def _reason(error: BaseException | None) -> str:
    """What the driver said, without what repeats the URL: 'database "x" does not exist', 'Connection refused'."""
    lines = str(error).strip().splitlines() or [type(error).__name__]
    reason = re.sub(r"^(connection failed: )?(connection to server (at|on) .*? failed: )?(FATAL: +)?", "", lines[0].strip())
    return reason or lines[0].strip()


def shown_url(url: str) -> str:
    """The database URL as a person may see it: the password hidden, a SQLite file's full path."""
    path = sqlite_path(url)
    if path is not None:
        return f"sqlite:///{path}"
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - settings checked it; never let describing it fail
        return "DATABASE_URL"
    return re.sub(r"^postgresql\+psycopg://", "postgresql://", shown)


def _missing_schema_object(error: BaseException | None) -> bool:
    if getattr(error, "sqlstate", None) in ("42P01", "42703"):  # PostgreSQL: undefined table, undefined column
        return True
    message = str(error) if isinstance(error, sqlite3.Error) else ""
    return message.startswith(("no such table", "no such column")) or "has no column" in message


def _without_row_values(context: Any) -> None:
    """PostgreSQL's DETAIL line quotes row values ("Key (team_id, event_id)=(T1, …) already exists"):
    keep only the primary message, so an error that reaches a log carries no HR text."""
    original = context.original_exception
    primary = getattr(getattr(original, "diag", None), "message_primary", None)
    if primary:
        original.args = (primary,)
        wrapped = context.sqlalchemy_exception
        if wrapped is not None:  # SQLAlchemy copied the message when it wrapped the error
            wrapped.args = (f"({type(original).__module__}.{type(original).__name__}) {primary}",)


def _sqlite_engine(path: Path, create_missing: bool, *, reads_only: bool = False) -> Engine:
    mode = "rwc" if create_missing else "rw"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(
            f"{path.as_uri()}?mode={mode}", uri=True, check_same_thread=False, timeout=30, isolation_level=None
        )

    engine = create_engine(
        "sqlite://", creator=connect, poolclass=QueuePool, hide_parameters=True, execution_options={READS_ONLY: reads_only}
    )
    event.listen(engine, "connect", _configure_sqlite)
    event.listen(engine, "begin", _begin_sqlite)
    event.listen(engine, "connect", lambda _c, record: record.info.__setitem__("file", _identity(path)))
    event.listen(engine, "checkout", lambda _c, record, _p: _same_file(path, record.info.get("file")))
    return engine


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def _same_file(path: Path, opened: tuple[int, int] | None) -> None:
    """A pooled connection still reads a deleted or replaced file; hand out only connections to the file there now."""
    if opened is None or _identity(path) != opened:
        raise DisconnectionError(f"the database file {path} was deleted or replaced")


def _configure_sqlite(connection: Any, _record: Any) -> None:
    """Per-connection settings: SQLite forgets pragmas (except journal_mode) when a connection closes."""
    cursor = connection.cursor()
    for pragma in ("journal_mode=WAL", "busy_timeout=30000", "foreign_keys=ON", "synchronous=NORMAL"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _begin_sqlite(connection: Connection) -> None:
    """Begin the transaction pysqlite no longer begins (``isolation_level=None``): ``IMMEDIATE`` for a unit of work that
    may write, which waits (``busy_timeout``) for the write lock before reading anything; deferred and ``query_only``
    for one that only reads."""
    reading_only = bool(connection.get_execution_options().get(READS_ONLY))
    if connection.info.get("query_only") != reading_only:  # per connection, kept between transactions
        connection.exec_driver_sql(f"PRAGMA query_only = {int(reading_only)}")
        connection.info["query_only"] = reading_only
    connection.exec_driver_sql("BEGIN" if reading_only else "BEGIN IMMEDIATE")

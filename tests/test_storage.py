"""Storage on SQLite and PostgreSQL: migrations, team scoping, idempotent writes."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import SQLModel

from storage.engine import make_engine, normalize_url
from storage.health import SCHEMA_HEAD, schema_problem
from storage.migrate import current_revision, upgrade
from storage.repositories import EventLog, PeopleRepository, Upsert
from storage.unit_of_work import unit_of_work


def test_migrations_build_exactly_the_models(engine, database_url):
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []
    assert current_revision(database_url) == SCHEMA_HEAD
    upgrade(database_url)  # a second upgrade is a no-op
    assert current_revision(database_url) == SCHEMA_HEAD


def test_people_are_scoped_by_team(engine):
    people = PeopleRepository(engine)
    assert (
        people.upsert("T1", "U1", name="Ada", email="ada@a.test", track="ic", level="senior", manager_user_id=None) == "created"
    )
    assert people.upsert("T2", "U1", name="Ada B", email=None, track="management", level="em", manager_user_id="U9") == "created"
    assert people.get("T1", "U1").level == "senior"
    assert people.get("T2", "U1").level == "em"
    assert [p.team_id for p in people.list("T1")] == ["T1"]
    assert people.get("T3", "U1") is None
    assert (people.level_of("T1", "U1"), people.level_of("T2", "U1"), people.level_of("T3", "U1")) == ("senior", "em", None)
    assert [p.name for p in people.list("T2")] == ["Ada B"]  # team T2 sees only its own Ada
    assert people.count("T1") == people.count("T2") == 1


def test_upsert_is_idempotent(engine):
    people = PeopleRepository(engine)
    values = {"name": "Ada", "email": None, "track": "ic", "level": "senior", "manager_user_id": None}
    assert people.upsert("T1", "U1", **values) == "created"
    assert people.upsert("T1", "U1", **values) == "unchanged"
    assert people.upsert("T1", "U1", **{**values, "level": "staff"}) == "updated"
    assert people.count("T1") == 1 and people.get("T1", "U1").level == "staff"
    assert bool(Upsert.CREATED) and not Upsert.UPDATED and not Upsert.UNCHANGED  # truthy means "was new"


def test_timestamps_come_back_timezone_aware_utc(engine):
    people = PeopleRepository(engine)
    before = datetime.now(UTC)
    people.upsert("T1", "U1", name="Ada", email=None, track="ic", level="senior", manager_user_id=None)
    person = people.get("T1", "U1")
    assert person.created_at.tzinfo is not None and person.created_at.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=5) <= person.created_at <= person.updated_at <= datetime.now(UTC)


def test_concurrent_upserts_of_one_person_create_one_row(engine):
    people = PeopleRepository(engine)
    results: list[str] = []
    barrier = threading.Barrier(8)

    def upsert() -> None:
        barrier.wait()
        results.append(people.upsert("T1", "U1", name="Ada", email=None, track="ic", level="senior", manager_user_id=None))

    threads = [threading.Thread(target=upsert) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8 and results.count(Upsert.CREATED) == 1
    assert people.count("T1") == 1


def test_an_event_is_claimed_once(engine):
    with unit_of_work(engine) as work:
        events = EventLog(work.session)
        assert events.claim("T1", "Ev1") is True
        assert events.claim("T1", "Ev1") is False
        assert events.claim("T2", "Ev1") is True  # event ids are per team
    with unit_of_work(engine) as work:
        assert EventLog(work.session).claim("T1", "Ev1") is False


def test_a_claim_rolled_back_with_its_work_is_claimed_again(engine):
    with pytest.raises(RuntimeError), unit_of_work(engine) as work:
        assert EventLog(work.session).claim("T1", "EvFailed") is True
        raise RuntimeError("handling failed")
    with unit_of_work(engine) as work:
        assert EventLog(work.session).claim("T1", "EvFailed") is True


def test_concurrent_claims_let_exactly_one_through(engine):
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def claim() -> None:
        barrier.wait()
        with unit_of_work(engine) as work:
            results.append(EventLog(work.session).claim("T1", "EvRace"))

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]


def test_sqlite_runs_in_wal_mode(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 30000
    engine.dispose()


def test_health_is_ok_only_at_this_releases_schema(database_url):
    engine = make_engine(database_url)
    try:
        with engine.connect():  # an empty database: SQLite creates the file here, where asked to
            pass
        assert "no schema" in schema_problem(engine, database_url)
        upgrade(database_url, "0001")
        assert "schema at 0001, this release needs" in schema_problem(engine, database_url)
        upgrade(database_url)
        assert schema_problem(engine, database_url) is None
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '0000_older'"))
        assert "schema at 0000_older" in schema_problem(engine, database_url)
    finally:
        engine.dispose()


def test_schema_head_is_alembics_head():
    from alembic.script import ScriptDirectory

    from storage.migrate import alembic_config

    assert ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head() == SCHEMA_HEAD


def test_health_of_an_unreachable_database():
    url = "postgresql://postgres@127.0.0.1:1/none"
    assert schema_problem(make_engine(url), url).startswith("unreachable")


def test_a_missing_sqlite_file_is_reported_and_never_created(tmp_path):
    path = tmp_path / "ladder.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url, create_missing=False)
    assert schema_problem(engine, url).startswith("unreachable")
    with pytest.raises(OperationalError):
        PeopleRepository(engine).get("T1", "U1")
    assert not path.exists()


def test_a_deleted_sqlite_file_is_not_written_through_old_connections(tmp_path):
    path = tmp_path / "ladder.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url, create_missing=False)
    people = PeopleRepository(engine)
    people.upsert("T1", "U1", name="Ada", email=None, track="ic", level="senior", manager_user_id=None)
    assert schema_problem(engine, url) is None
    path.unlink()
    assert schema_problem(engine, url).startswith("unreachable")
    with pytest.raises(OperationalError):  # the pooled connection still reads the deleted file: it is discarded, not used
        people.get("T1", "U1")
    assert not path.exists()
    engine.dispose()


def test_an_unreadable_sqlite_file_is_unhealthy(tmp_path):
    path = tmp_path / "ladder.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url, create_missing=False)
    assert schema_problem(engine, url) is None
    path.write_bytes(b"this is not a database" * 100)  # unreadable as SQLite, whoever we run as
    assert schema_problem(engine, url).startswith("unreachable")
    engine.dispose()


def test_sql_parameters_never_appear_in_errors(database_url):
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with pytest.raises(IntegrityError) as raised:
            with engine.begin() as connection:
                for _ in range(2):
                    connection.execute(
                        text("INSERT INTO processed_event (team_id, event_id, received_at) VALUES (:t, :e, CURRENT_TIMESTAMP)"),
                        {"t": "T1", "e": "a private question"},
                    )
        assert "a private question" not in str(raised.value)
    finally:
        engine.dispose()


def test_platform_postgres_urls_get_the_driver():
    assert normalize_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("sqlite:///x.db") == "sqlite:///x.db"


def test_insert_once_says_whether_it_inserted_on_every_database(engine):
    """The event claim and every idempotent write rest on this answer (psycopg reports no rowcount for it)."""
    from storage.models import ProcessedEvent
    from storage.repositories.once import insert_once
    from storage.unit_of_work import unit_of_work

    with unit_of_work(engine) as work:
        assert insert_once(work.session, ProcessedEvent(team_id="T1", event_id="Ev1"), ["team_id", "event_id"]) is True
        assert insert_once(work.session, ProcessedEvent(team_id="T1", event_id="Ev1"), ["team_id", "event_id"]) is False
        assert insert_once(work.session, ProcessedEvent(team_id="T2", event_id="Ev1"), ["team_id", "event_id"]) is True

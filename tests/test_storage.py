"""Storage on SQLite and PostgreSQL: migrations, team scoping, idempotent writes."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from storage.engine import make_engine, normalize_url, ping
from storage.migrate import current_revision, upgrade
from storage.repositories import EventLog, PeopleRepository, Upsert


def test_migrations_build_exactly_the_models(engine, database_url):
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []
    assert current_revision(database_url) == "0001"
    upgrade(database_url)  # a second upgrade is a no-op
    assert current_revision(database_url) == "0001"


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
    events = EventLog(engine)
    assert events.claim("T1", "Ev1") is True
    assert events.claim("T1", "Ev1") is False
    assert events.claim("T2", "Ev1") is True  # event ids are per team


def test_concurrent_claims_let_exactly_one_through(engine):
    events = EventLog(engine)
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def claim() -> None:
        barrier.wait()
        results.append(events.claim("T1", "EvRace"))

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]


def test_old_events_are_pruned(engine):
    events = EventLog(engine)
    events.claim("T1", "Ev1")
    assert events.prune(timedelta(days=1)) == 0
    assert events.prune(timedelta(seconds=-1)) == 1
    assert events.claim("T1", "Ev1") is True


def test_sqlite_runs_in_wal_mode(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 30000
    engine.dispose()


def test_ping_tells_a_live_database_from_a_dead_one(engine, tmp_path):
    assert ping(engine) is True
    assert ping(make_engine("postgresql://postgres@127.0.0.1:1/none")) is False
    assert ping(make_engine(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}")) is False


def test_platform_postgres_urls_get_the_driver():
    assert normalize_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("sqlite:///x.db") == "sqlite:///x.db"

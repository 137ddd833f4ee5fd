"""Senders scale out: two `ladder serve` processes and one `ladder clock` on one database all send from the one outbox,
and a `kill -9` of any one of them mid-way loses nothing and sends nothing twice (issue #19).

On PostgreSQL (claims with SKIP LOCKED). SQLite stays correct with one writer at a time, but three processes of senders
taking turns at its one write lock sent fewer than 500 of the 2,000 in 40 s on the shared test machine, too slow for the
suite; tests/test_clock.py kills a clock mid fan-out on SQLite."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any, Iterator

import pytest
from sqlalchemy import text

from bot.checkins.service import CHECKIN_PROMPT
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.repositories.outbox import SENT, Outbox
from storage.unit_of_work import unit_of_work
from tests.app_server import ladder_env
from tests.serve_process import LADDER, LadderProcess, family, free_port

pytestmark = pytest.mark.slow
MESSAGES = 2_000
TEAMS = 40
"""The messages are spread over this many workspaces, one person each: Ladder paces each workspace to Slack's limits
(chat.postMessage: 300 a minute a workspace, one a second a conversation), under which one workspace's 2,000 would
take seven minutes."""
LEASE = "10"
"""Seconds a clock's lease and a sender's claim last unrenewed: how soon the survivors take over what a killed one held
(long enough that a batch claimed on a busy machine is posted before its claim is half spent)."""


def _enqueue(database_url: str) -> list[str]:
    """MESSAGES check-in prompts due now, written straight into the outbox; their keys."""
    upgrade(database_url)
    engine = make_engine(database_url)
    now = datetime.now(UTC) - timedelta(seconds=1)
    rows: dict[str, list[tuple[str, str, str, dict[str, Any]]]] = {}
    for n in range(MESSAGES):
        key = f"scale:{n:05d}"
        rows.setdefault(f"T{n % TEAMS:04d}", []).append(
            (key, CHECKIN_PROMPT, f"U{n:05d}", {"key": key, "due_on": now.date().isoformat()})
        )
    try:
        with unit_of_work(engine) as work:
            assert sum(Outbox(work.session).enqueue_many(team, due, due_at=now) for team, due in rows.items()) == MESSAGES
    finally:
        engine.dispose()
    return [key for due in rows.values() for key, *_ in due]


def _delivered(fake_slack: Any) -> Counter[str]:
    """How many times each outbox key arrived in Slack (a post Slack carried out, carrying its key as metadata)."""
    return Counter(
        c.args["metadata"]["event_payload"]["key"]
        for c in fake_slack.calls("chat.postMessage")
        if c.carried_out and isinstance(c.args.get("metadata"), dict)
    )


def _wait_until(condition: Any, timeout: float, what: Any) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what() if callable(what) else what}")
        time.sleep(0.05)


def _kill_hard(process: subprocess.Popen) -> None:
    """kill -9 of a process and its workers at once, as when its machine dies."""
    for pid in family(process.pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait(10)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    from tests.db_fixtures import _fresh_postgres_database

    yield from _fresh_postgres_database()


@pytest.mark.parametrize("killed", ["serve", "clock"])
def test_two_serve_processes_and_a_clock_send_2000_messages_once_each_across_a_kill(fake_slack, tmp_path, postgres_url, killed):
    keys = _enqueue(postgres_url)
    fake_slack.set_latency(0.02)  # each call takes a while, as Slack's do: the kill comes mid-way
    common = {**os.environ, **ladder_env(fake_slack.url, postgres_url), "LOG_LEVEL": "INFO", "LADDER_SENDERS": "2"}
    common["LADDER_CLOCK_LEASE"] = LEASE
    servers = [
        LadderProcess({**common, "PORT": str(free_port()), "HOST": "127.0.0.1", "LADDER_CLOCK": "off"}, tmp_path)
        for _ in range(2)
    ]
    clock_log = (tmp_path / "clock.log").open("w")
    clock = subprocess.Popen([LADDER, "clock"], env=common, stdout=subprocess.DEVNULL, stderr=clock_log)
    try:
        for server in servers:
            server.wait_ready()
        _wait_until(
            lambda: sum(_delivered(fake_slack).values()) >= MESSAGES // 4,
            40,
            lambda: f"a quarter of the messages ({sum(_delivered(fake_slack).values())} delivered)",
        )
        victim = servers[0].process if killed == "serve" else clock
        killed_at = time.monotonic()
        _kill_hard(victim)
        assert sum(_delivered(fake_slack).values()) < MESSAGES, "sent before the kill: send more, or more slowly"
        engine = make_engine(postgres_url)
        try:
            try:
                _wait_until(lambda: len(_delivered(fake_slack)) >= MESSAGES, 60, "every message after the kill")
                _wait_until(lambda: _counts(engine) == {SENT: MESSAGES}, 20, "every row marked sent")
            except AssertionError as error:
                said = f"{error}: {len(_delivered(fake_slack))} delivered, the outbox {_counts(engine)}, {_unsent(engine)}"
                raise AssertionError(said) from None
        finally:
            engine.dispose()
    finally:
        for server in servers:
            server.stop()
        if clock.poll() is None:
            clock.send_signal(signal.SIGTERM)
            clock.wait(30)
        clock_log.close()
    delivered = _delivered(fake_slack)
    assert set(delivered) == set(keys)  # none lost
    twice = [k for k, n in delivered.items() if n > 1]
    assert twice == [], f"sent twice: {_posts_of(fake_slack, twice[:3], killed_at)}"


def _posts_of(fake_slack: Any, keys: list[str], killed_at: float) -> dict[str, list[str]]:
    """When each post of these keys reached the fake, in seconds after the kill (for a failure's message)."""
    return {
        key: [
            f"{c.received - killed_at:+.2f}s"
            for c in fake_slack.calls("chat.postMessage")
            if c.carried_out and isinstance(c.args.get("metadata"), dict) and c.args["metadata"]["event_payload"]["key"] == key
        ]
        for key in keys
    }


def _unsent(engine: Any) -> list[Any]:
    """A few rows not sent, as the database has them (for a failure's message)."""
    query = "SELECT now(), key, status, claimed_at, attempts, due_at, error FROM outbox WHERE status != 'sent' LIMIT 5"
    with engine.connect() as connection:
        return list(connection.execute(text(query)).all())


def _counts(engine: Any) -> dict[str, int]:
    with unit_of_work(engine, reads_only=True) as work:
        return Outbox(work.session).counts()

"""`ladder clock` as the real process: killed mid fan-out and restarted, two of them on one database."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert

from storage.engine import make_engine
from storage.migrate import upgrade
from storage.models import CheckinSchedule, Person
from tests.app_server import ladder_env
from tests.serve_process import LADDER

pytestmark = pytest.mark.slow
PEOPLE = 120


def _organisation(database_url: str, fake_slack) -> None:
    """PEOPLE people whose weekly prompt fell due a few minutes ago (not missed: sent whatever the hour), in three timezones."""
    upgrade(database_url)
    engine = make_engine(database_url)
    due = datetime.now(UTC) - timedelta(minutes=5)
    users = [f"U{i:05d}" for i in range(PEOPLE)]
    zones = ("Europe/London", "America/New_York", "Australia/Sydney")
    with engine.begin() as connection:
        connection.execute(
            insert(Person),
            [
                dict(team_id="T0TEST", user_id=u, name=u, track="ic", level="senior", created_at=due, updated_at=due)
                for u in users
            ],
        )
        connection.execute(
            insert(CheckinSchedule),
            [
                dict(
                    team_id="T0TEST",
                    user_id=u,
                    cadence="weekly",
                    weekday=0,
                    timezone=zones[i % 3],
                    next_prompt_at=due,
                    updated_at=due,
                )
                for i, u in enumerate(users)
            ],
        )
    engine.dispose()
    for u in users:
        fake_slack.add_user(u, f"{u.lower()}@example.com", u)


def _start_clock(fake_slack, database_url: str, log: Path, **env: str) -> subprocess.Popen:
    environment = {**os.environ, **ladder_env(fake_slack.url, database_url), "LOG_LEVEL": "INFO", **env}
    return subprocess.Popen([LADDER, "clock"], env=environment, stdout=subprocess.DEVNULL, stderr=log.open("a"))


def _delivered(fake_slack) -> Counter:
    return Counter(
        c.args["metadata"]["event_payload"]["key"]
        for c in fake_slack.calls("chat.postMessage")
        if c.carried_out and c.args.get("metadata")
    )


def _wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_a_clock_killed_mid_fan_out_loses_nothing_and_repeats_nothing(fake_slack, tmp_path, sqlite_url):
    _organisation(sqlite_url, fake_slack)
    fake_slack.limit_rate("chat.postMessage", per_second=40)  # a fan-out that takes a few seconds
    log = tmp_path / "clock.log"
    clock = _start_clock(fake_slack, sqlite_url, log, LADDER_CLOCK_LEASE="3")
    try:
        _wait_until(lambda: sum(_delivered(fake_slack).values()) >= 30, 60, "the fan-out to start")
        clock.send_signal(signal.SIGKILL)
        clock.wait(10)
        sent_before = sum(_delivered(fake_slack).values())
        assert 0 < sent_before < PEOPLE
        clock = _start_clock(fake_slack, sqlite_url, log, LADDER_CLOCK_LEASE="3")
        _wait_until(lambda: len(_delivered(fake_slack)) >= PEOPLE, 60, "every prompt after the restart")
        time.sleep(1)  # anything sent twice would arrive now
    finally:
        clock.send_signal(signal.SIGTERM)
        clock.wait(30)
    delivered = _delivered(fake_slack)
    assert len(delivered) == PEOPLE and max(delivered.values()) == 1, [k for k, n in delivered.items() if n > 1]


def test_two_clocks_on_one_postgres_database_send_each_prompt_once(fake_slack, tmp_path, request):
    from tests.db_fixtures import _fresh_postgres_database

    databases = _fresh_postgres_database()
    database_url = next(databases)
    request.addfinalizer(lambda: next(databases, None))
    _organisation(database_url, fake_slack)
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    clocks = [_start_clock(fake_slack, database_url, log, LADDER_CLOCK_LEASE="3") for log in logs]
    try:
        _wait_until(lambda: len(_delivered(fake_slack)) >= PEOPLE, 60, "every prompt")
        running = [i for i, log in enumerate(logs) if "clock started" in log.read_text()]
        assert len(running) == 1  # one runs, the other waits
        waiting = 1 - running[0]
        assert "waiting for its lease to lapse" in logs[waiting].read_text()
        clocks[running[0]].send_signal(signal.SIGKILL)  # the one running dies: the other takes over when its lease lapses
        clocks[running[0]].wait(10)
        _wait_until(lambda: "clock started" in logs[waiting].read_text(), 30, "the other clock to take over")
        time.sleep(1)
    finally:
        for clock in clocks:
            if clock.poll() is None:
                clock.send_signal(signal.SIGTERM)
                clock.wait(30)
    delivered = _delivered(fake_slack)
    assert len(delivered) == PEOPLE and max(delivered.values()) == 1


def test_ladder_serve_runs_the_clock_beside_it_by_default(fake_slack, tmp_path, sqlite_url, serve):
    _organisation(sqlite_url, fake_slack)
    server = serve(sqlite_url, LADDER_CLOCK="on")
    _wait_until(lambda: len(_delivered(fake_slack)) >= PEOPLE, 60, "the prompts sent by the clock beside the server")
    children = server.workers()
    assert len(children) == 2  # the web worker and the clock (never a clock inside a web worker)
    clock = next(pid for pid in children if b"clock" in Path(f"/proc/{pid}/cmdline").read_bytes())
    os.kill(clock, signal.SIGKILL)  # the master starts it again
    _wait_until(lambda: len(server.workers()) == 2 and clock not in server.workers(), 30, "the clock to be restarted")

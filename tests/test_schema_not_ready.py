"""Forgetting `ladder db upgrade`: the command line, the app and the clock say so in one line, never in SQL."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time

import pytest

from bot.cli import main
from storage.engine import sqlite_path
from storage.health import SCHEMA_HEAD
from storage.migrate import upgrade
from tests.app_server import ladder_env
from tests.serve_process import LADDER, get
from tests.test_cli import run

PREVIOUS = f"{int(SCHEMA_HEAD) - 1:04d}"
RAW_SQL_ERRORS = ("no such table", "does not exist", "UndefinedTable", "OperationalError", "ProgrammingError", "Traceback")
COMMANDS = [
    ["admins", "list", "--team", "T1"],
    ["admins", "add", "U0ADA", "--team", "T1"],
    ["cycle", "list", "--team", "T1"],
    ["panel", "list", "--team", "T1"],
    ["nominations", "list", "--team", "T1"],
    ["digest", "Staff+ panel", "--team", "T1"],
    ["outbox", "status"],
    ["outbox", "failed", "--team", "T1"],
    ["checkins", "schedule", "--team", "T1"],
    ["checkins", "cadence", "--default", "weekly", "--team", "T1"],
    ["ask", "--team", "T1", "--user", "U0ADA", "what's my next level"],
]


@pytest.fixture
def unmigrated(database_url: str) -> str:
    """A database that exists but was never migrated (for SQLite, an empty file)."""
    path = sqlite_path(database_url)
    if path is not None:
        sqlite3.connect(path).close()
    return database_url


def _shown(url: str) -> str:
    path = sqlite_path(url)
    return f"sqlite:///{path}" if path is not None else url


def _ladder(monkeypatch, capsys, env: dict[str, str], *args: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """The real command line, in this process: its exit status and what it wrote on stderr."""
    for name in [n for n in os.environ if n.startswith(("SLACK_", "DATABASE_URL", "LADDER_"))]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    capsys.readouterr()
    status = main(list(args))
    return status, capsys.readouterr().err


def test_every_command_that_needs_the_database_says_to_run_db_upgrade(unmigrated, monkeypatch, capsys):
    env = {"DATABASE_URL": unmigrated, "LADDER_UPGRADE_DB_ON_START": "off"}
    for command in COMMANDS:
        assert _ladder(monkeypatch, capsys, env, *command) == (
            1,
            f"ladder: the database at {_shown(unmigrated)} has no schema: run `ladder db upgrade`\n",
        ), command
    upgrade(unmigrated, PREVIOUS)
    for command in COMMANDS:
        assert _ladder(monkeypatch, capsys, env, *command) == (
            1,
            f"ladder: the database at {_shown(unmigrated)} is at revision {PREVIOUS}, "
            f"this release needs {SCHEMA_HEAD}: run `ladder db upgrade`\n",
        ), command
    assert _ladder(monkeypatch, capsys, env, "db", "upgrade")[0] == 0
    assert _ladder(monkeypatch, capsys, env, *COMMANDS[0]) == (0, "")


def test_people_import_says_to_run_db_upgrade(fake_slack, unmigrated, tmp_path, monkeypatch, capsys):
    fake_slack.add_user("U0ADA", "ada@example.com", "Ada Lovelace")
    people = tmp_path / "people.csv"
    people.write_text("email,level\nada@example.com,senior\n")
    env = {**ladder_env(fake_slack.url, unmigrated), "LADDER_UPGRADE_DB_ON_START": "off"}
    assert _ladder(monkeypatch, capsys, env, "people", "import", str(people)) == (
        1,
        f"ladder: the database at {_shown(unmigrated)} has no schema: run `ladder db upgrade`\n",
    )
    assert fake_slack.calls("users.lookupByEmail") == []  # nothing asked of Slack for an import that cannot be stored


def test_a_missing_sqlite_file_is_named_with_what_to_run(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'nowhere.db'}"
    assert _ladder(monkeypatch, capsys, {"DATABASE_URL": url, "LADDER_UPGRADE_DB_ON_START": "off"}, "outbox", "status") == (
        1,
        f"ladder: there is no database at {_shown(url)}: run `ladder db upgrade`\n",
    )
    assert not (tmp_path / "nowhere.db").exists()


def test_the_app_says_what_to_run_answers_as_for_any_database_failure_and_serves_once_migrated(serve, unmigrated):
    ladder = serve(unmigrated, LADDER_UPGRADE_DB_ON_START="off")
    status, health = get(ladder.port, "/healthz")
    assert status == 503 and "run: ladder db upgrade" in json.loads(health)["database"]
    status, body, _ = ladder.slack.slash_command("what's my next level", user_id="U0ADA")
    assert status == 200 and "something went wrong on my side" in json.loads(body)["text"]  # the apology, as when it is down
    home = {"type": "app_home_opened", "user": "U0ADA", "channel": "D0ADA", "tab": "home", "event_ts": "1.1"}
    assert ladder.slack.event(home)[0] == 500  # Slack retries it later, as for any failed database

    said = f"the database at {_shown(unmigrated)} has no schema: run `ladder db upgrade`"
    lines = ladder.log_lines()
    assert any(line["msg"].startswith(said) for line in lines)  # at start
    failures = [line for line in lines if line["level"] == "ERROR" and not line["msg"].startswith(said)]
    assert failures and all(line.get("error") == said and "exc" not in line for line in failures), failures
    assert not [word for word in RAW_SQL_ERRORS if word in ladder.log_text()]

    assert run("db", "upgrade", env={"DATABASE_URL": unmigrated}).returncode == 0  # the release step, run late
    assert get(ladder.port, "/healthz")[0] == 200
    status, body, _ = ladder.slack.slash_command("what's my next level", user_id="U0ADA")
    assert status == 200 and "I don't know your level yet" in json.loads(body)["text"]


@pytest.mark.slow
def test_the_clock_says_once_what_to_run_and_starts_once_migrated(fake_slack, unmigrated, tmp_path):
    log = tmp_path / "clock.log"
    env = {**os.environ, **ladder_env(fake_slack.url, unmigrated), "LADDER_UPGRADE_DB_ON_START": "off", "LADDER_CLOCK_LEASE": "3"}
    clock = subprocess.Popen([LADDER, "clock"], env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"))
    said = f"the database at {_shown(unmigrated)} has no schema: run `ladder db upgrade`"
    try:
        _wait_for(lambda: said in log.read_text(), "the clock to say what to run")
        time.sleep(3)  # three more rounds of trying for its lease
        assert log.read_text().count(said) == 1
        assert not [word for word in RAW_SQL_ERRORS if word in log.read_text()]
        upgrade(unmigrated)
        _wait_for(lambda: "clock started" in log.read_text(), "the clock to start once migrated")
    finally:
        clock.send_signal(signal.SIGTERM)
        clock.wait(30)
    assert all(json.loads(line) for line in log.read_text().splitlines())


def _wait_for(condition, what: str, timeout: float = 30) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)

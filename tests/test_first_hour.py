"""The mistakes of a first hour with Ladder, through the real command line: each is one line naming what to fix, exit 2
for a setting or an argument, exit 1 for the world (a database or Slack out of reach); never "unexpected error", never
SQL, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.app_server import BOT_TOKEN, ladder_env
from tests.db_fixtures import PG_SERVER
from tests.test_cli import run

SQL_OR_WORSE = ("unexpected error", "Traceback", "SELECT", "INSERT", "sqlalche.me", "OperationalError", "[SQL")
COMMANDS_ON_THE_DATABASE = [
    ["db", "upgrade"],
    ["db", "current"],
    ["cycle", "list", "--team", "T1"],
    ["admins", "list", "--team", "T1"],
    ["outbox", "status"],
    ["ask", "--team", "T1", "--user", "U0ADA", "what's my next level"],
]


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ladder: "), result.stderr
    assert not any(word in result.stderr for word in SQL_OR_WORSE), result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("PORT", "99999", "PORT must be a whole number from 1 to 65535, got '99999'"),
        ("PORT", "-1", "PORT must be a whole number from 1 to 65535, got '-1'"),
        ("WEB_CONCURRENCY", "0", "WEB_CONCURRENCY must be a whole number from 1 to 64, got '0'"),
        ("WEB_CONCURRENCY", "-3", "WEB_CONCURRENCY must be a whole number from 1 to 64, got '-3'"),
        ("WEB_CONCURRENCY", "four", "WEB_CONCURRENCY must be a whole number from 1 to 64, got 'four'"),
        ("LADDER_UPGRADE_DB_ON_START", "perhaps", "LADDER_UPGRADE_DB_ON_START must be on or off, got 'perhaps'"),
        ("SLACK_API_URL", "notaurl", "SLACK_API_URL must be an http(s) address like https://slack.com/api/, got 'notaurl'"),
        ("SLACK_API_URL", "http://slack.example.com:99999/api/", "SLACK_API_URL must be an http(s) address"),
        ("DATABASE_URL", "sqlite:///", "DATABASE_URL names no database file"),
        ("DATABASE_URL", "sqlite:///:memory:", "DATABASE_URL names no database file"),
        ("DATABASE_URL", "sqlite://", "DATABASE_URL names no database file"),
        (
            "DATABASE_URL",
            "sqlite:////nonexistent/dir/x.db",
            "DATABASE_URL names a file in a folder that does not exist (/nonexistent/dir): create the folder first",
        ),
        ("SLACK_BOT_TOKEN", "xapp-1-swapped", "SLACK_BOT_TOKEN must be a token starting xoxb- ("),
        ("HOST", "http://0.0.0.0", "HOST must be an address to listen on, like 0.0.0.0, 127.0.0.1 or ::"),
        ("LADDER_ADMINS", "U0ADA," + "U" * 40, "LADDER_ADMINS must list Slack user ids (U…)"),
    ],
)
def test_a_setting_a_newcomer_gets_wrong_is_one_line_naming_it_and_exit_2(name, value, says, tmp_path):
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": "s",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'l.db'}",
        name: value,
    }
    commands = (["db", "upgrade"], ["cycle", "list", "--team", "T1"], ["people", "import", "people.csv"])
    for command in commands[len(value) % 3 :: 3] if name != "DATABASE_URL" else commands:  # a subprocess costs half a second
        result = run(*command, env=env, cwd=tmp_path)
        assert result.returncode == 2, (command, result.stderr)
        assert one_line(result).startswith(f"ladder: {says}"), (command, result.stderr)
    served = run("serve", env={**env, "LADDER_CLOCK": "off"}, cwd=tmp_path)
    assert served.returncode == 2, served.stderr
    (line,) = [json.loads(text) for text in served.stderr.splitlines()]  # serve's one line is a JSON log line
    assert line["level"] == "ERROR" and line["msg"].startswith(says) and "Traceback" not in served.stderr
    assert not (tmp_path / "l.db").exists()


def test_a_plain_question_refuses_a_wrong_setting_too(tmp_path):
    assert run("ask", "what does Staff mean", env={"PORT": "99999"}, cwd=tmp_path).returncode == 2
    assert run("ask", "what does Staff mean", env={"DATABASE_URL": "sqlite:///ok.db"}, cwd=tmp_path).returncode == 0


@pytest.mark.parametrize(
    ("url", "says"),
    [
        (f"{PG_SERVER}/ladder_no_such_database", 'database "ladder_no_such_database" does not exist'),
        (PG_SERVER.replace("://postgres@", "://ladder_no_such_role:s3cret@") + "/postgres", 'role "ladder_no_such_role"'),
        ("postgresql://postgres@127.0.0.1:1/ladder", "Connection refused"),
        ("postgresql://postgres@no-such-host.invalid:5432/ladder", "failed to resolve host 'no-such-host.invalid'"),
    ],
    ids=["database", "role", "port", "host"],
)
def test_postgresql_refusing_the_connection_is_one_line_naming_the_database_and_exit_1(url, says, tmp_path):
    shown = url.replace(":s3cret@", ":***@")
    # every command for a missing database, two each for the other refusals: a subprocess costs half a second
    commands = COMMANDS_ON_THE_DATABASE if "no_such_database" in url else COMMANDS_ON_THE_DATABASE[len(url) % 3 :: 3]
    for command in commands:
        result = run(*command, env={"DATABASE_URL": url}, cwd=tmp_path)
        assert result.returncode == 1, (command, result.stderr)
        line = one_line(result)
        assert line.startswith(f"ladder: cannot connect to the database at {shown}: ") and says in line, (command, line)
        assert "s3cret" not in result.stderr


def test_slack_out_of_reach_or_failing_is_one_line_naming_slack_api_url_and_exit_1(fake_slack, tmp_path):
    (tmp_path / "people.csv").write_text("email,level\nada@example.com,senior\n")
    database = f"sqlite:///{tmp_path / 'ladder.db'}"
    nothing_there = ladder_env("http://127.0.0.1:1/api/", database)
    result = run("people", "import", "people.csv", env=nothing_there, cwd=tmp_path)
    assert result.returncode == 1
    assert one_line(result).startswith("ladder: cannot reach Slack's Web API at http://127.0.0.1:1/api/: ")
    fake_slack.break_next("auth.test", "http_500", times=3)
    result = run("people", "import", "people.csv", env=ladder_env(fake_slack.url, database), cwd=tmp_path)
    assert result.returncode == 1
    assert one_line(result) == f"ladder: Slack's Web API at {fake_slack.url} answered HTTP 500; try again later"


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["cycle", "list", "--team", "not a team"], "ladder: --team: not a Slack team id: 'not a team'"),
        (["cycle", "list", "--team", "T" + "0" * 40], "ladder: --team: not a Slack team id: 'T000"),
        (["admins", "list", "--team", "t0test"], "ladder: --team: not a Slack team id: 't0test'"),
        (["ask", "--team", "T1", "--user", "ada", "my next level?"], "ladder: --user: not a Slack user id: 'ada'"),
        (["admins", "add", "U" + "0" * 40, "--team", "T1"], "ladder: argument USER: not a Slack user id: 'U000"),
        (["checkins", "cadence", "ada@example.com", "weekly", "--team", "T1"], "ladder: not a Slack user id: 'ada@example.com'"),
        (
            ["panel", "create", "P", "--chair", "U0ADA", "--members", "U0ADA", "--channel", "C" + "0" * 40, "--team", "T1"],
            "ladder: argument --channel: not a Slack channel id: 'C000",
        ),
        (
            [
                "cycle",
                "create",
                "Far",
                "--opens",
                "9999-12-01",
                "--reviews-due",
                "9999-12-10",
                "--panel-from",
                "9999-12-11",
                "--decisions",
                "9999-12-31",
                "--team",
                "T1",
            ],
            "ladder: argument --opens: 9999-12-01 is outside the days Ladder plans with (2000-01-01 to 2099-12-31)",
        ),
        (["checkins", "schedule", "--from", "0001-01-01", "--team", "T1"], "ladder: argument --from: 0001-01-01 is outside"),
        (["serve", "--port", "70000"], "ladder: argument --port: not a port number from 1 to 65535: '70000'"),
        (["frobnicate"], "ladder: argument COMMAND: invalid choice: 'frobnicate'"),
    ],  # fmt: skip
)
def test_an_argument_of_the_wrong_shape_is_one_line_naming_it_and_exit_2(argv, says, tmp_path):
    from storage.migrate import upgrade

    database = f"sqlite:///{tmp_path / 'ladder.db'}"
    upgrade(database)
    result = run(*argv, env={"DATABASE_URL": database}, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert one_line(result).startswith(says), result.stderr


def test_a_cycle_whose_dates_are_out_of_range_is_refused_by_the_domain_too():
    from datetime import date

    from bot.panels.cycles import CycleDates

    far = CycleDates(date(9999, 12, 1), date(9999, 12, 10), date(9999, 12, 11), date(9999, 12, 31), 60)
    assert far.problems() == [
        "9999-12-01 is outside the days Ladder plans with (2000-01-01 to 2099-12-31)",
        "9999-12-31 is outside the days Ladder plans with (2000-01-01 to 2099-12-31)",
    ]


def test_a_question_imports_no_database_code_even_when_a_setting_is_wrong(tmp_path):
    script = (
        "import sys\n"
        "from bot.cli import main\n"
        "codes = [main(['ask', 'what does Staff mean']), main(['ask', '--team', 'x', '--user', 'U1', 'hi'])]\n"
        "assert codes == [0, 2], codes\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel', 'psycopg', 'alembic'))\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_a_value_the_database_refuses_is_one_line_without_sql():
    """Whatever still reaches PostgreSQL and is refused there: its own words, never the statement nor the value."""
    from sqlalchemy import text

    from bot.cli.common import failure_line
    from storage.engine import make_engine

    engine = make_engine(f"{PG_SERVER}/postgres")
    lines = []
    try:
        with engine.connect() as connection:
            connection.execute(text("CREATE TEMPORARY TABLE refusals (v varchar(2))"))
            for value in ("secret HR text", "se\x00cret"):
                try:
                    connection.execute(text("INSERT INTO refusals VALUES (:v)"), {"v": value})
                except Exception as exc:  # noqa: BLE001 - what the command line would have met
                    lines.append(failure_line(exc))
                    connection.rollback()
    finally:
        engine.dispose()
    assert lines[0] == "the database refused the request: value too long for type character varying(2)"
    assert lines[1].startswith("the database refused the request: ") and "NUL" in lines[1]
    assert not any("secret" in line or "INSERT" in line for line in lines)


def test_serve_that_cannot_listen_says_so_in_one_line_and_exit_1(tmp_path):
    import socket

    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": "s", "LADDER_CLOCK": "off"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'ladder.db'}"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        cases = [
            ({"HOST": "127.0.0.1", "PORT": str(port)}, f"cannot listen on 127.0.0.1 port {port}: Address already in use"),
            ({"HOST": "192.0.2.1"}, "cannot listen on 192.0.2.1 port 3000: Cannot assign requested address"),  # not here
        ]
        for more, says in cases:
            served = run("serve", env={**env, **more}, cwd=tmp_path)
            errors = [json.loads(line) for line in served.stderr.splitlines() if '"ERROR"' in line]
            assert served.returncode == 1 and [e["msg"] for e in errors] == [f"{says} (check HOST and PORT)"], served.stderr

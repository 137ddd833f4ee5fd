"""The `ladder` command line, run as a person runs it: a subprocess with an environment."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.app_server import BOT_TOKEN, ladder_env

LADDER = str(Path(sys.executable).parent / "ladder")


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL", "LADDER_"))}
    return subprocess.run([LADDER, *args], env={**base, **(env or {})}, cwd=cwd, capture_output=True, text=True, timeout=60)


def test_ask_answers_in_plain_text_with_no_slack_at_all(tmp_path):
    result = run("ask", "what does Staff mean", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Staff Engineer\n==============")
    assert "&lt;" not in result.stdout and "*" not in result.stdout.splitlines()[3]
    assert list(tmp_path.iterdir()) == []  # a plain question touches no database


def test_asking_as_a_person_creates_no_database(tmp_path):
    result = run("ask", "--team", "T1", "--user", "U1", "what's my next level", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "I don't know your level yet" in result.stdout
    assert "no database at" in result.stderr and "ladder people import" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_framework_check_speaks_json_for_editors_and_ci(tmp_path):
    partial = tmp_path / "acme.yaml"
    partial.write_text(
        "name: Acme\ntracks:\n  - id: ic\n    name: IC\n    levels:\n      - id: one\n        title: One\n        sumary: x\n"
    )
    result = run("framework", "check", "--format", "json", str(partial))
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["problems"] == [
        {
            "file": str(partial),
            "line": 8,
            "column": 9,
            "path": "tracks[0].levels[0].sumary",
            "severity": "error",
            "message": "unknown field 'sumary'; did you mean 'summary'?",
        }
    ]
    partial.write_text(partial.read_text().replace("        sumary: x\n", ""))
    assert run("framework", "check", str(partial)).returncode == 0  # warnings alone pass
    assert run("framework", "check", "--strict", str(partial)).returncode == 1


def test_python_dash_m_bot_is_the_same_command(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "staf"], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 0 and "Staff Engineer" in result.stdout


def test_ask_as_a_recorded_person(tmp_path):
    from storage.engine import make_engine
    from storage.migrate import upgrade
    from storage.repositories import PeopleRepository

    url = f"sqlite:///{tmp_path / 'ladder.db'}"
    upgrade(url)
    PeopleRepository(make_engine(url)).upsert("T1", "U1", name="Ada", email=None, track="ic", level="staff", manager_user_id=None)
    result = run("ask", "--team", "T1", "--user", "U1", "what's my next level?", env={"DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    assert "You are Staff Engineer; the next step is Principal Engineer" in result.stdout


def test_framework_check_reports_every_problem_and_fails(tmp_path):
    broken = tmp_path / "acme.yaml"
    from bot.framework.loader import default_framework_path

    text = default_framework_path().read_text()
    broken.write_text(text.replace("equivalent: sr_em", "equivalent: senior_em", 1).replace("summary:", "sumary:", 1))
    result = run("framework", "check", str(broken))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert any(
        re.match(rf"{re.escape(str(broken))}:\d+:\d+: tracks\[", line) and "unknown field 'sumary'" in line for line in lines
    ), lines


def test_framework_check_passes_the_default_and_the_examples():
    from bot.framework.loader import default_framework_path

    for path in [default_framework_path(), *Path(__file__).resolve().parent.parent.glob("docs/examples/*.yaml")]:
        result = run("framework", "check", str(path))
        assert result.returncode == 0, result.stderr
        assert ": ok: " in result.stdout


def test_the_bot_refuses_to_start_on_a_broken_framework(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nversion: '1'\ncompetencies: []\ntracks: []\n")
    result = run("serve", env={"SLACK_BOT_TOKEN": "xoxb-x", "SLACK_SIGNING_SECRET": "s", "LADDER_FRAMEWORK": str(broken)})
    assert result.returncode == 1
    assert f"{broken}:4:9: tracks: must not be empty" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("command", "missing"),
    [
        (["serve"], "SLACK_BOT_TOKEN"),
        (["socket"], "SLACK_BOT_TOKEN"),
        (["people", "import", "people.csv"], "SLACK_BOT_TOKEN"),
    ],
)
def test_a_missing_setting_is_one_line_and_exit_2(command, missing, tmp_path):
    result = run(*command, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert missing in result.stderr and "Traceback" not in result.stderr


def test_signing_secret_is_named_when_only_it_is_missing(tmp_path):
    result = run("serve", env={"SLACK_BOT_TOKEN": "xoxb-x"}, cwd=tmp_path)
    assert result.returncode == 2 and "SLACK_SIGNING_SECRET is not set" in result.stderr


def test_bad_usage_is_exit_2():
    assert run().returncode == 2
    assert run("frobnicate").returncode == 2


def test_db_upgrade_and_current(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert "empty" in run("db", "current", env={"DATABASE_URL": url}).stdout
    upgraded = run("db", "upgrade", env={"DATABASE_URL": url})
    assert upgraded.returncode == 0 and "database at revision" in upgraded.stdout
    assert run("db", "current", env={"DATABASE_URL": url}).stdout.strip() != ""


def test_people_import_resolves_emails_in_slack_and_reports_bad_rows(fake_slack, tmp_path):
    fake_slack.add_user("U0ADA", "ada@example.com", "Ada Lovelace")
    fake_slack.add_user("U0GRACE", "grace@example.com", "Grace Hopper")
    csv = tmp_path / "people.csv"
    csv.write_text(
        "email,track,level,manager\n"
        "ada@example.com,ic,Senior,grace@example.com\n"
        "grace@example.com,management,sr_em,\n"
        "nobody@example.com,ic,staff,\n"
        "U0LIN,ic,Staf Engineer,\n"
    )
    url = f"sqlite:///{tmp_path / 'ladder.db'}"
    env = ladder_env(fake_slack.url, url)
    result = run("people", "import", str(csv), env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "row 4" in result.stderr and "row 5" in result.stderr and "unknown level" in result.stderr
    assert "2 new" in result.stdout
    from storage.engine import make_engine
    from storage.repositories import PeopleRepository

    people = PeopleRepository(make_engine(url))
    ada = people.get("T0TEST", "U0ADA")
    assert (ada.level, ada.manager_user_id, ada.name) == ("senior", "U0GRACE", "Ada Lovelace")
    again = run("people", "import", str(csv), env=env, cwd=tmp_path)
    assert "0 new" in again.stdout and people.count("T0TEST") == 2
    assert fake_slack.calls("users.lookupByEmail")[0].headers.get("Authorization", "").endswith(BOT_TOKEN)


def test_people_import_of_an_unreadable_or_malformed_file(fake_slack, tmp_path):
    env = ladder_env(fake_slack.url, f"sqlite:///{tmp_path / 'ladder.db'}")
    missing = run("people", "import", str(tmp_path / "nope.csv"), env=env, cwd=tmp_path)
    assert missing.returncode == 1 and "cannot read" in missing.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("colour,shape\nred,round\n")
    malformed = run("people", "import", str(bad), env=env, cwd=tmp_path)
    assert malformed.returncode == 1 and "Traceback" not in malformed.stderr and malformed.stderr.startswith("ladder: ")


def test_people_import_with_a_token_slack_refuses(fake_slack, tmp_path):
    fake_slack.expect_refusals()
    csv = tmp_path / "people.csv"
    csv.write_text("email,level\nada@example.com,senior\n")
    env = {**ladder_env(fake_slack.url, f"sqlite:///{tmp_path / 'ladder.db'}"), "SLACK_BOT_TOKEN": "xoxb-revoked"}
    result = run("people", "import", str(csv), env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == "ladder: Slack refused the request: invalid_auth (check SLACK_BOT_TOKEN, SLACK_APP_TOKEN and SLACK_API_URL)"
    )


def test_framework_init_writes_a_starter_that_passes_the_check(tmp_path):
    target = tmp_path / "sales.yaml"
    result = run("framework", "init", "--family", "Sales", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert "Sales Manager" in target.read_text() and "# " in target.read_text()
    assert run("framework", "check", "--strict", str(target)).returncode == 0
    again = run("framework", "init", "-o", str(target))  # never overwrites
    assert again.returncode == 1 and "exists already" in again.stderr


def test_framework_diff_lists_what_changed(tmp_path):
    from bot.framework.loader import default_framework_path

    text = default_framework_path().read_text()
    changed = text.replace("title: Staff Engineer", "title: Staff Software Engineer", 1).replace(
        "      - id: distinguished",
        "      - id: senior_principal\n        title: Senior Principal Engineer\n      - id: distinguished",
        1,
    )
    changed = changed.replace(
        "Sets the technical direction for a group of teams", "Sets technical direction for several teams", 1
    )
    changed = (
        changed.replace('version: "2026.1"', 'version: "2026.2"')
        .replace("version: '2026.1'", "version: '2026.2'")
        .replace("version: 2026.1", "version: 2026.2")
    )
    new = tmp_path / "new.yaml"
    new.write_text(changed)
    result = run("framework", "diff", str(default_framework_path()), str(new))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "+ level Senior Principal Engineer (senior_principal): Individual Contributor track, level 6" in lines
    assert "~ level staff: 'Staff Engineer' → 'Staff Software Engineer'" in lines
    assert "~ level Staff Software Engineer (staff): expectation for Technical depth changed" in lines
    assert any(line.startswith("~ framework: ") and "version 2026.2" in line for line in lines), lines
    same = run("framework", "diff", str(default_framework_path()), str(default_framework_path()))
    assert same.stdout.strip() == "no changes that answers would show"


MALFORMED_DATABASE_URLS = [
    "nonsense",
    "postgresql://:s3cret@",
    "mysql://ladder:s3cret@db.example.com/ladder",
    "postgresql://ladder:s3cret@db.example.com:port/ladder",
    "sqlite://db.example.com/ladder.db",
]


COMMANDS_ON_THE_DATABASE = (
    ["db", "upgrade"],
    ["db", "current"],
    ["admins", "list"],
    ["cycle", "list"],
    ["outbox", "status"],
    ["clock"],
)


@pytest.mark.parametrize("url", MALFORMED_DATABASE_URLS)
def test_a_malformed_database_url_is_one_line_naming_it_and_exit_2(url, tmp_path):
    env = {"DATABASE_URL": url, "SLACK_BOT_TOKEN": "xoxb-x", "SLACK_SIGNING_SECRET": "s", "SLACK_APP_TOKEN": "xapp-x"}
    # every command with the first URL, one command each with the others: a subprocess costs half a second
    n = MALFORMED_DATABASE_URLS.index(url)
    commands = COMMANDS_ON_THE_DATABASE if n == 0 else [COMMANDS_ON_THE_DATABASE[n % len(COMMANDS_ON_THE_DATABASE)]]
    for command in commands:
        result = run(*command, env=env, cwd=tmp_path)
        assert result.returncode == 2, (command, result.stderr)
        assert result.stderr.startswith("ladder: DATABASE_URL ") and result.stderr.count("\n") == 1, (command, result.stderr)
        assert "Traceback" not in result.stderr and "s3cret" not in result.stderr
    served = run("serve", env=env, cwd=tmp_path)
    assert served.returncode == 2
    (line,) = [json.loads(text) for text in served.stderr.splitlines()]  # one line, and JSON like every line serve writes
    assert line["level"] == "ERROR" and line["msg"].startswith("DATABASE_URL ") and "s3cret" not in served.stderr
    assert list(tmp_path.iterdir()) == []  # and no database was created anywhere

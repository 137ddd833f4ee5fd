"""Slack user ids given to the command line (admins, panel chairs and members, cadences) are people Slack knows."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from bot.cli import main
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.models import Panel, Role
from tests.app_server import BOT_TOKEN, running_ladder

NOBODY, GONE, APP = "U0NOBODY", "U0GONE", "U0APP"
NOT_HERE = "no such user in this Slack workspace"
UNKNOWN = f"{NOBODY} ({NOT_HERE})"


@pytest.fixture
def cli(fake_slack, sqlite_url, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    upgrade(sqlite_url)
    for user, name in (("U0ADA", "Ada Lovelace"), ("U0BEA", "Bea Bell"), (GONE, "Gone Person"), (APP, "Deploy Bot")):
        fake_slack.add_user(user, f"{user.lower()}@example.com", name, is_bot=user == APP)
    fake_slack.change_user(GONE, deleted=True)
    env = {"DATABASE_URL": sqlite_url, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": fake_slack.url}
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        status = main([*argv, "--team", "T0TEST"])
        out, err = capsys.readouterr()
        return status, out, err

    run.engine = make_engine(sqlite_url)  # type: ignore[attr-defined]
    return run


def _rows(cli, model: type) -> list:  # type: ignore[no-untyped-def]
    with Session(cli.engine) as session:
        return list(session.exec(select(model)))


def test_unknown_deactivated_and_app_accounts_are_refused_by_name(cli):
    assert cli("admins", "add", NOBODY) == (1, "", f"ladder: not someone who can take part: {UNKNOWN}\n")
    assert cli("admins", "add", GONE) == (1, "", f"ladder: not someone who can take part: {GONE} (deactivated)\n")
    assert cli("admins", "add", APP) == (1, "", f"ladder: not someone who can take part: {APP} (a bot or an app, not a person)\n")
    status, _, err = cli("panel", "create", "Staff panel", "--chair", "U0ADA", "--members", f"U0BEA,{NOBODY},{GONE},{APP}")
    assert status == 1 and err == (
        f"ladder: not someone who can take part: {UNKNOWN}; {GONE} (deactivated); {APP} (a bot or an app, not a person)\n"
    )
    assert cli("panel", "create", "Staff panel", "--chair", NOBODY, "--members", "U0ADA,U0BEA")[0] == 1
    assert cli("checkins", "cadence", "U0ADA", NOBODY, "weekly") == (1, "", f"ladder: not someone who can take part: {UNKNOWN}\n")
    assert _rows(cli, Role) == [] and _rows(cli, Panel) == []

    assert cli("admins", "add", "U0ADA")[0] == 0
    assert cli("panel", "create", "Staff panel", "--chair", "U0ADA", "--members", "U0ADA,U0BEA")[0] == 0
    assert cli("panel", "edit", "Staff panel", "--members", f"U0ADA,{GONE}") == (
        1,
        "",
        f"ladder: not someone who can take part: {GONE} (deactivated)\n",
    )
    assert [r.user_id for r in _rows(cli, Role)] == ["U0ADA"] and [p.name for p in _rows(cli, Panel)] == ["Staff panel"]


def test_without_a_token_the_ids_are_taken_as_given_and_that_is_said_once(cli, monkeypatch):
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    status, out, err = cli("panel", "create", "Staff panel", "--chair", "U0ADA", "--members", "U0ADA,U0BEA")
    assert status == 0 and "Staff panel created" in out
    assert err.splitlines()[0] == "ladder: note: not checked in Slack (SLACK_BOT_TOKEN is not set): U0ADA, U0BEA"
    assert err.count("not checked") == 1


def test_an_app_is_refused_as_an_admin_in_slack_too(fake_slack, tmp_path):
    fake_slack.add_user(APP, "deploy@example.com", "Deploy Bot", is_bot=True)
    with running_ladder(fake_slack.url, tmp_path, LADDER_ADMINS="U0ADMIN") as ladder:
        _, body, _ = ladder.slack.slash_command(f"admins add <@{APP}|deploy>", user_id="U0ADMIN")
        assert json.loads(body)["text"] == "The account you picked cannot be a Ladder admin: a bot or an app, not a person."
        _, body, _ = ladder.slack.slash_command(f"admins add <@{NOBODY}|nobody>", user_id="U0ADMIN")
        assert json.loads(body)["text"] == f"The account you picked cannot be a Ladder admin: {NOT_HERE}."
        _, body, _ = ladder.slack.slash_command(f"admins add <@{APP}|deploy>", user_id="U0BEA")
        assert json.loads(body)["text"] == "Only a Ladder admin can add or remove admins."
    assert len(fake_slack.calls("users.info")) == 2  # the person is looked up only for an admin

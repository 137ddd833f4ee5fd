"""`ladder people import` in single-workspace mode after an uninstall (issue #20), on SQLite and PostgreSQL: with the
revoked SLACK_BOT_TOKEN it refuses in one line and asks Slack nothing (not even auth.test); with the new token it
imports as ever."""

from __future__ import annotations

from bot.cli import main as ladder
from tests.app_server import BOT_TOKEN, ladder_env
from tests.test_single_workspace_reinstall import NEW_TOKEN, uninstalled  # noqa: F401 - the fixture

__all__ = ["uninstalled"]


def _import(capsys, monkeypatch, fake_slack, database_url, tmp_path, token: str, *extra: str) -> tuple[int, str]:
    for name, value in ladder_env(fake_slack.url, database_url, SLACK_BOT_TOKEN=token).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SLACK_CLIENT_ID", raising=False)
    people = tmp_path / "people.csv"
    people.write_text("slack_id,level,name\nUANA,senior,Ana\n")
    capsys.readouterr()
    status = ladder(["people", "import", str(people), *extra])
    return status, capsys.readouterr().err


def test_people_import_with_the_revoked_token_refuses_in_one_line_and_calls_nothing(
    uninstalled, fake_slack, database_url, tmp_path, capsys, monkeypatch
):
    for extra in ((), ("--dry-run",)):
        since = len(fake_slack.calls())
        status, err = _import(capsys, monkeypatch, fake_slack, database_url, tmp_path, BOT_TOKEN, *extra)
        assert status == 1 and err.count("\n") == 1 and "revoked by an uninstall" in err, err
        assert BOT_TOKEN not in err
        assert fake_slack.calls()[since:] == []  # not auth.test, not users.info


def test_people_import_with_the_new_token_asks_slack_as_ever(
    uninstalled, fake_slack, database_url, tmp_path, capsys, monkeypatch
):
    fake_slack.valid_tokens.add(NEW_TOKEN)
    since = len(fake_slack.calls())
    status, err = _import(capsys, monkeypatch, fake_slack, database_url, tmp_path, NEW_TOKEN, "--dry-run")
    assert status == 0, err
    assert {c.token for c in fake_slack.calls()[since:]} == {NEW_TOKEN}
    assert "auth.test" in {c.method for c in fake_slack.calls()[since:]}

"""Single-workspace mode: Ladder serves the bot token's workspace, and LADDER_ADMINS administer it and no other."""

from __future__ import annotations

import json
import logging

from sqlmodel import Session, select

from bot.cli import main
from storage.models import Role
from tests.app_server import BOT_TOKEN, running_ladder

ELSEWHERE = "Ladder here serves another Slack workspace, so it cannot answer in this one."


def _text(answer: tuple[int, str, dict[str, str]]) -> str:
    status, body, _ = answer
    assert status == 200, body
    return json.loads(body)["text"] if body else ""


def _roles(ladder) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with Session(ladder.services.engine) as session:
        return [(r.team_id, r.user_id) for r in session.exec(select(Role))]


def test_configured_admins_administer_the_tokens_workspace_and_other_teams_are_refused(fake_slack, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="ladder.requests")
    fake_slack.add_user("U0NEW", "new@example.com", "New Admin")
    with running_ladder(fake_slack.url, tmp_path, LADDER_ADMINS="U0ADMIN") as ladder:
        for command in ("admins add <@U0NEW|new>", "cycle", "admins", "what does staff mean"):
            assert _text(ladder.slack.slash_command(command, user_id="U0ADMIN", team_id="T0OTHER")) == ELSEWHERE, command
        home = {"type": "app_home_opened", "user": "U0ADMIN", "channel": "D0ADMIN", "tab": "home", "event_ts": "1.1"}
        assert ladder.slack.event(home, team_id="T0OTHER")[:2] == (200, "")  # acknowledged, so Slack does not retry it
        assert fake_slack.calls("views.publish") == [] and _roles(ladder) == []
        refused = [r for r in caplog.records if getattr(r, "outcome", None) == "other workspace"]
        assert len(refused) == 5 and {r.team for r in refused} == {"T0OTHER"}  # each its one request line

        added = _text(ladder.slack.slash_command("admins add <@U0NEW|new>", user_id="U0ADMIN"))
        assert added == "<@U0NEW> is now a Ladder admin."
        assert _roles(ladder) == [("T0TEST", "U0NEW")]
        assert ladder.slack.slash_command("cycle", user_id="U0ADMIN")[0] == 200
        assert fake_slack.wait_for("views.open")[0].args["view"]["type"] == "modal"


def test_until_slack_says_which_workspace_configured_admins_administer_nothing(fake_slack, tmp_path):
    fake_slack.add_user("U0NEW", "new@example.com", "New Admin")
    fake_slack.break_next("auth.test", "http_500", times=1000)  # Slack is down while Ladder starts, and stays down
    with running_ladder(fake_slack.url, tmp_path, LADDER_ADMINS="U0ADMIN") as ladder:
        assert ladder.services.identity.team_id is None
        for team in ("T0TEST", "T0OTHER"):  # served (Ladder cannot tell them apart yet), but nobody's admin powers
            refused = _text(ladder.slack.slash_command("admins add <@U0NEW|new>", user_id="U0ADMIN", team_id=team))
            assert refused == "Only a Ladder admin can add or remove admins.", team
        assert "Staff Engineer" in _text(ladder.slack.slash_command("what does staff mean", user_id="U0ADMIN", team_id="T0OTHER"))
        assert _roles(ladder) == []

        fake_slack.heal("auth.test")  # Slack answers again
        assert ladder.services.identity.learn_now() == "T0TEST"
        assert _text(ladder.slack.slash_command("admins add <@U0NEW|new>", user_id="U0ADMIN", team_id="T0OTHER")) == ELSEWHERE
        added = _text(ladder.slack.slash_command("admins add <@U0NEW|new>", user_id="U0ADMIN"))
        assert added == "<@U0NEW> is now a Ladder admin."


def test_the_command_line_counts_configured_admins_in_the_tokens_workspace_only(fake_slack, sqlite_url, monkeypatch, capsys):
    from storage.migrate import upgrade

    upgrade(sqlite_url)
    for name, value in {"DATABASE_URL": sqlite_url, "LADDER_ADMINS": "U0ADMIN", "SLACK_API_URL": fake_slack.url}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    assert main(["admins", "list", "--team", "T0TEST"]) == 0
    assert capsys.readouterr().out == "U0ADMIN\n"
    assert main(["admins", "list", "--team", "T0OTHER"]) == 0
    assert capsys.readouterr().out == "no admins in team T0OTHER yet: ladder admins add USER\n"

    monkeypatch.delenv("SLACK_BOT_TOKEN")  # without a token, nothing says which workspace they administer
    assert main(["admins", "list", "--team", "T0TEST"]) == 0
    out, err = capsys.readouterr()
    assert out == "no admins in team T0TEST yet: ladder admins add USER\n"
    assert err == "ladder: note: LADDER_ADMINS are not counted as admins here: SLACK_BOT_TOKEN is not set\n"

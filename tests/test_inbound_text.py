"""What people type reaches Ladder as Slack sends it: with &, < and > escaped (&amp; &lt; &gt;) in message events and in
/ladder's text. Every route reads it unescaped, once — a question asked in a DM, a competency named to /ladder evidence,
a cycle named to /ladder cycle — with a framework whose competency is 'Design & Architecture'."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.framework import loader
from tests.app_server import BOT_TOKEN
from tests.checkin_world import organisation, text_of

DEFAULT = Path(loader.__file__).with_name("default.yaml")


@pytest.fixture
def world(fake_slack, tmp_path, sqlite_url):
    framework = tmp_path / "framework.yaml"
    framework.write_text(DEFAULT.read_text().replace("name: Technical depth", "name: Design & Architecture"))
    with organisation(
        fake_slack, tmp_path, sqlite_url, datetime(2026, 3, 16, 9, tzinfo=UTC), LADDER_FRAMEWORK=str(framework)
    ) as world:
        yield world


def answer_to_dm(world, text: str) -> str:
    world.ladder.slack.direct_message(text, user="UANA", channel="DUANA")
    world.drain()
    return text_of(world.dms_to("UANA")[-1]["blocks"])


def test_a_question_in_a_direct_message_is_read_as_it_was_typed(world):
    typed = "what does Design & Architecture look like at Staff?"
    answer = answer_to_dm(world, typed.replace("&", "&amp;"))  # as Slack sends it
    assert answer.splitlines()[0] == answer_to_dm(world, typed).splitlines()[0]
    assert "Design &amp; Architecture" in answer.splitlines()[0] or "Design & Architecture" in answer.splitlines()[0]


def test_a_competency_named_to_ladder_evidence_is_read_as_it_was_typed(world):
    status, body, _ = world.ladder.slack.slash_command("evidence design &amp; architecture", user_id="UANA")
    assert status == 200 and "is not a competency" not in body and "&amp;amp;" not in body


def test_a_cycle_named_to_ladder_cycle_is_read_as_it_was_typed(world, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", world.services.database_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_API_URL", world.slack.url)
    dates = ["--opens", "2026-03-16", "--reviews-due", "2026-03-27", "--panel-from", "2026-03-30", "--decisions", "2026-04-10"]
    assert main(["cycle", "create", "R&D 2026", *dates, "--team", "T0TEST"]) == 0
    status, body, _ = world.ladder.slack.slash_command("cycle R&amp;D 2026", user_id="UADMIN")
    assert status == 200 and body == "", body
    assert "Edit *R&amp;D 2026*" in text_of(world.open_modal("UADMIN")["blocks"])  # the cycle found, its name escaped in mrkdwn

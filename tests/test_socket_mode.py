"""`ladder socket`: the same answers over Slack's Socket Mode, for development without a public URL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.app_server import ladder_env

LADDER = str(Path(sys.executable).parent / "ladder")


@pytest.fixture
def socket_process(fake_slack, fake_socket_mode, tmp_path):
    fake_slack.socket_mode_url = fake_socket_mode.url
    env = {
        **os.environ,
        **ladder_env(fake_slack.url, f"sqlite:///{tmp_path / 'ladder.db'}"),
        "SLACK_APP_TOKEN": "xapp-test-token",
    }
    env.pop("SLACK_SIGNING_SECRET")  # Socket Mode requests are not signed; development needs no secret
    process = subprocess.Popen(
        [LADDER, "socket"], env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        fake_socket_mode.wait_connected()
    except Exception:
        process.kill()
        pytest.fail(f"ladder socket did not connect: {process.communicate(timeout=5)[1][-2000:]}")
    yield process
    process.terminate()
    process.communicate(timeout=15)


def test_slash_command_over_socket_mode_is_answered_in_the_ack(socket_process, fake_socket_mode):
    envelope_id = fake_socket_mode.send(
        "slash_commands",
        {
            "team_id": "T0TEST",
            "user_id": "U0ASKER",
            "command": "/ladder",
            "text": "what does staff mean",
            "channel_id": "C1",
            "response_url": "https://hooks.slack.com/commands/T0TEST/1/x",
            "trigger_id": "1.2.3",
            "api_app_id": "A0LADDER",
        },
    )
    ack = fake_socket_mode.ack_for(envelope_id)
    assert ack["payload"]["response_type"] == "ephemeral"
    assert "Staff Engineer" in ack["payload"]["text"]


def test_mention_over_socket_mode_is_answered_in_the_thread(socket_process, fake_socket_mode, fake_slack):
    event = {
        "type": "app_mention",
        "user": "U0ASKER",
        "text": "<@U0BOT> what comes after senior",
        "ts": "1700000000.000100",
        "channel": "C0GENERAL",
        "event_ts": "1700000000.000100",
    }
    envelope_id = fake_socket_mode.send(
        "events_api",
        {
            "token": "x",
            "team_id": "T0TEST",
            "api_app_id": "A0LADDER",
            "event": event,
            "type": "event_callback",
            "event_id": "Ev0SOCKET",
            "event_time": 1700000000,
        },
    )
    fake_socket_mode.ack_for(envelope_id)
    [call] = fake_slack.wait_for("chat.postMessage", timeout=10)
    assert call.args["thread_ts"] == "1700000000.000100" and "Staff Engineer" in call.args["text"]

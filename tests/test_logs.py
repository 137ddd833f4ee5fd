"""Log lines: JSON for every logger, request ids on every line of a request, no payload text from libraries."""

from __future__ import annotations

import io
import json
import logging
from typing import Iterator

import pytest

from bot.runtime.logs import JsonFormatter, request_ids, scrub

SECRET = "my private question about leaving"


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def parsed(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_library_messages_lose_anything_payload_shaped(log_lines):
    logging.getLogger("slack_bolt.App").warning("Unhandled request ({'event': {'text': '%s'}})" % SECRET)
    logging.getLogger("slack_sdk.web").info(f"Sending a request - body: {SECRET}")
    logging.getLogger("waitress").warning(f"payload b'{SECRET}'")
    assert SECRET not in log_lines.getvalue()
    assert [line["msg"] for line in parsed(log_lines)] == ["Unhandled request (…)", "Sending a request - body: …", "payload …"]


def test_a_library_exception_does_not_quote_its_payload(log_lines):
    try:
        raise ValueError(f"could not parse {{'text': '{SECRET}'}}")
    except ValueError:
        logging.getLogger("slack_bolt.App").exception("failed")
    (line,) = parsed(log_lines)
    assert "Traceback" in line["exc"] and SECRET not in line["exc"]


def test_ladders_own_lines_are_kept_as_written(log_lines):
    logging.getLogger("ladder.requests").info("slack request", extra={"surface": "command:/ladder"})
    assert parsed(log_lines)[0]["surface"] == "command:/ladder"


def test_lines_inside_a_request_carry_its_ids_whoever_logs_them(log_lines):
    with request_ids(team="T1", user="U1", event="Ev1"):
        logging.getLogger("sqlalchemy.pool").error("connection invalidated")
    logging.getLogger("sqlalchemy.pool").error("outside")
    inside, outside = parsed(log_lines)
    assert (inside["team"], inside["user"], inside["event"]) == ("T1", "U1", "Ev1")
    assert "team" not in outside


def test_an_error_while_answering_is_logged_with_the_requests_ids(ladder, fake_slack, log_lines, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(ladder.services.careers, "ask", broken)
    assert ladder.slack.app_mention("<@U0BOT> staff", user="U0ERR", channel="C0ERR")[0] == 200
    (apology,) = fake_slack.wait_for("chat.postEphemeral")  # the asker is told, privately (by the outbox's sender)
    assert apology.args["user"] == "U0ERR"
    errors = [line for line in parsed(log_lines) if line["level"] == "ERROR"]
    assert errors and all((e["team"], e["user"]) == ("T0TEST", "U0ERR") and e["event"].startswith("Ev") for e in errors)


def test_scrub_keeps_short_plain_messages():
    assert scrub("Worker exiting (pid: 12)") == "Worker exiting (pid: 12)"
    assert scrub("x" * 1000).endswith("…") and len(scrub("x" * 1000)) == 401

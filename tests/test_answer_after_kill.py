"""A mention acknowledged by a `ladder serve` worker that is then killed (kill -9) is answered, exactly once: its answer
was an outbox row committed with the event's claim before the acknowledgement, and another process's sender sends it
(issue #19). On SQLite and PostgreSQL, through real `ladder serve` processes and the fake Slack."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from messages.question_kinds import ANSWER
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.models import OutboxMessage
from tests.app_server import ladder_env
from tests.serve_process import LadderProcess, family, free_port

pytestmark = pytest.mark.slow
KEY = "answer:EvKILLED"


def _answers(fake_slack: Any) -> list[Any]:
    return [
        c for c in fake_slack.calls("chat.postMessage")
        if c.carried_out and (c.args.get("metadata") or {}).get("event_payload", {}).get("key") == KEY
    ]  # fmt: skip


def _serve(fake_slack: Any, tmp_path: Path, database_url: str, **env: str) -> LadderProcess:
    environment = {**os.environ, **ladder_env(fake_slack.url, database_url), "PORT": str(free_port()), "HOST": "127.0.0.1"}
    server = LadderProcess({**environment, "LADDER_CLOCK": "off", "WEB_CONCURRENCY": "1", **env}, tmp_path)
    server.wait_ready()
    return server


def test_a_mention_acked_by_a_worker_killed_at_once_is_answered_exactly_once(fake_slack, tmp_path, database_url):
    upgrade(database_url)
    mention = {"text": "<@U0BOT> what does Staff mean?", "channel": "C0KILL", "ts": "1700000000.000900", "event_id": "EvKILLED"}
    first = _serve(fake_slack, tmp_path, database_url, LADDER_SENDERS="0")  # it acknowledges, and never gets to send
    second = None
    try:
        assert first.slack.app_mention(**mention)[0] == 200
        for pid in family(first.process.pid):  # at once, as when its machine dies: the worker that acknowledged it too
            os.kill(pid, signal.SIGKILL)
        first.process.wait(10)
        assert fake_slack.calls("chat.postMessage") == []

        second = _serve(fake_slack, tmp_path, database_url, LADDER_SENDERS="1")
        # Slack, not sure the first delivery arrived, sends the event again: acknowledged, and dropped
        assert second.slack.app_mention(**mention, retry_num=1, retry_reason="http_timeout")[0] == 200
        deadline = time.monotonic() + 30
        while not _answers(fake_slack) and time.monotonic() < deadline:
            time.sleep(0.05)
        [answer] = _answers(fake_slack)  # the other process's sender sent it
        assert answer.args["channel"] == "C0KILL" and answer.args["thread_ts"] == "1700000000.000900"
        assert "Staff" in answer.args["text"]
    finally:
        for server in (first, second):
            if server is not None:
                server.stop()  # its senders stopped: whatever they were to send, they have sent
    assert len(_answers(fake_slack)) == 1
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            rows = session.exec(select(OutboxMessage).where(OutboxMessage.purpose == ANSWER)).all()
    finally:
        engine.dispose()
    assert [(r.key, r.status) for r in rows] == [(KEY, "sent")]

"""Run the real Ladder WSGI app (Bolt, handlers, storage) on a local port for tests.

The app talks to the fake Slack Web API through SLACK_API_URL exactly as it would talk to
Slack, and tests talk to it with signed HTTP requests exactly as Slack would.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any, Callable, Iterator
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from bot.runtime.pacing import Pacer
from bot.runtime.senders import start_senders
from bot.runtime.services import Services, build_services
from bot.runtime.settings import Settings
from bot.runtime.wsgi import LadderWsgi, build_wsgi
from storage.migrate import upgrade
from tests.slack_requests import SlackSender

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:  # the app logs requests itself
        pass


@dataclass
class RunningLadder:
    url: str
    services: Services
    slack: SlackSender
    settings: Settings
    app: LadderWsgi


def ladder_env(fake_slack_url: str, database_url: str, **overrides: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack_url,
        "DATABASE_URL": database_url,
        **overrides,
    }


@contextlib.contextmanager
def running_ladder(
    fake_slack_url: str,
    tmp_path: Path,
    *,
    database_url: str | None = None,
    now: Callable[[], datetime] | None = None,
    **overrides: str,
) -> Iterator[RunningLadder]:
    """The whole app on a local port, configured as ``ladder serve`` would be by these environment variables;
    ``now`` is the app's clock (a test's :class:`tests.clock.TestClock`)."""
    database_url = database_url or f"sqlite:///{tmp_path / 'ladder.db'}"
    settings = Settings.from_env(ladder_env(fake_slack_url, database_url, **overrides))
    upgrade(database_url)
    services = build_services(settings, now=now) if now else build_services(settings)
    services.identity.learn_now()  # as a server knows its workspace a moment after its first request
    app = build_wsgi(settings, services)
    if now is None:  # as in a `ladder serve` worker, its senders send what requests write to the outbox (answers too);
        start_senders(services, settings)  # a test with its own clock sends by draining the outbox itself
    else:  # and its clock stands still unless it moves it: paced to Slack's limits, a drain would send only a burst
        services.sender.pacer = Pacer.unlimited(lambda: now().timestamp())  # (a 429 still pauses what it limited)
    server = make_server("127.0.0.1", 0, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield RunningLadder(url, services, SlackSender(url, SIGNING_SECRET), settings, app)
    finally:
        server.shutdown()
        server.server_close()
        services.close(timeout=5)


@pytest.fixture
def ladder(fake_slack, tmp_path) -> Iterator[RunningLadder]:
    with running_ladder(fake_slack.url, tmp_path) as running:
        yield running

"""The HTTP face of Ladder: Slack requests at /slack/events and a health check at /healthz."""

from __future__ import annotations

import json
from typing import Any, Callable, Iterable

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import Engine

from storage.engine import ping

SLACK_PATH = "/slack/events"


class LadderWsgi:
    """WSGI application: Bolt's own adapter for Slack, plus the load balancer's health check."""

    def __init__(self, app: App, engine: Engine) -> None:
        self._slack = SlackRequestHandler(app, path=SLACK_PATH)
        self._engine = engine

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return self._health(start_response)
        return self._slack(environ, start_response)

    def _health(self, start_response: Callable[..., Any]) -> Iterable[bytes]:
        healthy = ping(self._engine)
        body = json.dumps({"status": "ok" if healthy else "unavailable", "database": "ok" if healthy else "down"}).encode()
        status = "200 OK" if healthy else "503 Service Unavailable"
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

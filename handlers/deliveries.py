"""Slack redelivers an event it thinks was missed; answer each event once, however often it comes."""

from __future__ import annotations

from typing import Any, Callable

from slack_bolt import App, BoltContext, BoltResponse

from bot.request_log import DUPLICATE
from bot.services import Services


def register(app: App, services: Services) -> None:
    @app.middleware
    def answer_each_event_once(body: dict[str, Any], context: BoltContext, next: Callable[[], None]) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not services.events.claim(context.team_id or body.get("team_id") or "", event_id):
            context[DUPLICATE] = True
            return BoltResponse(status=200, body="")
        next()
        return None

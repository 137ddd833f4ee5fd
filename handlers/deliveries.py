"""Slack redelivers an event it thinks was missed; answer each event once, however often it comes."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any, Callable

from slack_bolt import App, BoltContext, BoltResponse

from bot.request_log import DUPLICATE
from bot.services import Services

RETRY_WINDOW = timedelta(days=1)
"""Slack retries a delivery for minutes; a day of remembered event ids is ample."""
PRUNE_EVERY = 500


def register(app: App, services: Services) -> None:
    count_claim = itertools.count(1).__next__  # not next(): Bolt names the middleware's continuation `next`

    @app.middleware
    def answer_each_event_once(body: dict[str, Any], context: BoltContext, next: Callable[[], None]) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            if not services.events.claim(context.team_id or body.get("team_id") or "", event_id):
                context[DUPLICATE] = True
                return BoltResponse(status=200, body="")
            if count_claim() % PRUNE_EVERY == 0:
                services.events.prune(RETRY_WINDOW)
        next()
        return None

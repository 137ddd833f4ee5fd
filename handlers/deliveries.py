"""Slack redelivers an event it thinks was missed; answer each event once, however often it comes."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Callable

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.runtime.request_log import DUPLICATE
from handlers.context import services_of

RETRY_WINDOW = timedelta(days=1)
"""Slack retries a delivery for minutes; a day of remembered event ids is ample."""
PRUNE_EVERY = 500


class AnswerEachEventOnce(Middleware):
    """Claims each (team, event id) before any listener runs; a redelivery is acknowledged and dropped.

    A Middleware subclass rather than a decorated function: it runs on every request, and Bolt's
    argument injection for function middleware costs more than the check itself.
    """

    def __init__(self) -> None:
        self._count_claim = itertools.count(1).__next__

    def process(self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        body = req.body
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            events = services_of(req.context).events
            if not events.claim(req.context.team_id or body.get("team_id") or "", event_id):
                req.context[DUPLICATE] = True
                return BoltResponse(status=200, body="")
            if self._count_claim() % PRUNE_EVERY == 0:
                events.prune(RETRY_WINDOW)
        return next()

"""Slack redelivers an event it thinks was missed; answer each event once, however often it comes."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Callable

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.runtime.request_log import DUPLICATE
from handlers.context import services_of, session_of
from storage.models import ProcessedEvent
from storage.repositories.once import insert_once

RETRY_WINDOW = timedelta(days=1)
"""Slack retries a delivery for minutes; a day of remembered event ids is ample."""
PRUNE_EVERY = 500


class AnswerEachEventOnce(Middleware):
    """Claims each (team, event id) before any listener runs; a redelivery is acknowledged and dropped.
    (A retry arriving while the first delivery is still being handled waits on the claim's row until that
    commits, then is dropped; if the first one failed, the retry is handled.)

    A Middleware subclass rather than a decorated function: it runs on every request, and Bolt's
    argument injection for function middleware costs more than the check itself.
    """

    def __init__(self) -> None:
        self._count_claim = itertools.count(1).__next__

    def process(self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        body = req.body
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            team_id = req.context.team_id or body.get("team_id") or ""
            # claimed in the request's own unit of work: if handling it fails, the claim is rolled back with the
            # rest, and Slack's retry is handled instead of being dropped as a duplicate
            if not insert_once(
                session_of(req.context), ProcessedEvent(team_id=team_id, event_id=event_id), ["team_id", "event_id"]
            ):
                req.context[DUPLICATE] = True
                return BoltResponse(status=200, body="")
            if self._count_claim() % PRUNE_EVERY == 0:
                services_of(req.context).events.prune(RETRY_WINDOW)
        return next()

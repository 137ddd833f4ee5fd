"""Slack redelivers an event it thinks was missed; answer each event once, however often it comes."""

from __future__ import annotations

from datetime import timedelta
from typing import Callable

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.runtime.request_log import DUPLICATE
from handlers.context import session_of
from storage.models import ProcessedEvent
from storage.repositories.once import insert_once

RETRY_WINDOW = timedelta(days=1)
"""Slack retries a delivery for minutes; a day of remembered event ids is ample (the clock prunes older ones daily)."""


class AnswerEachEventOnce(Middleware):
    """Claims each (team, event id) before any listener runs; a redelivery is acknowledged and dropped.

    The claim rides in the request's own unit of work: if handling the event fails, the claim is rolled
    back with the rest and Slack's retry is handled rather than dropped; a retry arriving while the first
    delivery is still being handled waits on the claim's row until that commits, then is dropped.

    A Middleware subclass rather than a decorated function: it runs on every request, and Bolt's
    argument injection for function middleware costs more than the check itself.
    """

    def process(self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        body = req.body
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            claim = ProcessedEvent(team_id=req.context.team_id or body.get("team_id") or "", event_id=event_id)
            if not insert_once(session_of(req.context), claim, ["team_id", "event_id"]):
                req.context[DUPLICATE] = True
                return BoltResponse(status=200, body="")
        return next()

"""Slack redelivers an event it thinks was missed; answer each event once, however often it comes."""

from __future__ import annotations

from typing import Callable

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from handlers.context import DUPLICATE, services_of, work_of
from storage.models import ProcessedEvent
from storage.repositories.once import insert_once


class AnswerEachEventOnce(Middleware):
    """Claims each (team, event id) before any listener runs; a redelivery is acknowledged and dropped.

    The claim rides in the request's own unit of work: if handling the event fails, the claim is rolled
    back with the rest and Slack's retry is handled rather than dropped; a retry arriving while the first
    delivery is still being handled waits on the claim's row until that commits, then is dropped. An event
    whose listener only reads (a Home tab, a question) runs in a unit of work that cannot write: its claim is
    committed on its own first, and forgotten again if handling fails.

    A Middleware subclass rather than a decorated function: it runs on every request, and Bolt's
    argument injection for function middleware costs more than the check itself.
    """

    def process(self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        body = req.body
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            team_id = req.context.team_id or body.get("team_id") or ""
            if not _claim(req.context, team_id, event_id):
                req.context[DUPLICATE] = True
                return BoltResponse(status=200, body="")
        return next()


def _claim(context: BoltContext, team_id: str, event_id: str) -> bool:
    work = work_of(context)
    if not work.reads_only:
        return insert_once(work.session, ProcessedEvent(team_id=team_id, event_id=event_id), ["team_id", "event_id"])
    events = services_of(context).events
    if not events.claim(team_id, event_id):
        return False
    work.after_rollback(lambda: events.release(team_id, event_id))
    return True

"""What a request must deliver goes through the outbox, in the request's own unit of work; each event is handled once.

Slack redelivers an event it thinks was missed. An event that changes anything (a question to answer is one: its
answer is an outbox row) is claimed by its id in the request's unit of work, together with what it writes: if handling
it fails, the claim is rolled back with the rest and Slack's retry is handled rather than dropped; a retry arriving
while the first delivery is still being handled waits on the claim's row until that commits, then is dropped; a process
killed after acknowledging it either committed both (the outbox sends the answer) or neither (Slack's retry is
answered). An event whose listener only reads (a Home tab opened) is not claimed: handling it twice shows the same.
"""

from __future__ import annotations

import uuid
from typing import Any, Callable

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from handlers.context import DUPLICATE, services_of, team_and_user, tenant_of, work_of
from messages.pressed_kinds import PRESSED
from messages.render import Message
from storage.repositories import EventLog
from storage.repositories.outbox import Outbox


class AnswerEachEventOnce(Middleware):
    """Claims each (team, event id) of a writing request before any listener runs; a redelivery is acknowledged and
    dropped.

    A Middleware subclass rather than a decorated function: it runs on every request, and Bolt's
    argument injection for function middleware costs more than the check itself.
    """

    def process(self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        body = req.body
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not work_of(req.context).reads_only:
            team_id = tenant_of(req.context, body)
            if not EventLog(work_of(req.context).session).claim(team_id, event_id):
                req.context[DUPLICATE] = True
                return BoltResponse(status=200, body="")
        return next()


def deliver(context: BoltContext, team_id: str, key: str, kind: str, recipient: str, about: dict[str, Any]) -> bool:
    """Write a message of ``kind`` (``messages/*_kinds.py``) to the outbox in this request's unit of work: it is sent
    once that commits, by whichever sender claims it first (this process's is woken). ``key`` makes it once: a second
    write with the same key writes nothing. True when this call wrote it."""
    services, work = services_of(context), work_of(context)
    written = Outbox(work.session).enqueue(team_id, key, kind, recipient, about, due_at=services.now())
    if written:
        work.after_commit(services.sender.wake)
    return written


def supersede(context: BoltContext, team_id: str, kind: str, recipient: str) -> None:
    """Messages of ``kind`` to ``recipient`` not yet claimed are not sent: the one about to be written replaces them
    (a Home tab published again shows everything the earlier ones would have)."""
    Outbox(work_of(context).session).skip_pending(team_id, recipient, purpose=kind, reason="superseded")


def replace_pressed(context: BoltContext, body: dict[str, Any], respond: Callable[..., object], message: Message) -> None:
    """Replace the message a button was pressed in once this request's changes are committed (never before): through the
    outbox (``chat.update``, :mod:`messages.pressed_kinds`), keyed by the press, so Slack's retry of it writes nothing
    more. A message Slack shows to one person only (ephemeral) cannot be updated by the Web API: it is replaced through
    the press's ``response_url`` after commit."""
    found = body.get("container")
    container: dict[str, Any] = found if isinstance(found, dict) else {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if container.get("is_ephemeral") is True or not isinstance(channel, str) or not isinstance(ts, str):

        def replace() -> None:
            respond(replace_original=True, **message.as_kwargs())

        work_of(context).after_commit(replace)
        return
    team_id, user_id = team_and_user(context, body)
    actions = body.get("actions") if isinstance(body.get("actions"), list) else []
    pressed = actions[0].get("action_ts") if actions and isinstance(actions[0], dict) else None
    about = {"channel": channel, "ts": ts, "message": message.as_kwargs()}
    deliver(context, team_id, f"pressed:{channel}:{ts}:{pressed or uuid.uuid4().hex}", PRESSED, user_id, about)

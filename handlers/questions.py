"""Career questions wherever they are asked: /ladder, an @mention in a channel, a direct message."""

from __future__ import annotations

import logging
from html import unescape
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.confidentiality import Audience, Surface, answer_audience
from handlers import framework_uploads
from handlers.context import services_of, team_and_user, tenant_of
from handlers.deliveries import deliver
from messages import home as home_messages
from messages.blocks import read_metadata
from messages.question_kinds import ANSWER, DIRECT, MENTION, answer_context
from messages.render import Message

MAX_PICKS = 20
"""Meanings a "did you mean" button may carry: one per phrase of a question, far more than one names."""
MAX_PICK = 200

log = logging.getLogger(__name__)


def slash_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    """/ladder QUESTION: answered privately, in the command's own HTTP response."""
    message, _ = _answer(context, _text(command.get("user_id")), _text(command.get("text")) or "", Surface.SLASH_COMMAND)
    ack(response_type="ephemeral", **message.as_kwargs())


def mentioned(ack: Ack, event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    """@Ladder in a channel: answered in the thread, or to the asker alone when the answer is about them. The question
    goes to the outbox in this request's transaction (with the event's claim); the answer is composed when it is sent
    (``messages/question_kinds.py``). (Slack escapes &, < and > in what people type: a question is read unescaped, here
    as for /ladder.)"""
    ack()
    channel, user = _text(event.get("channel")), _text(event.get("user"))
    if _from_a_bot(event) or not channel:
        return
    thread_ts = _text(event.get("thread_ts")) or _text(event.get("ts"))
    _to_answer(context, body, event, via=MENTION, channel=channel, thread_ts=thread_ts, asker=user)


def direct_message(ack: Ack, event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    """A message in the asker's own conversation with Ladder (a file shared there: :mod:`handlers.framework_uploads`)."""
    ack()
    channel, user = _text(event.get("channel")), _text(event.get("user"))
    if event.get("channel_type") == "im" and event.get("subtype") == "file_share" and not _from_a_bot(event):
        framework_uploads.uploaded(event, body, context)  # a framework file, for an admin to publish
        return
    if event.get("channel_type") != "im" or event.get("subtype") or _from_a_bot(event) or not channel:
        return
    _to_answer(context, body, event, via=DIRECT, channel=channel, thread_ts=_text(event.get("thread_ts")), asker=user)


def _to_answer(
    context: BoltContext,
    body: dict[str, Any],
    event: dict[str, Any],
    *,
    via: str,
    channel: str,
    thread_ts: str | None,
    asker: str | None,
) -> None:
    """The question, to be answered through the outbox: once per event (its key is the event's id)."""
    question = unescape(_text(event.get("text")) or "")
    team_id = tenant_of(context, body)
    event_id = _text(body.get("event_id"))
    about = answer_context(question, via=via, channel=channel, thread_ts=thread_ts, asker=asker, event=event_id)
    key = f"answer:{event_id}" if event_id else f"answer:{channel}:{_text(event.get('ts'))}"
    deliver(context, team_id, key, ANSWER, channel, about)


def _answer(context: BoltContext, user_id: str | None, text: str, surface: Surface) -> tuple[Message, Audience]:
    services = services_of(context)
    try:
        reply = services.careers.ask(text, team_id=tenant_of(context, {}), user_id=user_id)
        message = services.renderer.message_for(reply.key, reply.template, **reply.context)
        return message, answer_audience(surface, about_the_asker=reply.about_the_asker)
    except Exception:  # the asker gets an apology, the log gets the cause
        log.exception("answering a question failed")
        return services.renderer.message("error"), Audience.ASKER_ONLY


def asked_again(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient
) -> None:
    """A "did you mean" button: the question asked again about the candidate pressed, shown to whoever pressed it (in
    place of the question, where that was theirs alone). A value that is not what Ladder wrote is ignored."""
    ack()
    asked = read_metadata(_text(action.get("value")))
    text, picks = asked.get("q"), asked.get("c")
    if not isinstance(text, str) or not isinstance(picks, list) or len(picks) > MAX_PICKS:
        return
    if not all(isinstance(pick, str) and len(pick) <= MAX_PICK for pick in picks):
        return
    services = services_of(context)
    team_id, user_id = team_and_user(context, body)
    try:
        reply = services.careers.ask(text, team_id=team_id, user_id=user_id, chosen=tuple(picks))
        message = services.renderer.message_for(reply.key, reply.template, **reply.context)
    except Exception:  # the asker gets an apology, the log gets the cause
        log.exception("answering a question again failed")
        message = services.renderer.message("error")
    view = body.get("view")
    if isinstance(view, dict) and _text(view.get("id")):  # pressed in the Home's "Ask Ladder" window
        client.views_update(view_id=view["id"], view=home_messages.answer_view(text, message.blocks))
        return
    container = body.get("container")
    ephemeral = isinstance(container, dict) and container.get("is_ephemeral") is True
    respond(replace_original=ephemeral, response_type="ephemeral", **message.as_kwargs())


def _text(value: Any) -> str | None:
    """A field Slack sends as a string; anything else in its place (a signed but malformed payload) counts as absent."""
    return value if isinstance(value, str) and value else None


def _from_a_bot(event: dict[str, Any]) -> bool:
    return bool(event.get("bot_id") or event.get("bot_profile") or event.get("subtype") == "bot_message")

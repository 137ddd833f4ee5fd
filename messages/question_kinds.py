"""Answers to questions asked by @mention or direct message, and the apology when one cannot be delivered.

The request that heard the question writes it to the outbox (in the same transaction as the event's claim, so a
process killed after acknowledging it loses nothing and a redelivery answers nothing twice); the answer is worked out
when it is sent. The confidentiality rule is applied then: an answer about the asker, to a question asked in a
channel, is shown to the asker alone (chat.postEphemeral in the thread); any other goes in the conversation.
"""

from __future__ import annotations

import logging

from bot.confidentiality import Audience, Surface, answer_audience, mention_surface
from messages.kinds import URGENT, Ephemeral, MessageKind, Post, Reading

ANSWER = "question_answer"
APOLOGY = "answer_apology"
MENTION, DIRECT = "mention", "direct_message"
"""Where a question was asked (an answer's ``via``)."""

log = logging.getLogger(__name__)


def answer_context(
    question: str, *, via: str, channel: str, thread_ts: str | None, asker: str | None, event: str | None
) -> dict[str, object]:
    """What an answer's outbox row holds: the question, where it was asked, by whom, in which event (the answer is
    composed when it is sent)."""
    return {"question": question, "via": via, "channel": channel, "thread_ts": thread_ts, "asker": asker, "event": event}


def _answer(read: Reading) -> Post | Ephemeral:
    context = read.context
    channel, asker = str(context.get("channel") or read.recipient), context.get("asker") or None
    thread_ts = context.get("thread_ts") or None
    mention = context.get("via") == MENTION
    surface = mention_surface(channel) if mention else Surface.DIRECT_MESSAGE
    try:
        reply = read.careers.ask(str(context.get("question") or ""), team_id=read.team_id, user_id=asker)
        message = read.renderer.message_for(reply.key, reply.template, **reply.context)
        audience = answer_audience(surface, about_the_asker=reply.about_the_asker)
    except Exception:  # the asker gets an apology, the log gets the cause
        log.exception("answering a question failed")
        message, audience = read.renderer.message("error"), Audience.ASKER_ONLY
    if mention and audience is Audience.ASKER_ONLY and asker:
        return Ephemeral(message, channel=channel, user=str(asker), thread_ts=thread_ts)
    return Post(message, channel=channel, thread_ts=thread_ts)


def _apology(read: Reading) -> Post | Ephemeral:
    """Sorry, no answer: shown to the asker in the channel they asked in or, when that channel is the problem (or it was
    their own conversation), in a direct message."""
    context, message = read.context, read.renderer.message("error")
    if context.get("ephemeral") and context.get("channel") and context.get("asker"):
        return Ephemeral(message, channel=str(context["channel"]), user=str(context["asker"]), thread_ts=context.get("thread_ts"))
    return Post(message, channel=str(context.get("asker") or read.recipient))


KINDS = (
    MessageKind(ANSWER, _answer, URGENT, channels=True, apology=True),
    MessageKind(APOLOGY, _apology, URGENT, channels=True),
)

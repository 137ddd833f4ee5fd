"""Career questions wherever they are asked: /ladder, an @mention in a channel, a direct message."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Say
from slack_sdk import WebClient

from bot.confidentiality import Audience, Surface, answer_audience, mention_surface
from bot.runtime.services import Services
from messages.render import Message

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    def answer(team_id: str | None, user_id: str | None, text: str, surface: Surface) -> tuple[Message, Audience]:
        try:
            reply = services.careers.ask(text, team_id=team_id, user_id=user_id)
            message = services.renderer.message_for(reply.key, reply.template, **reply.context)
            return message, answer_audience(surface, about_the_asker=reply.about_the_asker)
        except Exception:  # the asker gets an apology, the log gets the cause
            log.exception("answering a question failed", extra={"team": team_id, "user": user_id})
            return services.renderer.message("error"), Audience.ASKER_ONLY

    @app.command("/ladder")
    def slash_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        message, _ = answer(context.team_id, command.get("user_id"), command.get("text") or "", Surface.SLASH_COMMAND)
        ack(response_type="ephemeral", **message.as_kwargs())

    def mentioned(event: dict[str, Any], say: Say, client: WebClient, context: BoltContext) -> None:
        if _from_a_bot(event):
            return
        channel, user = event.get("channel") or "", event.get("user")
        message, audience = answer(context.team_id, user, event.get("text") or "", mention_surface(channel))
        thread_ts = event.get("thread_ts") or event.get("ts")
        if audience is Audience.ASKER_ONLY and user:
            client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, **message.as_kwargs())
        else:
            say(**message.as_kwargs(), thread_ts=thread_ts)

    def direct_message(event: dict[str, Any], say: Say, context: BoltContext) -> None:
        if event.get("channel_type") != "im" or event.get("subtype") or _from_a_bot(event):
            return
        message, _ = answer(context.team_id, event.get("user"), event.get("text") or "", Surface.DIRECT_MESSAGE)
        say(**message.as_kwargs(), thread_ts=event.get("thread_ts"))

    # Events are acknowledged at once and answered in the background (Bolt's lazy listeners), so a
    # slow or rate-limited Slack API never makes Slack wait past its 3-second limit and redeliver.
    app.event("app_mention")(ack=_acknowledge, lazy=[mentioned])
    app.event("message")(ack=_acknowledge, lazy=[direct_message])


def _acknowledge(ack: Ack) -> None:
    ack()


def _from_a_bot(event: dict[str, Any]) -> bool:
    return bool(event.get("bot_id") or event.get("bot_profile") or event.get("subtype") == "bot_message")

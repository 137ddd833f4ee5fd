"""The App Home tab, and asking a question from it."""

from __future__ import annotations

import uuid
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from handlers.context import services_of, team_and_user
from handlers.deliveries import deliver, supersede
from messages import home as home_messages
from messages.blocks import metadata, read_metadata
from messages.home_kinds import HOME
from messages.ids import HomeIds
from messages.state import values_of


def home_opened(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    """The person opened their Home: published through the outbox (``home_tab``, urgent), composed from the data as it
    is when it is sent. The event's claim and the row commit together, so a redelivery publishes nothing more and a
    publish Slack fails is retried by the outbox."""
    user = event.get("user")
    if event.get("tab") not in (None, "home") or not isinstance(user, str) or not user:
        return
    team_id, _ = team_and_user(context, body)
    event_id = body.get("event_id")
    refresh_after_commit(context, team_id, user, key=event_id if isinstance(event_id, str) and event_id else None)


def refresh_if_acted_from_home(context: BoltContext, body: dict[str, Any], team_id: str, user_id: str) -> None:
    """Publish the Home again after this request if the person acted from it (a Home button, or a modal opened from
    one): it is on their screen. Anywhere else it is rebuilt when they next open it (``app_home_opened``)."""
    if acted_from_home(body):
        refresh_after_commit(context, team_id, user_id)


def acted_from_home(body: dict[str, Any]) -> bool:
    view = body.get("view")
    if not isinstance(view, dict):
        view = {}
    return view.get("type") == "home" or read_metadata(view.get("private_metadata")).get("home") is True


def opened_from(body: dict[str, Any], view: dict[str, Any]) -> dict[str, Any]:
    """``view`` (a modal about to be opened, or the next page of one) remembers whether the person came from the Home."""
    if acted_from_home(body):
        view["private_metadata"] = metadata(**read_metadata(view.get("private_metadata")), home=True)
    return view


def refresh_after_commit(context: BoltContext, team_id: str, user_id: str, *, key: str | None = None) -> None:
    """Publish the person's Home again once this request's changes are committed: an outbox message (``home_tab``, in
    ``messages/home_kinds.py``) written in this request's transaction, composed from the data as it is when it is sent,
    so the answer to Slack (a modal's ``response_action``) never waits on it. One not yet sent is replaced by this one.
    ``key``: what makes it once (an event's id); by default every call publishes."""
    supersede(context, team_id, HOME, user_id)
    deliver(context, team_id, f"home:{key or f'{user_id}:{uuid.uuid4().hex}'}", HOME, user_id, {})


def open_ask(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=home_messages.ask_modal())


def ask_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    services = services_of(context)
    team_id, user_id = team_and_user(context, body)
    question = str(values_of(view).get(HomeIds.QUESTION) or "").strip()
    reply = services.careers.ask(question, team_id=team_id, user_id=user_id)
    message = services.renderer.message_for(reply.key, reply.template, **reply.context)
    ack(response_action="update", view=home_messages.answer_view(question, message.blocks))

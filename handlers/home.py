"""The App Home tab, and asking a question from it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from sqlmodel import Session

from bot.checkins.service import Checkins
from bot.home import home_of
from bot.runtime.services import Services
from handlers.context import services_of, session_of, team_and_user, work_of
from messages import home as home_messages
from messages.blocks import metadata, read_metadata
from messages.ids import HomeIds
from messages.state import values_of
from storage.unit_of_work import unit_of_work


def home_opened(event: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    user = event.get("user")
    if event.get("tab") not in (None, "home") or not isinstance(user, str) or not user:
        return
    team_id, _ = team_and_user(context, body)
    publish(context, client, team_id, user)


def publish(context: BoltContext, client: WebClient, team_id: str, user_id: str) -> None:
    _publish(services_of(context), session_of(context), client, team_id, user_id)


def _publish(services: Services, session: Session, client: WebClient, team_id: str, user_id: str) -> None:
    home = home_of(services.framework, session, team_id, user_id, now=services.now, admins=services.admins)
    named = {m for gap in home.plan.gaps for m in gap.mentors} | {i.user_id for posted in home.posted for i in posted.interests}
    names = Checkins(services.framework, session, services.now).names(team_id, named)
    client.views_publish(user_id=user_id, view=home_messages.home_view(services.framework, home, names))


def refresh_if_acted_from_home(context: BoltContext, client: WebClient, body: dict[str, Any], team_id: str, user_id: str) -> None:
    """Publish the Home again after this request if the person acted from it (a Home button, or a modal opened from
    one): it is on their screen. Anywhere else it is rebuilt when they next open it (``app_home_opened``)."""
    if acted_from_home(body):
        refresh_after_commit(context, client, team_id, user_id)


def acted_from_home(body: dict[str, Any]) -> bool:
    view = body.get("view") if isinstance(body.get("view"), dict) else {}
    return view.get("type") == "home" or read_metadata(view.get("private_metadata")).get("home") is True


def opened_from(body: dict[str, Any], view: dict[str, Any]) -> dict[str, Any]:
    """``view`` (a modal about to be opened, or the next page of one) remembers whether the person came from the Home."""
    if acted_from_home(body):
        view["private_metadata"] = metadata(**read_metadata(view.get("private_metadata")), home=True)
    return view


def refresh_after_commit(context: BoltContext, client: WebClient, team_id: str, user_id: str) -> None:
    """Publish the person's Home again once this request's changes are committed: in the background, so the
    answer to Slack (a modal's ``response_action``) never waits on it; logged if Slack refuses it."""
    services = services_of(context)
    work_of(context).after_commit(lambda: services.in_background(_refresh, services, client, team_id, user_id))


def _refresh(services: Services, client: WebClient, team_id: str, user_id: str) -> None:
    with unit_of_work(services.engine, reads_only=True) as work:
        _publish(services, work.session, client, team_id, user_id)


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

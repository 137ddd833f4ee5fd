"""Peer reviews in Slack: the request's buttons, the review modal (edited until the due date), declining with a reason."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.nominations import form
from bot.nominations.form import ReviewAnswers
from bot.nominations.reviews import Reviews
from handlers.context import team_and_user
from handlers.home import opened_from, refresh_if_acted_from_home
from handlers.nominations import nominations_of
from messages import nominations as views
from messages.blocks import metadata_id, notice_view
from messages.state import values_of


def _reviews(context: BoltContext) -> Reviews:
    return Reviews(nominations_of(context))


def open_review(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack()
    team_id, user_id = team_and_user(context, body)
    reviews = _reviews(context)
    found = reviews.form(team_id, user_id, metadata_id(action.get("value"), "nomination"))
    view = views.review_modal(reviews.nominations.framework, found.nomination, found.level, found.competencies, found.request)
    client.views_open(trigger_id=body["trigger_id"], view=opened_from(body, view))


def review_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    team_id, user_id = team_and_user(context, body)
    reviews = _reviews(context)
    nomination_id = metadata_id(view.get("private_metadata"), "nomination")
    edited = reviews.submit(team_id, user_id, nomination_id, ReviewAnswers.from_fields(values_of(view)))
    refresh_if_acted_from_home(context, body, team_id, user_id)
    ack(response_action="update", view=notice_view("Peer review", views.review_saved(edited=edited)))


def open_decline(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack()
    team_id, user_id = team_and_user(context, body)
    found = _reviews(context).form(team_id, user_id, metadata_id(action.get("value"), "nomination"))
    client.views_open(trigger_id=body["trigger_id"], view=opened_from(body, views.decline_modal(found.nomination)))


def decline_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    team_id, user_id = team_and_user(context, body)
    nomination_id = metadata_id(view.get("private_metadata"), "nomination")
    _reviews(context).decline(team_id, user_id, nomination_id, str(values_of(view).get(form.DECLINE_REASON) or ""))
    refresh_if_acted_from_home(context, body, team_id, user_id)
    ack(
        response_action="update",
        view=notice_view("Decline a review", views.answered("Declined. The person who nominated them has been told.")),
    )

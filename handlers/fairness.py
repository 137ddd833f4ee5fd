"""Self-identification in Slack: the Home's "Help audit fairness" button and its modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.fairness.self_id import SelfIdentification
from handlers.context import services_of, session_of, team_and_user, tenant_of
from messages import fairness_form
from messages.state import values_of


def _self_id(context: BoltContext) -> SelfIdentification:
    return SelfIdentification(services_of(context).framework_for(tenant_of(context, {})), session_of(context))


def open_self_id(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack()
    team_id, user_id = team_and_user(context, body)
    self_id = _self_id(context)
    if not self_id.questions:
        return  # turned off since the Home was published: the button is gone from the next one
    form = self_id.form(team_id, user_id, user_id)
    view = fairness_form.self_id_modal(services_of(context).renderer, form)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def self_id_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    team_id, user_id = team_and_user(context, body)
    self_id = _self_id(context)
    answers, clear = fairness_form.answers_from(values_of(view), self_id.questions)
    if clear:
        self_id.clear(team_id, user_id)
        saved: dict[str, str] = {}
    else:
        saved = self_id.answer(team_id, user_id, answers)
    ack(
        response_action="update",
        view=fairness_form.saved_view(services_of(context).renderer, answered=len(saved), cleared=clear),
    )

"""Slack tells us when a person changes: their timezone moves their check-in prompts with them."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.checkins.service import Checkins
from handlers.context import services_of, session_of, tenant_of

log = logging.getLogger(__name__)


def user_changed(event: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    sent = event.get("user")
    user: dict[str, Any] = sent if isinstance(sent, dict) else {}
    user_id = user.get("id")
    team_id = tenant_of(context, body) or user.get("team_id")
    if not (isinstance(user_id, str) and isinstance(team_id, str)):
        return
    user = _as_slack_has_them_now(client, user_id, user)
    timezone = user.get("tz")
    if not (isinstance(timezone, str) and timezone):
        return
    services = services_of(context)
    checkins = Checkins(services.framework_for(team_id), session_of(context), services.now)
    schedule = checkins.repo.schedule(team_id, user_id)
    if user.get("deleted"):
        if schedule is not None:
            schedule.cadence, schedule.next_prompt_at = "off", None
    elif schedule is not None or checkins.person(team_id, user_id) is not None:
        checkins.schedule_of(team_id, user_id, timezone)


def _as_slack_has_them_now(client: WebClient, user_id: str, sent: dict[str, Any]) -> dict[str, Any]:
    """The person as Slack has them now (users.info), asked before anything is read or written: events arrive out of
    order and are redelivered late, so an older change must not undo a newer one. When Slack cannot say, the event's
    own copy serves."""
    try:
        found = client.users_info(user=user_id).get("user")
    except Exception:  # noqa: BLE001 - Slack unreachable or refusing: the event's copy is the best there is
        log.info("users.info failed; using the event's copy of the person")
        return sent
    return found if isinstance(found, dict) else sent

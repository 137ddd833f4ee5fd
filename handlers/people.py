"""Slack tells us when a person changes: their timezone moves their check-in prompts with them."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.checkins.service import Checkins
from handlers.context import services_of, session_of


def user_changed(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    user = event.get("user") if isinstance(event.get("user"), dict) else {}
    user_id, timezone = user.get("id"), user.get("tz")
    team_id = context.team_id or body.get("team_id") or user.get("team_id")
    if not (isinstance(user_id, str) and isinstance(team_id, str) and isinstance(timezone, str) and timezone):
        return
    services = services_of(context)
    checkins = Checkins(services.framework, session_of(context), services.now)
    schedule = checkins.repo.schedule(team_id, user_id)
    if user.get("deleted"):
        if schedule is not None:
            schedule.cadence, schedule.next_prompt_at = "off", None
    elif schedule is not None or checkins.person(team_id, user_id) is not None:
        checkins.schedule_of(team_id, user_id, timezone)

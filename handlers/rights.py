"""A person's own data from their App Home: the "My data" button."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.rights.export import request_export
from handlers.context import services_of, session_of, team_and_user


def my_data(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """Their export goes to their own conversation with Ladder, through the outbox: a double click sends one file."""
    ack()
    team_id, user_id = team_and_user(context, body)
    request_export(session_of(context), team_id, user_id, now=services_of(context).now)

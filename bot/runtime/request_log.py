"""One log line per Slack request: who, where, how it ended, how long it took. Never the text."""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_bolt import BoltRequest, BoltResponse

from handlers.context import DUPLICATE

log = logging.getLogger("ladder.requests")

ELSEWHERE = "ladder_other_workspace"
"""Context key set when a request signed for a workspace this Ladder does not serve was refused."""


def surface(body: dict[str, Any]) -> str:
    if body.get("command"):
        return f"command:{body['command']}"
    kind = body.get("type", "")
    if kind == "event_callback":
        event = body.get("event")
        event = event if isinstance(event, dict) else {}
        return f"event:{event.get('type', '?')}" + (f":{event['channel_type']}" if event.get("channel_type") else "")
    if kind in ("block_actions", "view_submission", "view_closed", "shortcut", "message_action"):
        return f"interaction:{kind}"
    return kind if isinstance(kind, str) and kind else "unknown"


def outcome(status: int, context: dict[str, Any]) -> str:
    if context.get(DUPLICATE):
        return "duplicate"
    if context.get(ELSEWHERE):
        return "other workspace"
    if status < 300:
        return "ok"
    return {401: "unauthorized", 404: "unhandled"}.get(status, "error" if status >= 500 else "rejected")


def log_request(request: BoltRequest, response: BoltResponse, started: float) -> None:
    body = request.body if isinstance(request.body, dict) else {}
    context = request.context
    team = body.get("team")
    log.info(
        "slack request",
        extra={
            "team": context.team_id or body.get("team_id") or (team.get("id") if isinstance(team, dict) else None),
            "user": context.user_id,
            "surface": surface(body),
            "outcome": outcome(response.status, context),
            "status": response.status,
            "ms": _ms(started),
        },
    )


def log_refusal(status: int, reason: str, started: float) -> None:
    """A request refused before it was read as Slack's (size, signature, shape): nothing about it is trusted, so nothing of it is logged."""
    log.info(
        "slack request refused",
        extra={"outcome": outcome(status, {}), "status": status, "reason": reason, "ms": _ms(started)},
    )


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)

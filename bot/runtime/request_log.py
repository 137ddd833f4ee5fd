"""One log line per Slack request: who, where, how it ended, how long it took. Never the text."""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_bolt import BoltRequest, BoltResponse

log = logging.getLogger("ladder.requests")

DUPLICATE = "ladder_duplicate_delivery"
"""Context key set when a retried event delivery was recognised and skipped."""


def surface(body: dict[str, Any]) -> str:
    if body.get("command"):
        return f"command:{body['command']}"
    kind = body.get("type", "")
    if kind == "event_callback":
        event = body.get("event", {})
        return f"event:{event.get('type', '?')}" + (f":{event['channel_type']}" if event.get("channel_type") else "")
    if kind in ("block_actions", "view_submission", "view_closed", "shortcut", "message_action"):
        return f"interaction:{kind}"
    return kind or "unknown"


def outcome(status: int, context: dict[str, Any]) -> str:
    if context.get(DUPLICATE):
        return "duplicate"
    if status < 300:
        return "ok"
    return {401: "unauthorized", 404: "unhandled"}.get(status, "error" if status >= 500 else "rejected")


def log_request(request: BoltRequest, response: BoltResponse, started: float) -> None:
    body = request.body if isinstance(request.body, dict) else {}
    context = request.context
    log.info(
        "slack request",
        extra={
            "team": context.team_id or body.get("team_id") or (body.get("team") or {}).get("id"),
            "user": context.user_id,
            "surface": surface(body),
            "outcome": outcome(response.status, context),
            "status": response.status,
            "ms": round((time.perf_counter() - started) * 1000, 2),
        },
    )

"""What a failed Slack Web API call means for sending it again: the one classification every sender uses.

- rate limited (429): wait for ``Retry-After``, then try again (no attempt counted);
- transient (HTTP 5xx, ``ok: false`` with an error Slack documents as temporary, a connection that failed
  before the request was sent): try again with backoff;
- ambiguous (the connection broke after the request was sent — Slack may have acted on it): look before
  trying again, since a second post could be a duplicate;
- permanent (any other ``ok: false``): never again as it is.
"""

from __future__ import annotations

import http.client
import urllib.error
from dataclasses import dataclass
from enum import Enum
from typing import Any

from slack_sdk.errors import SlackApiError

RETRYABLE_ERRORS = frozenset(
    {"internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited", "rate_limited"}
)
"""``ok: false`` errors Slack documents as temporary."""
CHANNEL_UNUSABLE = frozenset(
    {"channel_not_found", "not_in_channel", "is_archived", "restricted_action", "cannot_reply_to_message", "user_not_in_channel"}
)
"""Errors after which an ephemeral note in the same channel cannot arrive either: tell the person by direct message."""


class Verdict(Enum):
    DELIVERED = "delivered"
    RATE_LIMITED = "rate_limited"
    TRANSIENT = "transient"
    AMBIGUOUS = "ambiguous"
    PERMANENT = "permanent"


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    error: str = ""
    retry_after: float | None = None


def classify(error: BaseException | None) -> Outcome:
    """What a failed Slack API call means for retrying it (``None``: it succeeded)."""
    if error is None:
        return Outcome(Verdict.DELIVERED)
    if isinstance(error, SlackApiError):
        response = error.response
        status = getattr(response, "status_code", 200)
        code = response.get("error", "") if hasattr(response, "get") else ""
        if status == 429:
            return Outcome(Verdict.RATE_LIMITED, "ratelimited", _retry_after(response))
        if status >= 500 or code in RETRYABLE_ERRORS:
            return Outcome(Verdict.TRANSIENT, code or f"http_{status}")
        return Outcome(Verdict.PERMANENT, code or f"http_{status}")
    if isinstance(error, urllib.error.URLError):  # urllib wraps failures to connect or to send, not to read the answer
        return Outcome(Verdict.TRANSIENT, f"connection: {type(error.reason).__name__}")
    if isinstance(error, (ConnectionError, TimeoutError, http.client.HTTPException, OSError)):
        return Outcome(Verdict.AMBIGUOUS, f"connection lost after sending: {type(error).__name__}")
    return Outcome(Verdict.PERMANENT, type(error).__name__)


def _retry_after(response: Any) -> float:
    headers = getattr(response, "headers", None) or {}
    raw = next((value for key, value in headers.items() if key.lower() == "retry-after"), None)
    if isinstance(raw, list):
        raw = raw[0] if raw else None
    if raw is None:
        return 1.0
    try:
        return max(0.0, float(raw))
    except (TypeError, ValueError):
        return 1.0

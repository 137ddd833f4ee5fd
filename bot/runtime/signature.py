"""Slack's request signature (https://api.slack.com/authentication/verifying-requests-from-slack).

Checked on the raw bytes, before anything is parsed: a request that is not from Slack never
reaches a JSON or form parser, whatever it contains. (slack_sdk's SignatureVerifier decodes the
body as UTF-8 and the timestamp as an int first, and raises on garbage in either.)
"""

from __future__ import annotations

import hashlib
import hmac
import re
from enum import StrEnum

_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
MAX_CLOCK_SKEW = 5 * 60
"""Slack's advice: refuse requests signed more than five minutes from now (replays)."""


class Refusal(StrEnum):
    MISSING = "no signature"
    MALFORMED = "malformed signature headers"
    STALE = "stale timestamp"
    MISMATCH = "signature mismatch"


def check_signature(secret: str, body: bytes, timestamp: str | None, signature: str | None, now: float) -> Refusal | None:
    """Why the request is refused, or None when Slack signed it within the allowed skew."""
    if not timestamp or not signature:
        return Refusal.MISSING
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12) or not _SIGNATURE.fullmatch(signature):
        return Refusal.MALFORMED
    if abs(now - int(timestamp)) > MAX_CLOCK_SKEW:
        return Refusal.STALE
    expected = "v0=" + hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        return Refusal.MISMATCH
    return None

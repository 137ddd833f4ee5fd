"""Requests into the bot exactly as Slack sends them: same bodies, same headers, same signature.

The signature is computed here by hand from Slack's documented scheme (not with slack_sdk), so
the tests check the bot's verification against an independent implementation.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

_counter = itertools.count(1)


def fresh_ts() -> str:
    return f"{int(time.time())}.{next(_counter):06d}"


def sign(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    ts = int(time.time()) if timestamp is None else timestamp
    base = b"v0:" + str(ts).encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": f"v0={digest}"}


class SlackSender:
    """POSTs signed requests to `{base_url}/slack/events`; every method returns (status, body, headers).

    The request methods accept `bad_signature=True` (a well-formed but wrong signature) and
    `timestamp_offset=-600` (signed correctly, but with a stale timestamp).
    """

    def __init__(self, base_url: str, signing_secret: str) -> None:
        self.url = f"{base_url.rstrip('/')}/slack/events"
        self.secret = signing_secret

    # -- what Slack sends -------------------------------------------------------------------------

    def slash_command(
        self,
        text: str,
        user_id: str = "U0ASKER",
        team_id: str = "T0TEST",
        channel_id: str = "C0GENERAL",
        command: str = "/ladder",
        response_url: str | None = None,
        trigger_id: str | None = None,
        **opts: Any,
    ) -> tuple[int, str, dict[str, str]]:
        form = {
            "token": "verification-token-unused",
            "team_id": team_id,
            "team_domain": "testteam",
            "channel_id": channel_id,
            "channel_name": "general",
            "user_id": user_id,
            "user_name": "asker",
            "command": command,
            "text": text,
            "api_app_id": "A0LADDER",
            "is_enterprise_install": "false",
            "response_url": response_url or f"https://hooks.slack.com/commands/{team_id}/1/abc",
            "trigger_id": trigger_id or f"{next(_counter)}.1.abc",
        }
        return self._post(urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded", **opts)

    def event(
        self,
        event: dict[str, Any],
        team_id: str = "T0TEST",
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str | None = None,
        **opts: Any,
    ) -> tuple[int, str, dict[str, str]]:
        envelope = {
            "token": "verification-token-unused",
            "team_id": team_id,
            "api_app_id": "A0LADDER",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_counter):08d}",
            "event_time": int(time.time()),
            "authorizations": [
                {"enterprise_id": None, "team_id": team_id, "user_id": "U0BOT", "is_bot": True, "is_enterprise_install": False}
            ],
            "is_ext_shared_channel": False,
            "event_context": f"4-{next(_counter)}",
            "context_team_id": team_id,
            "context_enterprise_id": None,
        }
        extra = {}
        if retry_num is not None:
            extra["X-Slack-Retry-Num"] = str(retry_num)
            extra["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
        return self._post(json.dumps(envelope).encode(), "application/json", extra_headers=extra, **opts)

    def app_mention(
        self,
        text: str,
        user: str = "U0ASKER",
        channel: str = "C0GENERAL",
        ts: str | None = None,
        thread_ts: str | None = None,
        **kw: Any,
    ) -> tuple[int, str, dict[str, str]]:
        event = self._message_event("app_mention", text, user, channel, ts, thread_ts, kw.get("team_id", "T0TEST"))
        return self.event(event, **kw)

    def direct_message(
        self,
        text: str,
        user: str = "U0ASKER",
        channel: str = "D0ASKER",
        ts: str | None = None,
        thread_ts: str | None = None,
        **kw: Any,
    ) -> tuple[int, str, dict[str, str]]:
        event = {
            **self._message_event("message", text, user, channel, ts, thread_ts, kw.get("team_id", "T0TEST")),
            "channel_type": "im",
        }
        return self.event(event, **kw)

    def url_verification(self, challenge: str, **opts: Any) -> tuple[int, str, dict[str, str]]:
        body = json.dumps({"token": "verification-token-unused", "challenge": challenge, "type": "url_verification"}).encode()
        return self._post(body, "application/json", **opts)

    def interaction(self, payload: dict[str, Any], **opts: Any) -> tuple[int, str, dict[str, str]]:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return self._post(body, "application/x-www-form-urlencoded", **opts)

    def raw(self, body: bytes, headers: dict[str, str]) -> tuple[int, str, dict[str, str]]:
        """POST exactly these bytes and headers (forged or stale signatures, odd content types)."""
        return self._send(body, headers)

    # -- plumbing ---------------------------------------------------------------------------------

    @staticmethod
    def _message_event(
        kind: str, text: str, user: str, channel: str, ts: str | None, thread_ts: str | None, team_id: str
    ) -> dict[str, Any]:
        ts = ts or fresh_ts()
        event = {
            "type": kind,
            "user": user,
            "text": text,
            "ts": ts,
            "channel": channel,
            "event_ts": ts,
            "team": team_id,
            "client_msg_id": f"00000000-0000-4000-8000-{next(_counter):012d}",
            "blocks": [
                {
                    "type": "rich_text",
                    "block_id": "b1",
                    "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}],
                }
            ],
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        return event

    def _post(
        self,
        body: bytes,
        content_type: str,
        *,
        bad_signature: bool = False,
        timestamp_offset: int = 0,
        extra_headers: dict[str, str] | None = None,
    ) -> tuple[int, str, dict[str, str]]:
        headers = {"Content-Type": content_type, **sign(self.secret, body, int(time.time()) + timestamp_offset)}
        if bad_signature:
            headers["X-Slack-Signature"] = "v0=" + "0" * 64
        return self._send(body, {**headers, **(extra_headers or {})})

    def _send(self, body: bytes, headers: dict[str, str]) -> tuple[int, str, dict[str, str]]:
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode(), dict(response.headers.items())
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers.items())

"""Requests into the bot exactly as Slack sends them: same bodies, same headers, same signature.

The signature is computed here by hand from Slack's documented scheme (not with slack_sdk), so
the tests check the bot's verification against an independent implementation.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable, Iterator

_counter = itertools.count(1)
_slack: dict[str, Any] = {"trigger_ids": None, "response_url": None}
"""Where the Slack the bot talks to issues trigger_ids and takes response_url posts (set by the fake_slack fixture)."""
TRIGGERED = {"block_actions", "view_submission", "shortcut", "message_action"}
"""Interactions whose payloads carry a trigger_id."""
SELECTED = {"users_select": "selected_user", "conversations_select": "selected_conversation", "channels_select": "selected_channel",
            "datepicker": "selected_date", "timepicker": "selected_time"}  # fmt: skip
"""Where a block_actions action carries the choice of a single-value picker."""


@contextlib.contextmanager
def slack_is_at(trigger_ids: Callable[[str], str], response_url: str) -> Iterator[None]:
    """While inside, senders built without their own sources take trigger_ids from `trigger_ids(user_id)` and
    point response_urls at `response_url` (a fake Slack's), so what the bot receives is exchangeable there."""
    before = dict(_slack)
    _slack.update(trigger_ids=trigger_ids, response_url=response_url)
    try:
        yield
    finally:
        _slack.update(before)


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

    def __init__(
        self,
        base_url: str,
        signing_secret: str,
        trigger_ids: Callable[[str], str] | None = None,
        response_url: str | None = None,
    ) -> None:
        """`trigger_ids(user_id)` gives a fresh trigger_id for what that user did (e.g. FakeSlack.issue_trigger_id);
        `response_url` is where response_urls point (e.g. FakeSlack.response_url). Without them, whatever the
        fake_slack fixture set, else made-up ids and hooks.slack.com."""
        self.url = f"{base_url.rstrip('/')}/slack/events"
        self.secret = signing_secret
        self._trigger_ids = trigger_ids
        self._response_url = response_url

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
            "response_url": response_url or self.new_response_url(team_id, "commands"),
            "trigger_id": trigger_id or self.new_trigger_id(user_id),
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
        """POST an interaction payload; one of a kind that carries a trigger_id gets a fresh one if it has no
        trigger_id key (an explicit value, even "", is sent as given)."""
        if payload.get("type") in TRIGGERED and "trigger_id" not in payload:
            payload = {**payload, "trigger_id": self.new_trigger_id(str(_dict(payload.get("user")).get("id") or ""))}
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return self._post(body, "application/x-www-form-urlencoded", **opts)

    def block_actions(
        self,
        user_id: str,
        action_id: str,
        value: str | None = None,
        block_id: str | None = None,
        *,
        container: dict[str, Any] | None = None,
        view: dict[str, Any] | None = None,
        message: dict[str, Any] | None = None,
        channel_id: str | None = None,
        response_url: str | None = None,
        selected_option: str | dict[str, Any] | list[Any] | None = None,
        trigger_id: str | None = None,
        team_id: str = "T0TEST",
        **opts: Any,
    ) -> tuple[int, str, dict[str, str]]:
        """A person pressed a button (or picked `selected_option`, by value or visible text) with `action_id`.

        Pass the `view` it was in (a modal or Home tab, as FakeSlack.view()/home_of() has it) or the `message`
        (as FakeSlack.messages() has it, posted in `channel_id`); the element is looked up there by action_id
        for its type, block_id and text, as Slack describes it. With neither, a button in a message.
        """
        ts = fresh_ts()
        blocks = (view or message or {}).get("blocks") or []
        found_block, element = _find_element(blocks, action_id, block_id)
        if (view or message) and element is None:
            known = [e.get("action_id") for _, e in _elements(blocks)]
            raise AssertionError(
                f"no element with action_id {action_id!r} (and block_id {block_id!r}) there; action_ids: {known}"
            )
        element = element or {"type": "static_select" if selected_option is not None else "button", "action_id": action_id}
        action: dict[str, Any] = {
            "type": element["type"],
            "action_id": action_id,
            "block_id": block_id or (found_block or {}).get("block_id") or "b1",
            "action_ts": ts,
        }
        if element["type"] == "button":
            action["text"] = element.get("text") or {"type": "plain_text", "text": action_id, "emoji": True}
            if value is not None or "value" in element:
                action["value"] = value if value is not None else element["value"]
            if "style" in element:
                action["style"] = element["style"]
        elif element["type"] in ("static_select", "external_select", "radio_buttons", "overflow"):
            action["selected_option"] = _option(element, selected_option if selected_option is not None else value)
        elif element["type"] in ("checkboxes", "multi_static_select", "multi_external_select"):
            chosen = selected_option if selected_option is not None else value
            action["selected_options"] = [
                _option(element, c) for c in (chosen if isinstance(chosen, list) else [chosen] if chosen else [])
            ]
        elif element["type"] in SELECTED:
            action[SELECTED[element["type"]]] = value
        elif value is not None:
            action["value"] = value
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": _user(user_id, team_id),
            "api_app_id": "A0LADDER",
            "token": "verification-token-unused",
            "trigger_id": trigger_id or self.new_trigger_id(user_id),
            "team": {"id": team_id, "domain": "testteam"},
            "enterprise": None,
            "is_enterprise_install": False,
            "actions": [action],
        }
        if view is not None:
            payload["container"] = container or {"type": "view", "view_id": view.get("id")}
            payload["view"] = _full_view(view, team_id)
        else:
            message = message or {
                "type": "message",
                "user": "U0BOT",
                "bot_id": "B0BOT",
                "text": "",
                "ts": fresh_ts(),
                "blocks": [],
            }
            channel = channel_id or message.get("channel") or "C0GENERAL"
            payload["container"] = container or {
                "type": "message",
                "message_ts": message["ts"],
                "channel_id": channel,
                "is_ephemeral": False,
            }
            payload["channel"] = {"id": channel, "name": "directmessage" if channel.startswith("D") else "general"}
            payload["message"] = message
            payload["state"] = {"values": {}}
            payload["response_url"] = response_url or self.new_response_url(team_id, "actions")
        return self.interaction(payload, **opts)

    def shortcut(self, user_id: str, callback_id: str, team_id: str = "T0TEST", **opts: Any) -> tuple[int, str, dict[str, str]]:
        """A person picked a global shortcut (from the composer's shortcuts menu or search)."""
        payload = {
            "type": "shortcut", "token": "verification-token-unused", "action_ts": fresh_ts(),
            "team": {"id": team_id, "domain": "testteam"}, "user": {**_user(user_id, team_id), "username": user_id.lower()},
            "is_enterprise_install": False, "enterprise": None, "callback_id": callback_id,
        }  # fmt: skip
        return self.interaction(payload, **opts)

    def message_action(
        self, user_id: str, callback_id: str, message: dict[str, Any], channel_id: str, team_id: str = "T0TEST", **opts: Any
    ) -> tuple[int, str, dict[str, str]]:
        """A person picked a message shortcut from a message's ⋮ menu."""
        payload = {
            "type": "message_action", "token": "verification-token-unused", "action_ts": fresh_ts(),
            "team": {"id": team_id, "domain": "testteam"}, "user": {**_user(user_id, team_id), "username": user_id.lower()},
            "channel": {"id": channel_id, "name": "directmessage" if channel_id.startswith("D") else "general"},
            "is_enterprise_install": False, "enterprise": None, "callback_id": callback_id,
            "response_url": self.new_response_url(team_id, "actions"), "message_ts": message["ts"], "message": message,
        }  # fmt: skip
        return self.interaction(payload, **opts)

    def view_submission(
        self, user_id: str, view: dict[str, Any], values: dict[str, Any], team_id: str = "T0TEST", **opts: Any
    ) -> tuple[int, str, dict[str, str]]:
        """A person submitted the modal `view` (as FakeSlack.view() has it) with `values` in Slack's
        state.values shape ({block_id: {action_id: {...}}}, e.g. from modal_filler.fill)."""
        payload = {
            "type": "view_submission",
            "team": {"id": team_id, "domain": "testteam"},
            "user": _user(user_id, team_id),
            "api_app_id": "A0LADDER",
            "token": "verification-token-unused",
            "trigger_id": self.new_trigger_id(user_id),
            "view": _full_view(view, team_id, values),
            "response_urls": [],
            "is_cleared": False,
            "is_enterprise_install": False,
            "enterprise": None,
        }
        return self.interaction(payload, **opts)

    def view_closed(
        self, user_id: str, view: dict[str, Any], values: dict[str, Any] | None = None, team_id: str = "T0TEST", **opts: Any
    ) -> tuple[int, str, dict[str, str]]:
        """A person closed the modal `view` (Slack sends this only if the view has notify_on_close)."""
        payload = {
            "type": "view_closed",
            "team": {"id": team_id, "domain": "testteam"},
            "user": _user(user_id, team_id),
            "api_app_id": "A0LADDER",
            "token": "verification-token-unused",
            "view": _full_view(view, team_id, values or {}),
            "is_cleared": False,
            "is_enterprise_install": False,
            "enterprise": None,
        }
        return self.interaction(payload, **opts)

    def app_home_opened(
        self, user_id: str, tab: str = "home", view: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[int, str, dict[str, str]]:
        """A person opened the app's Home (or Messages) tab; `view` is the Home tab published for them, if any."""
        ts = fresh_ts()
        event: dict[str, Any] = {"type": "app_home_opened", "user": user_id, "channel": f"D{user_id}", "tab": tab, "event_ts": ts}
        if view is not None and tab == "home":
            event["view"] = _full_view(view, kw.get("team_id", "T0TEST"))
        return self.event(event, **kw)

    def user_change(self, user: dict[str, Any], **kw: Any) -> tuple[int, str, dict[str, str]]:
        """A user's profile changed; `user` as users.info shows it (e.g. FakeSlack.user_object(id) after change_user)."""
        event = {"type": "user_change", "user": user, "cache_ts": int(time.time()), "event_ts": fresh_ts()}
        return self.event(event, **kw)

    def new_trigger_id(self, user_id: str) -> str:
        source = self._trigger_ids or _slack["trigger_ids"]
        return source(user_id) if source else f"{next(_counter)}.1.abc"

    def new_response_url(self, team_id: str, kind: str) -> str:
        base = self._response_url or _slack["response_url"]
        if base:
            return f"{base.rstrip('/')}/{team_id}/{next(_counter)}/abc"
        return f"https://hooks.slack.com/{kind}/{team_id}/{next(_counter)}/abc"

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


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _user(user_id: str, team_id: str) -> dict[str, str]:
    name = user_id.lower()
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


def _elements(blocks: list[Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(block, element) for every interactive element: actions elements, section accessories, input elements."""
    for block in blocks:
        if not isinstance(block, dict):
            continue
        candidates = [block.get("accessory"), block.get("element")] + (
            (block.get("elements") or []) if block.get("type") == "actions" else []
        )
        for element in candidates:
            if isinstance(element, dict) and "action_id" in element:
                yield block, element


def _find_element(blocks: list[Any], action_id: str, block_id: str | None) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    for block, element in _elements(blocks):
        if element.get("action_id") == action_id and block_id in (None, block.get("block_id")):
            return block, element
    return None, None


def _option(element: dict[str, Any], chosen: str | dict[str, Any] | None) -> dict[str, Any]:
    """The option object Slack sends for a choice, found by value or visible text among the element's options."""
    if isinstance(chosen, dict):
        return chosen
    options = list(element.get("options") or []) + [o for g in element.get("option_groups") or [] for o in g.get("options", [])]
    if not options:
        return {"text": {"type": "plain_text", "text": str(chosen), "emoji": True}, "value": str(chosen)}
    for option in options:
        if chosen in (option.get("value"), _dict(option.get("text")).get("text")):
            return copy.deepcopy(option)
    raise AssertionError(f"{chosen!r} is not one of the options: {[_dict(o.get('text')).get('text') for o in options]}")


def _full_view(view: dict[str, Any], team_id: str, values: dict[str, Any] | None = None) -> dict[str, Any]:
    """The view as Slack sends it in an interaction: every field present, the state as the person left it."""
    full = {
        "id": view.get("id") or f"V{next(_counter):08d}",
        "team_id": team_id,
        "type": view.get("type", "modal"),
        "blocks": view.get("blocks", []),
        "private_metadata": view.get("private_metadata", ""),
        "callback_id": view.get("callback_id", ""),
        "state": {"values": {}},
        "hash": view.get("hash") or f"{int(time.time())}.{next(_counter):08x}",
        "title": view.get("title"),
        "clear_on_close": view.get("clear_on_close", False),
        "notify_on_close": view.get("notify_on_close", False),
        "close": view.get("close"),
        "submit": view.get("submit"),
        "previous_view_id": view.get("previous_view_id"),
        "root_view_id": view.get("root_view_id") or view.get("id"),
        "app_id": view.get("app_id", "A0LADDER"),
        "external_id": view.get("external_id", ""),
        "app_installed_team_id": team_id,
        "bot_id": view.get("bot_id", "B0BOT"),
    }
    full = {**copy.deepcopy(view), **{k: v for k, v in full.items() if k not in view}}
    full["state"] = {"values": copy.deepcopy(values if values is not None else _dict(view.get("state")).get("values", {}))}
    return full

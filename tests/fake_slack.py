"""A fake Slack Web API on a local port: records what the bot sends, answers as Slack answers,
and refuses what Slack would refuse.

Its Block Kit checks are written here from Slack's documented limits, independently of the
bot's own renderer, so a renderer bug cannot hide behind a shared mistake.
"""

from __future__ import annotations

import itertools
import json
import socket
import struct
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator

import pytest

JSON_FIELDS = ("blocks", "view", "attachments")
MESSAGE_METHODS = {"chat.postMessage", "chat.postEphemeral", "chat.update", "response_url"}
VIEW_METHODS = {"views.open", "views.update", "views.push", "views.publish"}
RESET = -1
"""handle()'s status for "drop the connection without answering"."""
ANSWERS_NOT_REFUSALS = {"users_not_found"}
"""ok: false answers that report a fact (nobody has that email), not a call Slack refused."""
BLOCK_KEYS = {
    "section": {"type", "block_id", "text", "fields", "accessory", "expand"},
    "header": {"type", "block_id", "text"},
    "context": {"type", "block_id", "elements"},
    "divider": {"type", "block_id"},
    "actions": {"type", "block_id", "elements"},
    "input": {"type", "block_id", "label", "element", "dispatch_action", "hint", "optional"},
    "image": {"type", "block_id", "image_url", "slack_file", "alt_text", "title"},
    "rich_text": {"type", "block_id", "elements"},
    "file": {"type", "block_id", "external_id", "source"},
    "video": {"type", "block_id", "alt_text", "author_name", "description", "provider_icon_url", "provider_name", "title",
              "title_url", "thumbnail_url", "video_url"},
    "markdown": {"type", "block_id", "text"},
}  # fmt: skip
"""The keys Slack accepts on each block type; any other key is refused."""
BLOCK_TYPES = {"section", "header", "context", "divider", "actions", "input", "image", "rich_text", "file", "video", "markdown"}


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    rate_limited: bool = False
    outage: str | None = None
    """Set when the call met a simulated outage: "http_500" (not carried out) or "reset" (carried out, no answer sent)."""
    answer: dict[str, Any] = field(default_factory=dict)
    """What Slack answered (or, after a reset, would have answered)."""
    provoked: bool = False
    """The failure was asked for by the test (rate_limit_next, fail_next, break_next), not caused by what the bot sent."""

    @property
    def carried_out(self) -> bool:
        """Whether Slack acted on the call (a message posted), whatever the caller heard back."""
        return bool(self.answer.get("ok"))


@dataclass
class _User:
    id: str
    email: str
    real_name: str


@dataclass
class FakeSlack:
    team_id: str = "T0TEST"
    valid_tokens: set[str] = field(default_factory=lambda: {"xoxb-test-token", "xapp-test-token"})
    socket_mode_url: str | None = None
    """Where apps.connections.open sends a Socket Mode client (a FakeSocketMode's url)."""
    port: int = 0
    """0 for any free port; a given port lets a test bring "Slack" back where the bot expects it."""

    def __post_init__(self) -> None:
        self._calls: list[Call] = []
        self._changed = threading.Condition()
        self._users: dict[str, _User] = {}
        self._rate_limits: dict[str, list[int]] = {}
        self._failures: dict[str, list[str]] = {}
        self._outages: dict[str, list[str]] = {}
        self._refusals_expected = False
        self._ts = itertools.count(100)
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> "FakeSlack":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "FakeSlack":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/api/"

    @property
    def response_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/response_url/"

    # -- set-up and inspection ------------------------------------------------------------------

    def add_user(self, user_id: str, email: str, real_name: str) -> None:
        self._users[user_id] = _User(user_id, email, real_name)

    def rate_limit_next(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """The next `times` calls to `method` answer HTTP 429 with `Retry-After: retry_after`."""
        with self._changed:
            self._rate_limits.setdefault(method, []).extend([retry_after] * times)

    def fail_next(self, method: str, error: str = "internal_error") -> None:
        """The next call to `method` answers `{"ok": false, "error": error}`."""
        with self._changed:
            self._failures.setdefault(method, []).append(error)

    def break_next(self, method: str, outage: str, times: int = 1) -> None:
        """The next `times` calls to `method` meet an outage: "http_500" answers HTTP 500 with an HTML page
        and does nothing; "reset" carries the call out, then drops the connection without answering."""
        assert outage in ("http_500", "reset")
        with self._changed:
            self._outages.setdefault(method, []).extend([outage] * times)

    def expect_refusals(self) -> None:
        """This test sends what Slack refuses on purpose: do not fail it for that."""
        self._refusals_expected = True

    def unexpected_refusals(self) -> list[Call]:
        """Calls Slack refused because of what the bot sent, which no test asked for."""
        with self._changed:
            return [c for c in self._calls if c.answer.get("ok") is False and not c.provoked and c.answer.get("error") not in ANSWERS_NOT_REFUSALS]

    def calls(self, method: str | None = None) -> list[Call]:
        with self._changed:
            return [c for c in self._calls if method is None or c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        with self._changed:
            arrived = self._changed.wait_for(lambda: len([c for c in self._calls if c.method == method]) >= count, timeout)
            calls = [c for c in self._calls if c.method == method]
        if not arrived:
            seen = [c.method for c in self.calls()]
            raise AssertionError(f"expected {count} {method} call(s) within {timeout}s, got {len(calls)}; all calls: {seen}")
        return calls

    def reset(self) -> None:
        """Forget the calls received so far (users, tokens and pending rate limits/failures stay)."""
        with self._changed:
            self._calls.clear()

    def _take(self, pending: dict[str, list[Any]], method: str) -> Any:
        with self._changed:
            queued = pending.get(method)
            return queued.pop(0) if queued else None

    # -- answering ------------------------------------------------------------------------------

    def _record(self, call: Call) -> None:
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    def handle(self, method: str, args: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, str], dict[str, Any]]:
        retry_after = self._take(self._rate_limits, method)
        if retry_after is not None:
            self._record(Call(method, args, headers, rate_limited=True, answer={"ok": False, "error": "ratelimited"}, provoked=True))
            return 429, {"Retry-After": str(retry_after)}, {"ok": False, "error": "ratelimited"}
        outage = self._take(self._outages, method)
        if outage == "http_500":
            self._record(Call(method, args, headers, outage=outage, provoked=True))
            return 500, {"Content-Type": "text/html"}, {"html": "<html><body>Internal Server Error</body></html>"}
        call = Call(method, args, headers, outage=outage)
        call.provoked = bool(self._failures.get(method))
        call.answer = self._authorized_answer(method, args, headers)
        self._record(call)
        if outage == "reset":
            return RESET, {}, {}
        return 200, {}, call.answer

    def _authorized_answer(self, method: str, args: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        if method != "response_url":
            token = headers.get("Authorization", "").removeprefix("Bearer ").strip() or args.get("token", "")
            if not token:
                return {"ok": False, "error": "not_authed"}
            if token not in self.valid_tokens:
                return {"ok": False, "error": "invalid_auth"}
        failure = self._take(self._failures, method)
        if failure is not None:
            return {"ok": False, "error": failure}
        return self._answer(method, args)

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method in ("chat.postMessage", "chat.postEphemeral", "chat.update") and not args.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        if method == "chat.postEphemeral" and not args.get("user"):
            return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": ["[ERROR] missing required field: user"]}}
        if method in MESSAGE_METHODS:
            refusal = message_refusal(args)
            if refusal:
                return {"ok": False, **refusal}
        if method in VIEW_METHODS:
            problems = view_problems(args.get("view"))
            if problems:
                return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": problems}}
        ts = f"1700000000.{next(self._ts):06d}"
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://test.slack.com/",
                "team": "Test Team",
                "user": "ladder",
                "team_id": self.team_id,
                "user_id": "U0BOT",
                "bot_id": "B0BOT",
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            return {
                "ok": True,
                "channel": args.get("channel"),
                "ts": ts,
                "message": {
                    "type": "message",
                    "user": "U0BOT",
                    "bot_id": "B0BOT",
                    "text": args.get("text", ""),
                    "ts": ts,
                    "blocks": args.get("blocks", []),
                },
            }
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "chat.update":
            return {
                "ok": True,
                "channel": args.get("channel"),
                "ts": args.get("ts"),
                "text": args.get("text", ""),
                "message": {
                    "type": "message",
                    "user": "U0BOT",
                    "bot_id": "B0BOT",
                    "text": args.get("text", ""),
                    "blocks": args.get("blocks", []),
                },
            }
        if method in VIEW_METHODS:
            return {"ok": True, "view": {"id": f"V{next(self._ts)}", **(args.get("view") or {})}}
        if method == "users.lookupByEmail":
            user = next((u for u in self._users.values() if u.email.lower() == str(args.get("email", "")).lower()), None)
            return {"ok": True, "user": _user_json(user)} if user else {"ok": False, "error": "users_not_found"}
        if method == "users.info":
            user = self._users.get(str(args.get("user", "")))
            return {"ok": True, "user": _user_json(user)} if user else {"ok": False, "error": "user_not_found"}
        if method == "apps.connections.open" and self.socket_mode_url:
            return {"ok": True, "url": self.socket_mode_url}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": f"D{args.get('users', 'X')}"}}
        if method == "response_url":
            return {"ok": True}
        return {"ok": False, "error": "unknown_method"}


def _user_json(user: _User) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.email.split("@")[0],
        "real_name": user.real_name,
        "deleted": False,
        "profile": {"email": user.email, "real_name": user.real_name, "display_name": user.real_name},
    }


# -- Slack's limits ---------------------------------------------------------------------------
# Written from Slack's Block Kit reference (https://api.slack.com/reference/block-kit), not from
# the bot's renderer. Anything malformed yields a problem, never an exception.


def message_refusal(args: dict[str, Any]) -> dict[str, Any] | None:
    """What Slack answers to chat.postMessage/postEphemeral/update or a response_url post, or None if it accepts it."""
    text, blocks = args.get("text"), args.get("blocks")
    if not text and not blocks:
        return {"error": "no_text"}
    if isinstance(text, str) and len(text) > 40_000:
        return {"error": "msg_too_long"}
    if blocks:
        problems = block_problems(blocks, max_blocks=50)
        if problems:
            return {"error": "invalid_blocks", "errors": problems}
    return None


def view_problems(view: Any) -> list[str]:
    """Why Slack would refuse this view in views.open/update/push/publish (empty if it would accept it)."""
    if not isinstance(view, dict):
        return ["view is required and must be a JSON object"]
    problems = block_problems(view.get("blocks", []), max_blocks=100)
    if view.get("type") == "modal":
        title = _dict(view.get("title")).get("text")
        if not isinstance(title, str) or not 0 < len(title) <= 24:
            problems.append("title must be 1-24 characters [json-pointer:/view/title/text]")
        for key in ("submit", "close"):
            if key in view:
                label = _dict(view[key]).get("text")
                if not isinstance(label, str) or not 0 < len(label) <= 24:
                    problems.append(f"{key} must be 1-24 characters [json-pointer:/view/{key}/text]")
    elif view.get("type") != "home":
        problems.append("view type must be modal or home [json-pointer:/view/type]")
    return problems


def block_problems(blocks: Any, max_blocks: int) -> list[str]:
    """Every reason Slack would refuse this list of blocks, each with Slack's json-pointer suffix."""
    if not isinstance(blocks, list):
        return ["blocks must be a list [json-pointer:/blocks]"]
    problems: list[str] = []
    if len(blocks) > max_blocks:
        problems.append(f"no more than {max_blocks} items allowed [json-pointer:/blocks]")
    block_ids: set[str] = set()
    for index, block in enumerate(blocks):
        where = f"[json-pointer:/blocks/{index}]"
        kind = block.get("type") if isinstance(block, dict) else None
        if kind not in BLOCK_TYPES:
            problems.append(f"unknown block type {kind!r} {where}")
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            if not isinstance(block_id, str) or not 0 < len(block_id) <= 255:
                problems.append(f"block_id must be a string of 1-255 characters {where}")
            elif block_id in block_ids:
                problems.append(f"duplicate block_id {block_id!r} {where}")
            else:
                block_ids.add(block_id)
        unknown = sorted(set(block) - BLOCK_KEYS[kind])
        if unknown:
            problems.append(f"invalid additional properties {unknown} {where}")
        problems += [f"{p} {where}" for p in _one_block(kind, block)]
    return problems


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text_object_problems(obj: Any, limit: int, plain_only: bool = False) -> list[str]:
    if not isinstance(obj, dict) or obj.get("type") not in ("plain_text", "mrkdwn"):
        return ["text must be a plain_text or mrkdwn object"]
    if plain_only and obj["type"] != "plain_text":
        return ["text must be plain_text"]
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        return ["text must be a non-empty string"]
    if len(text) > limit:
        return [f"must be less than {limit + 1} characters"]
    return []


def _one_block(kind: str, block: dict[str, Any]) -> list[str]:
    if kind == "section":
        if "text" not in block and "fields" not in block:
            return ["section needs text or fields"]
        problems = _text_object_problems(block["text"], 3000) if "text" in block else []
        if "fields" in block:
            fields = block["fields"]
            if not isinstance(fields, list) or not 0 < len(fields) <= 10:
                problems.append("fields must be a list of 1-10 text objects")
            for item in _list(fields):
                problems += _text_object_problems(item, 2000)
        return problems
    if kind == "header":
        return _text_object_problems(block.get("text"), 150, plain_only=True)
    if kind == "context":
        elements = block.get("elements")
        problems = [] if isinstance(elements, list) and 0 < len(elements) <= 10 else ["context needs 1-10 elements"]
        for element in _list(elements):
            kind_of = _dict(element).get("type")
            if kind_of in ("plain_text", "mrkdwn"):
                problems += _text_object_problems(element, 3000)
            elif kind_of != "image":
                problems.append(f"context elements must be text or image, not {kind_of!r}")
        return problems
    if kind == "actions":
        elements = block.get("elements")
        problems = [] if isinstance(elements, list) and 0 < len(elements) <= 25 else ["actions needs 1-25 elements"]
        for element in _list(elements):
            problems += _interactive_problems(element)
        return problems
    if kind == "image":
        problems = [] if isinstance(block.get("image_url"), str) and block["image_url"] or "slack_file" in block else ["image needs image_url"]
        alt = block.get("alt_text")
        return problems + ([] if isinstance(alt, str) and 0 < len(alt) <= 2000 else ["image needs alt_text of 1-2000 characters"])
    if kind == "input":
        label_ok = not _text_object_problems(block.get("label"), 2000, plain_only=True)
        problems = [] if label_ok else ["input needs a plain_text label of at most 2000 characters"]
        return problems + _element_problems(_dict(block.get("element")))
    return []


INTERACTIVE = {"button", "static_select", "multi_static_select", "users_select", "multi_users_select", "conversations_select",
               "multi_conversations_select", "channels_select", "external_select", "overflow", "datepicker", "timepicker",
               "datetimepicker", "checkboxes", "radio_buttons", "plain_text_input", "number_input", "email_text_input",
               "url_text_input", "rich_text_input", "workflow_button", "file_input"}  # fmt: skip


def _interactive_problems(element: Any) -> list[str]:
    """An element of an actions block (or an input's element): a known interactive type, its action_id, a button's text."""
    if not isinstance(element, dict) or element.get("type") not in INTERACTIVE:
        kind = element.get("type") if isinstance(element, dict) else type(element).__name__
        return [f"unknown element type {kind!r}"]
    problems = []
    action_id = element.get("action_id")
    if action_id is not None and (not isinstance(action_id, str) or not 0 < len(action_id) <= 255):
        problems.append("action_id must be 1-255 characters")
    if element["type"] == "button":
        problems += _text_object_problems(element.get("text"), 75, plain_only=True)
        if "value" in element and (not isinstance(element["value"], str) or len(element["value"]) > 2000):
            problems.append("button value must be a string of at most 2000 characters")
    return problems


def _element_problems(element: dict[str, Any]) -> list[str]:
    kind = element.get("type")
    if kind is None:
        return ["input needs an element"]
    options = element.get("options")
    if kind == "plain_text_input":
        max_length = element.get("max_length", 3000)
        return [] if isinstance(max_length, int) and 0 < max_length <= 3000 else ["max_length must be 1-3000"]
    if kind in ("checkboxes", "radio_buttons") and not 0 < len(_list(options)) <= 10:
        return ["checkboxes and radio_buttons need 1-10 options"]
    if kind in ("static_select", "multi_static_select") and "option_groups" not in element and not 0 < len(_list(options)) <= 100:
        return ["static selects need 1-100 options"]
    return []


# -- HTTP -------------------------------------------------------------------------------------


def _handler_for(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8")
            args = _parse_body(raw, self.headers.get("Content-Type", ""))
            if self.path.startswith("/response_url/"):
                method = "response_url"
            else:
                method = self.path.rsplit("/", 1)[-1].split("?", 1)[0]
            try:
                status, headers, body = fake.handle(method, args, dict(self.headers.items()))
            except Exception as error:  # a bug in the fake must fail the test loudly, not hang it
                status, headers, body = 500, {}, {"ok": False, "error": "fake_slack_crashed", "detail": repr(error)}
            if status == RESET:  # abort the connection: the caller hears a reset, never an answer
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                return
            payload = body["html"].encode() if "html" in body else json.dumps(body).encode()
            self.send_response(status)
            if "Content-Type" not in headers:
                self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST  # noqa: N815

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


def _parse_body(raw: str, content_type: str) -> dict[str, Any]:
    if "json" in content_type:
        try:
            args = json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            return {"_invalid_json": raw}
    else:
        args = {k: v for k, v in urllib.parse.parse_qsl(raw, keep_blank_values=True)}
    for name in JSON_FIELDS:
        if isinstance(args.get(name), str):
            try:
                args[name] = json.loads(args[name])
            except json.JSONDecodeError:
                pass
    return args


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """The fake Slack; a test during which Slack refused what the bot sent fails, unless it called expect_refusals()."""
    with FakeSlack() as fake:
        yield fake
        refused = [] if fake._refusals_expected else fake.unexpected_refusals()
    if refused:
        lines = [f"{c.method}: {c.answer.get('error')} {c.answer.get('errors') or c.answer.get('response_metadata') or ''}" for c in refused]
        pytest.fail("Slack refused what the bot sent:\n" + "\n".join(lines), pytrace=False)

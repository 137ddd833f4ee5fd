"""Every Slack Web API method Ladder's code calls is in the scope table, and manifest.yml asks for exactly the scopes
those methods and the subscribed events need: nothing missing (a real workspace would refuse the call), nothing extra
(least privilege)."""

from __future__ import annotations

import ast
import inspect
from functools import cache
from pathlib import Path

import slack_sdk.web.client

from tests.slack_scopes import (
    APP_TOKEN_METHODS,
    COMMANDS,
    EVENT_SCOPES,
    FILE_DOWNLOADS,
    IM,
    METHOD_SCOPES,
    PRIVATE,
    manifest_bot_scopes,
    manifest_events,
    manifest_needs_commands,
    scopes_needed,
)

ROOT = Path(__file__).resolve().parent.parent
CODE = ("bot", "handlers", "messages")

CONVERSATIONS = {
    "conversations.open": {IM},  # a person's direct conversation with Ladder (users=one id), never a group DM
    "conversations.history": {IM, PRIVATE},  # the outbox confirms a lost delivery in a DM or a private panel channel
    "conversations.replies": {PRIVATE},  # ... and a lost thread reply in a private panel channel's digest thread
    "conversations.info": {PRIVATE},  # a panel's channel must be private; a public one answers missing_scope, and is refused
    "conversations.members": {PRIVATE},  # who is in a panel's private channel
}
"""The conversation types Ladder calls each Conversations API method on: the scopes it needs are those types' only."""

BOLT_ON_OUR_BEHALF = {"SocketModeHandler": {"apps.connections.open"}, "say": {"chat.postMessage"}}
"""Names in Ladder's code that make Bolt call Slack for it: Socket Mode opens its connection; a listener's say() posts."""


@cache
def sdk_methods() -> dict[str, frozenset[str]]:
    """slack_sdk's WebClient method name -> the Web API methods it calls, read from its source: the method name its
    api_call() names, and those of the WebClient methods it calls in turn (files_upload_v2 makes two calls)."""
    tree = ast.parse(inspect.getsource(slack_sdk.web.client))
    client = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "WebClient")
    direct: dict[str, set[str]] = {}
    calls: dict[str, set[str]] = {}
    for function in (n for n in client.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")):
        direct[function.name], calls[function.name] = set(), set()
        for node in ast.walk(function):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            target = node.func
            if not (isinstance(target.value, ast.Name) and target.value.id == "self"):
                continue
            if target.attr == "api_call" and node.args and isinstance(node.args[0], ast.Constant):
                direct[function.name].add(str(node.args[0].value))
            else:
                calls[function.name].add(target.attr)

    def resolve(name: str, seen: frozenset[str]) -> set[str]:
        found = set(direct.get(name, ()))
        for callee in calls.get(name, set()) - seen:
            found |= resolve(callee, seen | {callee})
        return found

    return {name: frozenset(resolve(name, frozenset({name}))) for name in direct}


def api_methods_called(source: str) -> set[str]:
    """The Web API methods a module calls: WebClient methods it calls or hands on (client.users_info, also uncalled),
    method names it names in a string ("chat.postMessage", for api_call or the outbox sender), and what Bolt calls for it."""
    known = set().union(*sdk_methods().values())
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in sdk_methods():
            found |= sdk_methods()[node.attr]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in known:
            found.add(node.value)
        elif isinstance(node, (ast.Name, ast.arg, ast.alias)):
            name = node.id if isinstance(node, ast.Name) else node.arg if isinstance(node, ast.arg) else node.name
            found |= BOLT_ON_OUR_BEHALF.get(str(name).rsplit(".", 1)[-1], set())
    return found


def methods_ladder_calls() -> dict[str, set[str]]:
    """Web API method -> the files under bot/, handlers/ and messages/ that call it."""
    where: dict[str, set[str]] = {}
    for folder in CODE:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for method in api_methods_called(path.read_text()):
                where.setdefault(method, set()).add(str(path.relative_to(ROOT)))
    return where


def scopes_the_code_needs() -> set[str]:
    needed: set[str] = set()
    for method in set(methods_ladder_calls()) - APP_TOKEN_METHODS:
        needed |= scopes_needed(method, CONVERSATIONS[method]) if method in CONVERSATIONS else scopes_needed(method)
    for event in manifest_events():
        needed |= {EVENT_SCOPES[event]} - {None}
    if downloads_files():
        needed.add(FILE_DOWNLOADS)
    return needed | ({COMMANDS} if manifest_needs_commands() else set())


def downloads_files() -> bool:
    """Whether the code downloads files people share (their url_private, with the bot token): not a Web API method."""
    return any("url_private" in path.read_text() for folder in CODE for path in (ROOT / folder).rglob("*.py"))


def test_the_scanner_finds_calls_handed_on_named_and_made_by_bolt():
    source = """
from slack_bolt.adapter.socket_mode import SocketModeHandler
def upload(client, say):
    client.files_upload_v2(channel="C1", content="x")
    lookup = client.users_lookupByEmail
    deliver("chat.postEphemeral", {})
    client.api_call(method)  # a method only known at run time says nothing
"""
    assert api_methods_called(source) == {
        "files.getUploadURLExternal", "files.completeUploadExternal", "users.lookupByEmail", "chat.postEphemeral",
        "apps.connections.open", "chat.postMessage",
    }  # fmt: skip
    assert sdk_methods()["conversations_history"] == {"conversations.history"}


def test_every_web_api_method_the_code_calls_is_in_the_scope_table():
    called = methods_ladder_calls()
    assert {"chat.postMessage", "files.completeUploadExternal", "conversations.history", "views.open"} <= set(called)
    missing = {method: sorted(files) for method, files in called.items() if method not in METHOD_SCOPES}
    assert missing == {}, f"add these methods and their scopes (Slack's method reference) to tests/slack_scopes.py: {missing}"


def test_every_conversations_method_says_which_conversations_it_is_called_on():
    by_kind = {m for m, needs in METHOD_SCOPES.items() if not isinstance(needs, str) and needs is not None}
    undeclared = sorted(set(methods_ladder_calls()) & by_kind - set(CONVERSATIONS))
    assert undeclared == [], f"say in CONVERSATIONS which conversation types these are called on: {undeclared}"


def test_every_subscribed_event_is_in_the_scope_table():
    assert sorted(manifest_events() - set(EVENT_SCOPES)) == []


def test_the_manifest_asks_for_exactly_the_scopes_the_code_needs():
    needed, asked = scopes_the_code_needs(), set(manifest_bot_scopes())
    assert {"missing": sorted(needed - asked), "extra": sorted(asked - needed)} == {"missing": [], "extra": []}

"""What each Slack Web API method and event asks of a token's scopes, as Slack's reference documents it.

Written from the "Scopes" facts of each method's page in Slack's method reference
(https://docs.slack.dev/reference/methods/<method>, e.g. .../methods/conversations.history) and of each
event's page (https://docs.slack.dev/reference/events/<event>), not from what Ladder happens to ask for,
so the fake Slack refuses what a real workspace would and the manifest test can say what is missing.

The Conversations API methods need the scope of the conversation's type: "This Conversations API method's
required scopes depend on the type of channel-like object you're working with. You only need the scopes
corresponding to that conversation type" (https://api.slack.com/methods/conversations.members).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Mapping

import yaml

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "manifest.yml"

PUBLIC, PRIVATE, IM, MPIM = "public channel", "private channel", "direct message", "group direct message"
KINDS = (PUBLIC, PRIVATE, IM, MPIM)


def _by_kind(public: str, private: str, im: str, mpim: str) -> Mapping[str, str]:
    return {PUBLIC: public, PRIVATE: private, IM: im, MPIM: mpim}


HISTORY = _by_kind("channels:history", "groups:history", "im:history", "mpim:history")
READ = _by_kind("channels:read", "groups:read", "im:read", "mpim:read")
WRITE = _by_kind("channels:manage", "groups:write", "im:write", "mpim:write")

METHOD_SCOPES: dict[str, str | Mapping[str, str] | None] = {
    "auth.test": None,  # no scope required
    "auth.teams.list": None,  # an org-wide app's workspaces: no scope required
    "apps.connections.open": "connections:write",  # an app-level token (xapp-…), for Socket Mode
    "chat.postMessage": "chat:write",  # plus chat:write.public to post in a public channel the app is not in
    "chat.postEphemeral": "chat:write",
    "chat.update": "chat:write",
    "chat.delete": "chat:write",
    "chat.getPermalink": None,  # "No scope required"
    "conversations.history": HISTORY,
    "conversations.replies": HISTORY,
    "conversations.info": READ,
    "conversations.members": READ,
    "conversations.open": WRITE,
    "views.open": None,
    "views.update": None,
    "views.push": None,
    "views.publish": None,
    "users.info": "users:read",
    "users.list": "users:read",
    "users.lookupByEmail": "users:read.email",
    "dnd.info": "dnd:read",
    "dnd.teamInfo": "dnd:read",
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
    "files.delete": "files:write",
}
"""Web API method -> the scope a bot token needs: one scope, one per conversation type, or None (no scope)."""

POST_WHERE_NOT_A_MEMBER = "chat:write.public"
"""chat.postMessage to a public channel the app is not in answers not_in_channel without this scope."""

APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
"""Methods called with the app-level token (xapp-…), whose scopes are set on the app, not in oauth_config.scopes.bot."""
APP_TOKEN_SCOPES = frozenset({"connections:write"})

EVENT_SCOPES: dict[str, str | None] = {
    "app_home_opened": None,
    "app_mention": "app_mentions:read",
    "app_uninstalled": None,
    "tokens_revoked": None,
    "message.channels": "channels:history",
    "message.groups": "groups:history",
    "message.im": "im:history",
    "message.mpim": "mpim:history",
    "user_change": "users:read",
}
"""Subscribed bot event -> the scope it needs (Slack refuses to save a subscription without it)."""

FILE_DOWNLOADS = "files:read"
"""Downloading a file someone shared (its url_private_download, with the bot token) needs this scope."""

COMMANDS = "commands"
"""Slash commands and shortcuts (global and message) need this scope."""


def needed_scope(method: str, kind: str | None = None) -> str | None:
    """The scope ``method`` needs on a conversation of ``kind`` (one of KINDS); None when it needs none, or when it
    depends on a conversation's type and no kind is given (Slack then answers about the conversation instead)."""
    needs = METHOD_SCOPES[method]
    if isinstance(needs, Mapping):
        return needs[kind] if kind is not None else None
    return needs


def scopes_needed(method: str, kinds: frozenset[str] | set[str] = frozenset(KINDS)) -> set[str]:
    """Every scope ``method`` needs across the conversation types it is called on."""
    needs = METHOD_SCOPES[method]
    if isinstance(needs, Mapping):
        return {needs[kind] for kind in kinds}
    return {needs} if needs else set()


@cache
def _manifest() -> dict:
    return yaml.safe_load(MANIFEST.read_text())


def manifest_bot_scopes() -> frozenset[str]:
    """The bot token's scopes as the repository's manifest.yml asks for them (oauth_config.scopes.bot)."""
    return frozenset(_manifest()["oauth_config"]["scopes"]["bot"])


def manifest_events() -> frozenset[str]:
    return frozenset(_manifest()["settings"]["event_subscriptions"]["bot_events"])


def manifest_needs_commands() -> bool:
    features = _manifest().get("features") or {}
    return bool(features.get("slash_commands") or features.get("shortcuts"))

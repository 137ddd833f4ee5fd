"""A fake Slack Web API on a local port: records what the bot sends, answers as Slack answers,
and refuses what Slack would refuse.

Its Block Kit checks are written here from Slack's documented limits, independently of the
bot's own renderer, so a renderer bug cannot hide behind a shared mistake. Its permissions are
Slack's too: a call the token's scopes do not allow (tests/slack_scopes.py, from Slack's method
reference; the bot token has the scopes manifest.yml asks for) answers missing_scope and is not
carried out, and conversations are public or private channels, direct or group direct messages,
with the bot in them or not.
"""

from __future__ import annotations

import base64
import binascii
import copy
import itertools
import json
import math
import random
import re
import secrets
import socket
import string
import struct
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterator
from zoneinfo import ZoneInfo

import pytest

from tests import slack_requests
from tests.slack_scopes import (
    APP_TOKEN_METHODS,
    APP_TOKEN_SCOPES,
    IM,
    METHOD_SCOPES,
    MPIM,
    POST_WHERE_NOT_A_MEMBER,
    PRIVATE,
    PUBLIC,
    manifest_bot_scopes,
    needed_scope,
)

JSON_FIELDS = ("blocks", "view", "attachments", "metadata")
BOT_USER, BOT_ID, APP_ID = "U0BOT", "B0BOT", "A0LADDER"
TRIGGER_LIFETIME = 3.0
"""Seconds a trigger_id can be exchanged for a modal ("They expire in three seconds")."""
PROVOKED_ERRORS = {"user_disabled"}
"""ok: false answers the test set up (it disabled the user), not something the bot got wrong."""
MESSAGE_METHODS = {"chat.postMessage", "chat.postEphemeral", "chat.update", "response_url"}
RESET = -1
"""handle()'s status for "drop the connection without answering"."""
ANSWERS_NOT_REFUSALS = {"users_not_found", "user_not_found"}
"""ok: false answers that report a fact (nobody has that email, no user has that id), not a call Slack refused."""
CHANNEL_METHODS = {"chat.postMessage", "chat.postEphemeral", "chat.update", "chat.delete", "chat.getPermalink",
                   "conversations.history", "conversations.replies", "conversations.info", "conversations.members",
                   "files.completeUploadExternal"}  # fmt: skip
"""Methods acting on the conversation in their `channel` (files.completeUploadExternal: `channel_id`/`channels`)."""
READABLE_WHERE_NOT_A_MEMBER = {"chat.getPermalink", "conversations.info", "conversations.members"}
"""What a bot may do in a public channel it is not in (other methods answer not_in_channel)."""
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
TIER_PER_MINUTE = {1: 1, 2: 20, 3: 50, 4: 100}
"""Slack's Web API rate-limit tiers, calls a minute per method per workspace (https://api.slack.com/apis/rate-limits)."""
METHOD_TIERS = {
    "apps.connections.open": 1, "users.list": 2, "dnd.teamInfo": 2,
    "users.lookupByEmail": 3, "dnd.info": 3, "conversations.history": 3, "conversations.replies": 3, "conversations.info": 3,
    "conversations.open": 3, "chat.update": 3, "chat.delete": 3, "files.delete": 3,
    "users.info": 4, "conversations.members": 4, "chat.postEphemeral": 4, "views.open": 4, "views.update": 4,
    "views.push": 4, "views.publish": 4, "files.getUploadURLExternal": 4, "files.completeUploadExternal": 4,
}  # fmt: skip
"""Each method's tier as Slack's method reference gives it. auth.test, chat.getPermalink (special: heavy use allowed) and
chat.postMessage (special: see POST_PER_CHANNEL, POST_PER_TEAM) are not in a tier."""
POST_PER_CHANNEL, POST_CHANNEL_BURST = 1.0, 3
"""chat.postMessage: "1 per second per channel", with "short bursts" allowed."""
POST_PER_TEAM, POST_TEAM_BURST = 300 / 60, 30
"""chat.postMessage: a workspace-wide limit of "several hundred messages per minute" (here 300, bursts of 30)."""
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
    received: float = field(default_factory=time.monotonic)
    """When the fake received the call (time.monotonic, in the test's process): how long an answer took to arrive."""
    token: str = ""
    """The token the call was made with ("" for a response_url, an upload or an oauth.v2.access exchange)."""
    team: str | None = None
    """The workspace (or, for an org-wide install, the enterprise) the call's token was issued for."""
    crossed: bool = False
    """The call reached for a channel, user or view of a workspace its token was not issued for (refused as Slack does)."""

    @property
    def carried_out(self) -> bool:
        """Whether Slack acted on the call (a message posted), whatever the caller heard back."""
        return bool(self.answer.get("ok"))


@dataclass
class _User:
    id: str
    email: str
    real_name: str
    tz: str = "Europe/London"
    is_admin: bool = False
    deleted: bool = False
    display_name: str = ""
    title: str = ""
    is_bot: bool = False
    teams: tuple[str, ...] = ()
    """The workspaces the user is in, their home workspace first."""


@dataclass
class _Team:
    id: str
    name: str
    enterprise_id: str | None = None


@dataclass
class Installation:
    """A bot token as Slack issued it: to one workspace, or org-wide to an enterprise (team_id None)."""

    token: str
    team_id: str | None
    enterprise_id: str | None
    bot_user_id: str
    bot_id: str
    installer: str = ""
    refresh_token: str | None = None
    expires_at: float | None = None
    """When the token stops working (the fake's clock), for a token issued with rotation on."""
    revoked: bool = False

    @property
    def is_enterprise_install(self) -> bool:
        return self.team_id is None

    @property
    def tenant(self) -> str:
        """Whose token it is: the enterprise for an org-wide install, else the workspace."""
        return self.enterprise_id if self.team_id is None else self.team_id  # type: ignore[return-value]


@dataclass
class _Code:
    team_id: str | None
    enterprise_id: str | None
    installer: str
    scopes: frozenset[str] | None
    rotation: bool
    redirect_uri: str | None
    used: bool = False


@dataclass
class _Bucket:
    """A token bucket: `capacity` tokens, refilled continuously at `rate` a second."""

    rate: float
    capacity: float
    tokens: float
    stamp: float

    def wait(self, now: float) -> float:
        """The seconds until a token will be there (0: one is), taking none."""
        if now > self.stamp:
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
        return 0.0 if self.tokens >= 1 - 1e-9 else (1 - self.tokens) / self.rate

    def take(self, now: float) -> float:
        """Take a token and return 0, or return the seconds until there will be one."""
        if now > self.stamp:
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
        if self.tokens >= 1 - 1e-9:
            self.tokens = max(0.0, self.tokens - 1)
            return 0.0
        return (1 - self.tokens) / self.rate


@dataclass
class _Trigger:
    user_id: str | None
    issued: float
    exchanged: bool = False


@dataclass
class _Dnd:
    start: float
    end: float
    snooze: bool


@dataclass
class _Conversation:
    """A conversation as Slack has it: its type (tests.slack_scopes.KINDS), its members and whether the bot is one."""

    id: str
    name: str
    kind: str
    members: list[str]
    bot_member: bool
    archived: bool = False
    registered: bool = False
    """Set up by the test (add_channel) or opened by conversations.open, rather than assumed from its id."""
    team: str | None = None
    """The workspace the conversation is in (None: any token may use it, as a conversation no test registered)."""

    @property
    def visible(self) -> bool:
        """Whether the bot can see it at all: a private conversation it is not in does not exist for it."""
        return self.bot_member or self.kind == PUBLIC


@dataclass
class FakeSlack:
    team_id: str = "T0TEST"
    valid_tokens: set[str] = field(default_factory=lambda: {"xoxb-test-token", "xapp-test-token"})
    socket_mode_url: str | None = None
    """Where apps.connections.open sends a Socket Mode client (a FakeSocketMode's url)."""
    port: int = 0
    """0 for any free port; a given port lets a test bring "Slack" back where the bot expects it."""
    now: Callable[[], float] = time.time
    """Slack's clock (epoch seconds): trigger expiry, Do Not Disturb, rate limits, time zone offsets, message ts."""
    trigger_lifetime: float = TRIGGER_LIFETIME
    """Seconds of `now` an issued trigger_id stays exchangeable (Slack's 3 unless a test relaxes it)."""
    hidden_channels: set[str] = field(default_factory=set)
    """Conversations the bot cannot see (others' private channels and DMs): any call on them answers channel_not_found.
    add_channel(id, private=True, bot_member=False) says the same with a name and members."""
    latency: float = 0.0
    """Seconds each HTTP call takes (half before Slack acts on it, half before the answer is sent), as real Slack's
    100-300 ms do; calls are served concurrently, so latency adds to each call without queueing the others."""
    slack_limits: bool = False
    """Slack's per-method limits per workspace (METHOD_TIERS, and chat.postMessage's per channel and per workspace): a
    call over its limit answers 429 with Retry-After and is not carried out. Real time, on `now`."""
    team_of: Callable[[str, dict[str, Any]], str] | None = None
    """Which workspace a call counts against under `slack_limits` (method, args → team id); by default this fake's
    team_id (one bot token, one workspace). A benchmark may spread one token's calls over many simulated workspaces."""
    client_id: str = "1111.2222"
    client_secret: str = "fake-client-secret"
    """The app's OAuth credentials: oauth.v2.access answers only a caller that presents them."""
    token_lifetime: float = 43200
    """Seconds a bot token issued with rotation on works (Slack's 12 hours), on `now`."""

    def __post_init__(self) -> None:
        self._calls: list[Call] = []
        self._calls_by_method: dict[str, list[Call]] = {}
        self._changed = threading.Condition()
        self._users: dict[str, _User] = {}
        self._rate_limits: dict[str, list[int]] = {}
        self._buckets: dict[str, _Bucket] = {}
        self._slack_buckets: dict[tuple[str, ...], _Bucket] = {}
        self._in_flight = 0
        self.most_at_once = 0
        """The most HTTP calls the fake was serving at the same moment (concurrent senders overlap)."""
        self._failures: dict[str, list[str]] = {}
        self._outages: dict[str, list[str]] = {}
        self._outages_when: list[tuple[str, Callable[[dict[str, Any]], bool], str]] = []
        self._refusals_expected = False
        self._errors_expected: set[str] = set()
        self._ts = itertools.count(100)
        self._last_second = 0
        self._messages: dict[str, list[dict[str, Any]]] = {}
        self._dnd: dict[str, _Dnd] = {}
        self._triggers: dict[str, _Trigger] = {}
        self._views: dict[str, dict[str, Any]] = {}
        self._view_users: dict[str, str | None] = {}
        self._external_ids: dict[str, str] = {}
        self._homes: dict[str, str] = {}
        self._conversations: dict[str, _Conversation] = {}
        self._granted: dict[str, frozenset[str]] = {}
        self._teams: dict[str, _Team] = {self.team_id: _Team(self.team_id, "Test Team")}
        self._installations: dict[str, Installation] = {}
        """Tokens issued by oauth.v2.access (or bind()), each bound to its workspace or enterprise; any other valid token
        is the default bot token of `team_id`."""
        self._codes: dict[str, _Code] = {}
        self._refresh_tokens: dict[str, Installation] = {}
        self._view_teams: dict[str, str | None] = {}
        self._caller: Installation | None = None
        self._enterprises: dict[str, str] = {}
        self.files: dict[str, dict[str, Any]] = {}
        """Uploaded files by id: name, title, content, and the conversations they were shared in."""
        self.shared_files: dict[str, bytes] = {}
        """Files people shared (:meth:`share_file`), by id: their bytes, downloaded from their url_private_download."""
        self.downloads: list[tuple[str, str]] = []
        """Each file downloaded: (file id, the token it was downloaded with)."""
        self._random = random.Random()
        self._server = _Server(("127.0.0.1", self.port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

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

    def add_user(
        self,
        user_id: str,
        email: str,
        real_name: str,
        tz: str = "Europe/London",
        is_admin: bool = False,
        is_bot: bool = False,
        *,
        team: str | list[str] | tuple[str, ...] | None = None,
    ) -> None:
        """A person in workspace `team` (default: `team_id`), or in several (a list, home workspace first: an
        Enterprise Grid user in more than one of its workspaces)."""
        ZoneInfo(tz)  # an unknown zone fails here, in the test's set-up, not in the middle of an answer
        teams = (team,) if isinstance(team, str) else tuple(team or (self.team_id,))
        with self._changed:
            for t in teams:
                self._teams.setdefault(t, _Team(t, t))
            self._users[user_id] = _User(user_id, email, real_name, tz=tz, is_admin=is_admin, is_bot=is_bot, teams=teams)

    def change_user(self, user_id: str, **fields: Any) -> None:
        """Change what users.info says of a user: tz, real_name, email, is_admin, deleted, display_name, title."""
        with self._changed:
            user = self._users[user_id]
            for name, value in fields.items():
                if name in ("id", "teams") or name not in user.__dataclass_fields__:
                    raise TypeError(
                        f"change_user() cannot change {name!r}; it changes {sorted(set(user.__dataclass_fields__) - {'id', 'teams'})}"
                    )
                if name == "tz":
                    ZoneInfo(value)
                setattr(user, name, value)

    def disable_user(self, user_id: str) -> None:
        """Deactivate a user: users.info shows deleted=true and posts to them answer `user_disabled`."""
        self.change_user(user_id, deleted=True)

    def add_channel(
        self,
        channel_id: str,
        name: str | None = None,
        *,
        private: bool = False,
        members: list[str] | tuple[str, ...] = (),
        bot_member: bool = True,
        archived: bool = False,
        team: str | None = None,
    ) -> None:
        """A public or private channel with its members (people's user ids) and the bot in it or not.

        A channel no test registered is a public channel the bot is in. The bot cannot see a private
        channel it is not in (channel_not_found), and must be in a public channel to post or read there
        (not_in_channel), as Slack has it. The channel is in workspace `team` (default: `team_id`): a token
        issued for another workspace does not find it (channel_not_found).
        """
        with self._changed:
            self._conversations[channel_id] = _Conversation(
                channel_id, name or channel_id.lower(), PRIVATE if private else PUBLIC, list(members), bot_member,
                archived=archived, registered=True, team=team or self.team_id,
            )  # fmt: skip

    def grant(self, token: str, scopes: set[str] | frozenset[str] | list[str]) -> None:
        """Give `token` exactly these scopes (and make it valid), as reinstalling the app with others would."""
        with self._changed:
            self.valid_tokens.add(token)
            self._granted[token] = frozenset(scopes)

    def scopes_of(self, token: str) -> frozenset[str]:
        """A token's scopes: what grant() gave it, else an app-level token's connections:write or, for the bot token,
        what the repository's manifest.yml asks for."""
        with self._changed:
            if token in self._granted:
                return self._granted[token]
        return APP_TOKEN_SCOPES if token.startswith("xapp-") else manifest_bot_scopes()

    # -- workspaces, installs and tokens ----------------------------------------------------------

    def add_team(self, team_id: str, name: str | None = None, *, enterprise: str | None = None) -> None:
        """A workspace (in Enterprise Grid organisation `enterprise`, if given)."""
        with self._changed:
            self._teams[team_id] = _Team(team_id, name or team_id, enterprise)
            if enterprise:
                self._enterprises.setdefault(enterprise, enterprise)

    def add_enterprise(self, enterprise_id: str, teams: list[str] | tuple[str, ...], name: str | None = None) -> None:
        """An Enterprise Grid organisation and its workspaces."""
        with self._changed:
            self._enterprises[enterprise_id] = name or enterprise_id
        for team in teams:
            self.add_team(team, enterprise=enterprise_id)

    def install_code(
        self,
        team: str | None = None,
        *,
        enterprise: str | None = None,
        installer: str = "U0INSTALLER",
        scopes: set[str] | frozenset[str] | list[str] | None = None,
        rotation: bool = False,
        redirect_uri: str | None = None,
    ) -> str:
        """The `code` Slack sends to the app's redirect URL once `installer` approved the install: in workspace `team`
        (within `enterprise` if it is one of its workspaces) or, with no team, org-wide across `enterprise`. The app
        exchanges it once with oauth.v2.access for a bot token bound to that workspace or enterprise, with `scopes`
        (default: manifest.yml's) and, with `rotation`, a refresh token and an expiry."""
        if team is None and enterprise is None:
            team = self.team_id
        with self._changed:
            if team is not None and team not in self._teams:
                self._teams[team] = _Team(team, team, enterprise)
            if team is not None and enterprise is None:
                enterprise = self._teams[team].enterprise_id
            if enterprise is not None:
                self._enterprises.setdefault(enterprise, enterprise)
            code = f"{next(self._ts)}.{secrets.token_hex(12)}"
            self._codes[code] = _Code(
                team, enterprise, installer, frozenset(scopes) if scopes is not None else None, rotation, redirect_uri
            )
            return code

    def bind(
        self,
        token: str,
        team: str | None = None,
        *,
        enterprise: str | None = None,
        scopes: set[str] | frozenset[str] | list[str] | None = None,
    ) -> Installation:
        """Make `token` a valid bot token issued for workspace `team` (or, with no team, org-wide for `enterprise`),
        as if installed with OAuth, without going through oauth.v2.access."""
        with self._changed:
            if team is not None and team not in self._teams:
                self._teams[team] = _Team(team, team, enterprise)
            installation = self._new_installation(token, team, enterprise or (self._teams[team].enterprise_id if team else None))
            if scopes is not None:
                self._granted[token] = frozenset(scopes)
            return installation

    def installation(self, token: str) -> Installation:
        """Whom `token` was issued for: its install, or for any other valid token this fake's default workspace."""
        with self._changed:
            found = self._installations.get(token)
            if found is not None:
                return found
            team = self._teams[self.team_id]
            return Installation(token, team.id, team.enterprise_id, BOT_USER, BOT_ID)

    def installations(self, tenant: str | None = None) -> list[Installation]:
        """Tokens issued through OAuth (or bind()), oldest first; only those of workspace or enterprise `tenant` if given."""
        with self._changed:
            return [i for i in self._installations.values() if tenant is None or i.tenant == tenant]

    def token_of(self, tenant: str) -> str:
        """The newest token issued for workspace or enterprise `tenant` that still works."""
        live = [i for i in self.installations(tenant) if not i.revoked]
        if not live:
            raise AssertionError(f"no live token for {tenant!r}; installed: {[i.tenant for i in self.installations()]}")
        return live[-1].token

    def revoke(self, token: str) -> None:
        """The token stops working: every call with it answers token_revoked (as after an uninstall)."""
        with self._changed:
            installation = self._installations.get(token)
            if installation is None:
                installation = self._installations[token] = self.installation(token)
            installation.revoked = True
            self._refresh_tokens = {r: i for r, i in self._refresh_tokens.items() if i.token != token}

    def uninstall(self, tenant: str) -> list[str]:
        """The app is uninstalled from workspace (or org-wide from enterprise) `tenant`: every token issued for it is
        revoked. Returns those tokens (the test sends the app_uninstalled event itself)."""
        tokens = [i.token for i in self.installations(tenant) if not i.revoked]
        if tenant == self.team_id:
            tokens += [t for t in self.valid_tokens if t.startswith("xoxb-") and t not in self._installations]
        for token in tokens:
            self.revoke(token)
        return tokens

    def calls_with(self, token: str, method: str | None = None) -> list[Call]:
        """The calls made with `token` (and to `method`, if given)."""
        return [c for c in self.calls(method) if c.token == token]

    def tokens_used(self, method: str | None = None) -> set[str]:
        """Every token calls (to `method`, if given) were made with."""
        return {c.token for c in self.calls(method) if c.token}

    def calls_for(self, tenant: str, method: str | None = None) -> list[Call]:
        """The calls made with a token issued for workspace or enterprise `tenant`."""
        return [c for c in self.calls(method) if c.team == tenant]

    def crossed_calls(self) -> list[Call]:
        """Calls whose token reached for another workspace's channel, user or view (Slack refused each)."""
        return [c for c in self.calls() if c.crossed]

    def _new_installation(
        self, token: str, team: str | None, enterprise: str | None, installer: str = "", rotation: bool = False
    ) -> Installation:
        tenant = team or enterprise or self.team_id
        bot_user, bot_id = (BOT_USER, BOT_ID) if tenant == self.team_id else (f"U0BOT{tenant}", f"B0BOT{tenant}")
        installation = Installation(token, team, enterprise, bot_user, bot_id, installer=installer)
        if rotation:
            installation.refresh_token = f"xoxe-1-{tenant}-{secrets.token_hex(12)}"
            installation.expires_at = self.now() + self.token_lifetime
            self._refresh_tokens[installation.refresh_token] = installation
        self._installations[token] = installation
        self.valid_tokens.add(token)
        return installation

    def _reach(self, installation: Installation) -> set[str]:
        """The workspaces a token reaches: its own, or every workspace of its enterprise for an org-wide install."""
        if installation.team_id is not None:
            return {installation.team_id}
        enterprise = installation.tenant
        return {enterprise} | {t.id for t in self._teams.values() if t.enterprise_id == enterprise}

    def _teams_of_channel(self, channel: str) -> set[str] | None:
        """The workspaces a conversation belongs to (a DM: its person's), None when nobody registered it."""
        found = self._conversations.get(_conversation_of(channel))
        if found is not None and found.team is not None:
            return {found.team}
        user = self._users.get(_user_of(_conversation_of(channel)) or "")
        return set(user.teams) if user is not None else None

    def _crossing(self, method: str, args: dict[str, Any], installation: Installation) -> str | None:
        """The error Slack answers when the call names a channel, person or view outside the token's workspaces."""
        reach = self._reach(installation)
        channel = self._channel_arg(method, args) or (str(args.get("channel") or "") if method == "conversations.open" else "")
        if channel:
            teams = self._teams_of_channel(channel)
            if teams is not None and not teams & reach:
                return "channel_not_found"
        people = [str(args[k]) for k in ("user", "user_id") if args.get(k)]
        if method in ("conversations.open", "dnd.teamInfo"):
            people += [u.strip() for u in str(args.get("users") or "").split(",") if u.strip()]
        for person in people:
            user = self._users.get(person)
            if user is not None and not set(user.teams) & reach:
                return "user_not_found"
        if method == "views.update":
            view_id = args.get("view_id") or self._external_ids.get(str(args.get("external_id")))
            team = self._view_teams.get(str(view_id))
            if team is not None and team not in reach | {installation.tenant}:
                return "not_found"
        return None

    def _oauth_access(self, args: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        """oauth.v2.access: a code (or, with grant_type=refresh_token, a refresh token) exchanged for a bot token."""
        client_id, secret = str(args.get("client_id") or ""), str(args.get("client_secret") or "")
        basic = headers.get("Authorization", "")
        if basic.startswith("Basic "):
            try:
                client_id, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return {"ok": False, "error": "invalid_client_id"}
        if client_id != self.client_id:
            return {"ok": False, "error": "invalid_client_id"}
        if secret != self.client_secret:
            return {"ok": False, "error": "bad_client_secret"}
        with self._changed:
            if args.get("grant_type") == "refresh_token":
                old = self._refresh_tokens.pop(str(args.get("refresh_token") or ""), None)
                if old is None:
                    return {"ok": False, "error": "invalid_refresh_token"}
                token = f"xoxe.xoxb-1-{old.tenant}-{secrets.token_hex(12)}"
                new = self._new_installation(token, old.team_id, old.enterprise_id, old.installer, rotation=True)
                if old.token in self._granted:
                    self._granted[token] = self._granted[old.token]
                return self._oauth_answer(new)
            code = self._codes.get(str(args.get("code") or ""))
            if code is None or code.used:
                return {"ok": False, "error": "invalid_code"}
            if code.redirect_uri is not None and args.get("redirect_uri") != code.redirect_uri:
                return {"ok": False, "error": "bad_redirect_uri"}
            code.used = True
            tenant = code.team_id or code.enterprise_id
            prefix = "xoxe.xoxb-1" if code.rotation else "xoxb"
            token = f"{prefix}-{tenant}-{next(self._ts)}-{secrets.token_hex(12)}"
            installation = self._new_installation(token, code.team_id, code.enterprise_id, code.installer, code.rotation)
            if code.scopes is not None:
                self._granted[token] = code.scopes
            return self._oauth_answer(installation)

    def _oauth_answer(self, installation: Installation) -> dict[str, Any]:
        team = self._teams.get(installation.team_id or "")
        enterprise = installation.enterprise_id
        answer: dict[str, Any] = {
            "ok": True,
            "app_id": APP_ID,
            "authed_user": {"id": installation.installer},
            "scope": ",".join(sorted(self.scopes_of(installation.token))),
            "token_type": "bot",
            "access_token": installation.token,
            "bot_user_id": installation.bot_user_id,
            "team": {"id": team.id, "name": team.name} if team else None,
            "enterprise": {"id": enterprise, "name": self._enterprises.get(enterprise, enterprise)} if enterprise else None,
            "is_enterprise_install": installation.is_enterprise_install,
        }
        if installation.refresh_token and installation.expires_at is not None:
            answer["refresh_token"] = installation.refresh_token
            answer["expires_in"] = int(installation.expires_at - self.now())
        return answer

    def _caller_or_default(self) -> Installation:
        return self._caller if self._caller is not None else self.installation("")

    def share_file(self, user_id: str, name: str, content: bytes | str) -> dict[str, Any]:
        """A file a person shares in a message: what a ``file_share`` message event carries in its ``files``. Its bytes
        are served at its url_private_download to a token that may read files (Slack's sign-in page to any other)."""
        file_id = f"F{next(self._ts):08d}"
        data = content.encode() if isinstance(content, str) else content
        self.shared_files[file_id] = data
        base = f"http://127.0.0.1:{self._server.server_port}/files-pri/{file_id}"
        return {
            "id": file_id, "name": name, "title": name, "user": user_id, "size": len(data), "mimetype": "text/plain",
            "url_private": f"{base}/{name}", "url_private_download": f"{base}/download/{name}",
        }  # fmt: skip

    def download(self, path: str, headers: dict[str, str]) -> tuple[int, str, bytes]:
        """GET of a shared file's url_private(_download): (status, content type, bytes)."""
        token = headers.get("Authorization", "").removeprefix("Bearer ").strip()
        sign_in = (200, "text/html", b"<!DOCTYPE html><html><body>Sign in to Slack</body></html>")
        if token not in self.valid_tokens or self.installation(token).revoked or "files:read" not in self.scopes_of(token):
            return sign_in
        data = self.shared_files.get(path.split("/")[2] if path.count("/") >= 2 else "")
        if data is None:
            return 404, "text/plain", b"not found"
        self.downloads.append((path.split("/")[2], token))
        return 200, "application/octet-stream", data

    def user_object(self, user_id: str) -> dict[str, Any]:
        """The user as users.info (and a user_change event) shows them now."""
        with self._changed:
            return self._user_json(self._users[user_id])

    def set_dnd(self, user_id: str, until: float, *, start: float | None = None, snooze: bool = False) -> None:
        """Do Not Disturb for `user_id` until `until` (epoch seconds on the fake's clock); `until` <= now clears it.

        By default a DND period running from `start` (default: now) to `until`, which dnd.info shows to
        the bot as `dnd_enabled` with `next_dnd_start_ts`/`next_dnd_end_ts`. With `snooze=True` the person
        snoozed notifications instead, which Slack shows only to that person's own token: the bot sees nothing.
        """
        with self._changed:
            if until <= self.now():
                self._dnd.pop(user_id, None)
            else:
                self._dnd[user_id] = _Dnd(self.now() if start is None else start, until, snooze)

    def limit_rate(self, method: str, per_second: float, burst: int | None = None) -> None:
        """A sustained rate limit on `method`: a token bucket holding `burst` calls (default: per_second rounded up),
        refilled continuously; a call finding it empty answers HTTP 429 with Retry-After and is not carried out."""
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        capacity = float(burst if burst is not None else math.ceil(per_second))
        if capacity < 1:
            raise ValueError("burst must be at least 1")
        with self._changed:
            self._buckets[method] = _Bucket(per_second, capacity, capacity, self.now())

    def set_latency(self, seconds: float) -> None:
        """Each call from now on takes `seconds` (see `latency`)."""
        if seconds < 0:
            raise ValueError("latency cannot be negative")
        self.latency = seconds

    def limit_like_slack(self, on: bool = True, team_of: Callable[[str, dict[str, Any]], str] | None = None) -> None:
        """Turn Slack's per-method, per-workspace limits on (or off); see `slack_limits` and `team_of`."""
        with self._changed:
            self.slack_limits = on
            if team_of is not None:
                self.team_of = team_of
            self._slack_buckets.clear()

    def issue_trigger_id(self, user_id: str | None = None) -> str:
        """A trigger_id as Slack puts in a slash command or an interaction by `user_id`: exchangeable once, for
        views.open or views.push, within `trigger_lifetime` (3) seconds of the fake's clock."""
        with self._changed:
            trigger_id = f"{next(self._ts)}.{int(self.now())}.{secrets.token_hex(8)}"
            self._triggers[trigger_id] = _Trigger(user_id, self.now())
            return trigger_id

    def rate_limit_next(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """The next `times` calls to `method` answer HTTP 429 with `Retry-After: retry_after`."""
        with self._changed:
            self._rate_limits.setdefault(method, []).extend([retry_after] * times)

    def fail_next(self, method: str, error: str = "internal_error") -> None:
        """The next call to `method` answers `{"ok": false, "error": error}`."""
        with self._changed:
            self._failures.setdefault(method, []).append(error)

    def break_next(self, method: str, outage: str, times: int = 1, when: Callable[[dict[str, Any]], bool] | None = None) -> None:
        """The next `times` calls to `method` (with arguments `when` accepts, if given) meet an outage: "http_500" answers
        HTTP 500 with an HTML page and does nothing; "reset" carries the call out, then drops the connection without
        answering."""
        assert outage in ("http_500", "reset")
        with self._changed:
            if when is None:
                self._outages.setdefault(method, []).extend([outage] * times)
            else:
                self._outages_when.extend([(method, when, outage)] * times)

    def heal(self, method: str) -> None:
        """Slack answers `method` again: the outages and failures still queued for it are dropped."""
        with self._changed:
            self._outages.pop(method, None)
            self._outages_when = [o for o in self._outages_when if o[0] != method]
            self._failures.pop(method, None)

    def expect_refusals(self, *errors: str) -> None:
        """This test sends what Slack refuses on purpose: do not fail it for that; given errors
        (e.g. "missing_scope"), only for those."""
        with self._changed:
            if errors:
                self._errors_expected.update(errors)
            else:
                self._refusals_expected = True

    def unexpected_refusals(self) -> list[Call]:
        """Calls Slack refused because of what the bot sent, which no test asked for."""
        with self._changed:
            return [
                c
                for c in self._calls
                if c.answer.get("ok") is False
                and not c.provoked
                and (c.crossed or c.answer.get("error") not in ANSWERS_NOT_REFUSALS)
                and c.answer.get("error") not in self._errors_expected
            ]

    def calls(self, method: str | None = None) -> list[Call]:
        with self._changed:
            return list(self._calls if method is None else self._calls_by_method.get(method, ()))

    def calls_carried_out(self, method: str) -> int:
        """How many calls to `method` Slack acted on (not rate limited, refused or broken)."""
        with self._changed:
            return sum(1 for c in self._calls_by_method.get(method, ()) if c.carried_out)

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        with self._changed:
            arrived = self._changed.wait_for(lambda: len(self._calls_by_method.get(method, ())) >= count, timeout)
            calls = list(self._calls_by_method.get(method, ()))
        if not arrived:
            seen = [c.method for c in self.calls()]
            raise AssertionError(f"expected {count} {method} call(s) within {timeout}s, got {len(calls)}; all calls: {seen}")
        return calls

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Messages posted in a conversation, oldest first; a user id means the DM with that user ("D" + user id)."""
        with self._changed:
            return copy.deepcopy(self._messages.get(_conversation_of(channel), []))

    def view(self, view_id: str) -> dict[str, Any]:
        """A view as Slack holds it now (after its latest update): id, hash, generated block_ids and action_ids."""
        with self._changed:
            if view_id not in self._views:
                raise AssertionError(f"no view {view_id!r}; views: {sorted(self._views)}")
            return copy.deepcopy(self._views[view_id])

    def open_views(self, user_id: str) -> list[dict[str, Any]]:
        """The modals opened or pushed for `user_id` (the user the trigger_id was issued for), oldest first, as they are now."""
        with self._changed:
            return [
                copy.deepcopy(v) for i, v in self._views.items() if v["type"] == "modal" and self._view_users.get(i) == user_id
            ]

    def answer_submission(self, view_id: str, answer: Any) -> dict[str, Any] | None:
        """What Slack does with the app's answer to a view_submission: ``update`` replaces the view (same id, new
        hash), ``push`` stacks a new one; a view Slack would refuse fails the test. Returns the view now shown."""
        if not isinstance(answer, dict) or answer.get("response_action") not in ("update", "push"):
            return None
        problems = view_problems(answer.get("view"))
        assert not problems, f"Slack would refuse this response_action view: {problems}"
        with self._changed:
            stored = self._views[view_id]
            if answer["response_action"] == "update":
                full = self._full_view(answer["view"], view_id, root=stored["root_view_id"], previous=stored["previous_view_id"])
            else:
                full = self._full_view(answer["view"], f"V{next(self._ts):08d}", root=stored["root_view_id"], previous=view_id)
            return copy.deepcopy(self._keep(full, self._view_users.get(view_id))["view"])

    def home_of(self, user_id: str) -> dict[str, Any] | None:
        """The Home tab last published for `user_id`, or None."""
        with self._changed:
            view_id = self._homes.get(user_id)
            return copy.deepcopy(self._views[view_id]) if view_id else None

    def reset(self) -> None:
        """Forget the calls received so far (users, tokens, messages, views and pending rate limits/failures stay)."""
        with self._changed:
            self._calls.clear()
            self._calls_by_method.clear()

    def _take_when(self, method: str, args: dict[str, Any]) -> str | None:
        with self._changed:
            found = next((i for i, (m, when, _o) in enumerate(self._outages_when) if m == method and when(args)), None)
            return self._outages_when.pop(found)[2] if found is not None else None

    def _take(self, pending: dict[str, list[Any]], method: str) -> Any:
        with self._changed:
            queued = pending.get(method)
            return queued.pop(0) if queued else None

    # -- answering ------------------------------------------------------------------------------

    def _serving(self, change: int) -> None:
        with self._changed:
            self._in_flight += change
            self.most_at_once = max(self.most_at_once, self._in_flight)

    def _record(self, call: Call) -> None:
        with self._changed:
            self._calls.append(call)
            self._calls_by_method.setdefault(call.method, []).append(call)
            self._changed.notify_all()

    def _throttled(self, method: str, args: dict[str, Any], team: str | None = None) -> int | None:
        """Retry-After seconds if the method's token bucket is empty, or a limit of Slack's is reached, else None (a token
        was taken from each bucket the call counts against)."""
        with self._changed:
            now = self.now()
            bucket = self._buckets.get(method)
            wait = bucket.take(now) if bucket else 0.0
            if wait <= 0 and self.slack_limits:
                wait = self._slack_limit_wait(method, args, now, team)
        return max(1, math.ceil(wait - 1e-9)) if wait > 0 else None

    def _slack_limit_wait(self, method: str, args: dict[str, Any], now: float, team: str | None = None) -> float:
        """0 when the call is within Slack's limits (its tokens taken), else the seconds until it would be: the limits of
        the workspace (or enterprise) the call's token was issued for, unless `team_of` says otherwise."""
        team = self.team_of(method, args) if self.team_of else team or self.team_id
        wanted: list[tuple[tuple[str, ...], float, float]] = []
        if method == "chat.postMessage":
            channel = _conversation_of(str(args.get("channel") or ""))
            wanted.append(((team, method, channel), POST_PER_CHANNEL, POST_CHANNEL_BURST))
            wanted.append(((team, method), POST_PER_TEAM, POST_TEAM_BURST))
        elif method in METHOD_TIERS:
            per_minute = TIER_PER_MINUTE[METHOD_TIERS[method]]
            wanted.append(((team, method), per_minute / 60, per_minute))
        buckets = []
        for key, rate, burst in wanted:
            bucket = self._slack_buckets.get(key)
            if bucket is None:
                bucket = self._slack_buckets[key] = _Bucket(rate, burst, burst, now)
            buckets.append(bucket)
        waits = [b.wait(now) for b in buckets]
        if max(waits, default=0.0) > 0:
            return max(waits)
        for b in buckets:
            b.take(now)
        return 0.0

    def handle(self, method: str, args: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, str], dict[str, Any]]:
        token = _token_in(method, args, headers)
        team = self.installation(token).tenant if token else None
        retry_after = self._take(self._rate_limits, method)
        if retry_after is None:
            retry_after = self._throttled(method, args, team)
        if retry_after is not None:
            self._record(
                Call(method, args, headers, rate_limited=True, answer={"ok": False, "error": "ratelimited"}, provoked=True,
                     token=token, team=team)
            )  # fmt: skip
            return 429, {"Retry-After": str(retry_after)}, {"ok": False, "error": "ratelimited"}
        outage = self._take(self._outages, method) or self._take_when(method, args)
        if outage == "http_500":
            self._record(Call(method, args, headers, outage=outage, provoked=True, token=token, team=team))
            return 500, {"Content-Type": "text/html"}, {"html": "<html><body>Internal Server Error</body></html>"}
        call = Call(method, args, headers, outage=outage, token=token, team=team)
        call.provoked = bool(self._failures.get(method))
        call.answer = self._authorized_answer(method, args, headers, call)
        call.provoked = (
            call.provoked or _provoked_by_the_test(args, call.answer) or self._kept_from_the_bot(method, args, call.answer)
        )
        self._record(call)
        if outage == "reset":
            return RESET, {}, {}
        return 200, {}, call.answer

    def _authorized_answer(self, method: str, args: dict[str, Any], headers: dict[str, str], call: Call) -> dict[str, Any]:
        scopes: frozenset[str] = frozenset()
        installation: Installation | None = None
        if method == "oauth.v2.access":
            return self._oauth_access(args, headers)
        if method not in ("response_url", "upload"):
            token = call.token
            if not token:
                return {"ok": False, "error": "not_authed"}
            if token not in self.valid_tokens:
                return {"ok": False, "error": "invalid_auth"}
            installation = self.installation(token)
            if installation.revoked:
                return {"ok": False, "error": "token_revoked"}
            if installation.expires_at is not None and self.now() >= installation.expires_at:
                return {"ok": False, "error": "token_expired"}
            with self._changed:
                crossing = self._crossing(method, args, installation) if method in METHOD_SCOPES else None
            if crossing is not None:
                call.crossed = True
                return {"ok": False, "error": crossing}
            scopes = self.scopes_of(token)
            refusal = self._permission_refusal(method, args, token, scopes)
            if refusal is not None:
                return refusal
        failure = self._take(self._failures, method)
        if failure is not None:
            return {"ok": False, "error": failure}
        with self._changed:  # one call at a time changes Slack's state, as if Slack were one machine
            self._caller = installation
            try:
                return self._answer(method, args, scopes)
            finally:
                self._caller = None

    def _kept_from_the_bot(self, method: str, args: dict[str, Any], answer: dict[str, Any]) -> bool:
        """A refusal the test set up: it registered (or hid) a conversation the bot is not in, and the bot met it."""
        if answer.get("error") not in ("channel_not_found", "not_in_channel"):
            return False
        channel = self._channel_arg(method, args)
        with self._changed:
            conversation = self._conversation(channel) if channel else None
        return conversation is not None and conversation.registered and not conversation.bot_member

    def _permission_refusal(self, method: str, args: dict[str, Any], token: str, scopes: frozenset[str]) -> dict[str, Any] | None:
        """What Slack answers before acting when the token may not make this call: the wrong kind of token, a
        conversation the bot cannot see, or a scope it lacks (for the Conversations API, that of the conversation's type)."""
        if method not in METHOD_SCOPES:
            return None  # answered unknown_method
        if (method in APP_TOKEN_METHODS) != token.startswith("xapp-"):
            return {"ok": False, "error": "not_allowed_token_type"}
        with self._changed:
            if method == "conversations.open":
                kind: str | None = self._kind_to_open(args)
            else:
                channel = self._channel_arg(method, args)
                conversation = self._conversation(channel) if channel else None
                if conversation is not None and not conversation.visible:
                    return {"ok": False, "error": "channel_not_found"}
                kind = conversation.kind if conversation else None
        needed = needed_scope(method, kind)
        if needed is not None and needed not in scopes:
            return {"ok": False, "error": "missing_scope", "needed": needed, "provided": ",".join(sorted(scopes))}
        return None

    def _answer(self, method: str, args: dict[str, Any], scopes: frozenset[str]) -> dict[str, Any]:
        if method in ("chat.postMessage", "chat.postEphemeral", "chat.update", "chat.delete") and not args.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        if self._channel_arg(method, args):
            refusal = self._membership_refusal(method, args, scopes)
            if refusal is not None:
                return refusal
        if method == "chat.postEphemeral" and not args.get("user"):
            return {
                "ok": False,
                "error": "invalid_arguments",
                "response_metadata": {"messages": ["[ERROR] missing required field: user"]},
            }
        if method in MESSAGE_METHODS:
            refusal = message_refusal(args)
            if refusal:
                return {"ok": False, **refusal}
        if method == "auth.test":
            return self._auth_test()
        if method == "auth.teams.list":
            reach = sorted(t for t in self._reach(self._caller_or_default()) if t in self._teams)
            page = _page(reach, args, default_limit=100)
            if "error" in page:
                return {"ok": False, **page}
            teams = [{"id": t, "name": self._teams[t].name} for t in page["items"]]
            return {"ok": True, "teams": teams, "response_metadata": {"next_cursor": page["next_cursor"]}}
        if method == "chat.postMessage":
            return self._post_message(args)
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "chat.update":
            return self._update_message(args)
        if method == "chat.delete":
            return self._delete_message(args)
        if method == "conversations.history":
            return self._history(args)
        if method == "conversations.replies":
            return self._replies(args)
        if method == "conversations.info":
            return self._conversation_info(args)
        if method == "conversations.members":
            return self._members(args)
        if method == "views.open":
            return self._open_view(args, push=False)
        if method == "views.push":
            return self._open_view(args, push=True)
        if method == "views.update":
            return self._update_view(args)
        if method == "views.publish":
            return self._publish_view(args)
        if method == "users.lookupByEmail":
            email = str(args.get("email", "")).lower()
            user = next((u for u in self._users.values() if u.email.lower() == email and self._reachable(u)), None)
            return {"ok": True, "user": self._user_json(user)} if user else {"ok": False, "error": "users_not_found"}
        if method == "users.info":
            user = self._users.get(str(args.get("user", "")))
            return {"ok": True, "user": self._user_json(user)} if user else {"ok": False, "error": "user_not_found"}
        if method == "users.list":
            return self._list_users(args)
        if method == "dnd.info":
            return self._dnd_info(args)
        if method == "dnd.teamInfo":
            return self._dnd_team_info(args)
        if method == "chat.getPermalink":
            return self._permalink(args)
        if method == "apps.connections.open" and self.socket_mode_url:
            return {"ok": True, "url": self.socket_mode_url}
        if method == "conversations.open":
            return self._open_conversation(args)
        if method == "response_url":
            return {"ok": True}
        if method == "files.getUploadURLExternal":
            return self._upload_url(args)
        if method == "upload":
            return self._receive_upload(args)
        if method == "files.completeUploadExternal":
            return self._complete_upload(args)
        if method == "files.delete":
            return self._delete_file(args)
        return {"ok": False, "error": "unknown_method"}

    def _auth_test(self) -> dict[str, Any]:
        """Who the calling token is: its workspace (for an org-wide install, its enterprise) and its bot."""
        caller = self._caller_or_default()
        team = self._teams.get(caller.team_id or "")
        answer: dict[str, Any] = {
            "ok": True,
            "url": f"https://{(caller.tenant or 'test').lower()}.slack.com/",
            "team": team.name if team else self._enterprises.get(caller.tenant, caller.tenant),
            "user": "ladder",
            "team_id": caller.tenant,
            "user_id": caller.bot_user_id,
            "bot_id": caller.bot_id,
            "is_enterprise_install": caller.is_enterprise_install,
        }
        if caller.enterprise_id:
            answer["enterprise_id"] = caller.enterprise_id
        return answer

    def _here(self) -> str:
        """The calling token's workspace (its enterprise for an org-wide install)."""
        return self._caller_or_default().tenant

    # -- conversations ----------------------------------------------------------------------------

    def _conversation(self, channel: str) -> _Conversation:
        """The conversation `channel` names as Slack sees it: one a test registered or the bot opened, a direct message
        (a user id means the DM with them), a hidden channel, else a public channel the bot is in."""
        conversation_id = _conversation_of(channel)
        found = self._conversations.get(conversation_id)
        if found is not None:
            return found
        if channel in self.hidden_channels:
            kind = IM if conversation_id[:1] == "D" else PRIVATE
            return _Conversation(channel, channel.lower(), kind, [], bot_member=False, registered=True)
        if conversation_id[:1] == "D":
            user = _user_of(conversation_id)
            return _Conversation(conversation_id, "", IM, [user] if user else [], bot_member=True)
        return _Conversation(channel, channel.lower(), PUBLIC, [], bot_member=True)

    @staticmethod
    def _channel_arg(method: str, args: dict[str, Any]) -> str:
        if method not in CHANNEL_METHODS:
            return ""
        if method == "files.completeUploadExternal":
            return str(args.get("channel_id") or str(args.get("channels") or "").split(",")[0]).strip()
        return str(args.get("channel") or "")

    def _kind_to_open(self, args: dict[str, Any]) -> str | None:
        """conversations.open resumes the conversation in `channel`, or opens a DM with one user, a group DM with several."""
        if args.get("channel"):
            return self._conversation(str(args["channel"])).kind
        users = [u for u in str(args.get("users") or "").split(",") if u.strip()]
        return None if not users else IM if len(users) == 1 else MPIM

    def _membership_refusal(self, method: str, args: dict[str, Any], scopes: frozenset[str]) -> dict[str, Any] | None:
        """A public channel the bot is not in can be looked at, not posted or read in (chat:write.public lets
        chat.postMessage post there); an archived one takes no messages; an ephemeral goes to a member only."""
        conversation = self._conversation(self._channel_arg(method, args))
        if not conversation.bot_member and method not in READABLE_WHERE_NOT_A_MEMBER:
            if not (method == "chat.postMessage" and POST_WHERE_NOT_A_MEMBER in scopes):
                return {"ok": False, "error": "not_in_channel"}
        if conversation.archived and method in ("chat.postMessage", "chat.postEphemeral", "files.completeUploadExternal"):
            return {"ok": False, "error": "is_archived"}
        if method == "chat.postEphemeral" and conversation.members and str(args.get("user")) not in conversation.members:
            return {"ok": False, "error": "user_not_in_channel"}
        return None

    def _conversation_info(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel") or "")
        if not channel or channel[:1] in "UW":  # a user id is not a conversation
            return {"ok": False, "error": "channel_not_found"}
        found = self._conversation(channel)
        shown: dict[str, Any] = {
            "id": found.id,
            "is_channel": found.kind == PUBLIC or found.kind == PRIVATE and not found.id.startswith("G"),
            "is_group": found.kind == PRIVATE and found.id.startswith("G"),  # a private channel from before March 2021
            "is_im": found.kind == IM,
            "is_mpim": found.kind == MPIM,
            "is_private": found.kind != PUBLIC,
            "is_archived": found.archived,
            "is_member": found.bot_member,
            "created": 1_600_000_000,
            "context_team_id": found.team or self._here(),
        }
        if found.kind == IM:
            shown["user"] = found.members[0] if found.members else ""
        else:
            shown["name"] = shown["name_normalized"] = found.name
        return {"ok": True, "channel": shown}

    def _members(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel") or "")
        if not channel or channel[:1] in "UW":
            return {"ok": False, "error": "channel_not_found"}
        found = self._conversation(channel)
        bot_user = self._caller_or_default().bot_user_id
        members = found.members + ([bot_user] if found.bot_member and bot_user not in found.members else [])
        page = _page(members, args, default_limit=100)
        if "error" in page:
            return {"ok": False, **page}
        return {"ok": True, "members": page["items"], "response_metadata": {"next_cursor": page["next_cursor"]}}

    # -- files (files_upload_v2: an upload URL, the bytes, then sharing) --------------------------

    def _upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("filename") or not str(args.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = "F" + self._new_id(set(self.files)).upper()
        self.files[file_id] = {
            "name": args["filename"], "length": int(args["length"]), "content": None, "shared_in": [],
            "alt_txt": args.get("alt_txt") or "",
        }  # fmt: skip
        base = self.url.removesuffix("/api/")
        return {"ok": True, "upload_url": f"{base}/upload/{file_id}", "file_id": file_id}

    def _receive_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        found = self.files.get(str(args.get("file_id")))
        if found is None:
            return {"ok": False, "error": "file_not_found"}
        found["content"] = args.get("_raw", "")
        return {"ok": True}

    def _complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        files = args.get("files")
        if isinstance(files, str):
            files = json.loads(files)
        if not isinstance(files, list) or not files:
            return {"ok": False, "error": "invalid_arguments"}
        channel = str(args.get("channel_id") or args.get("channels") or "")
        shared = []
        for item in files:
            found = self.files.get(str(item.get("id")))
            if found is None or found["content"] is None:
                return {"ok": False, "error": "file_not_found"}
            found["title"] = item.get("title") or found["name"]
            shared.append({"id": item["id"], "name": found["name"], "title": found["title"]})
        if channel:
            if self._disabled(channel):
                return {"ok": False, "error": "user_disabled"}
            conversation = _conversation_of(channel)
            message: dict[str, Any] = {
                "type": "message", "user": self._caller_or_default().bot_user_id, "bot_id": self._caller_or_default().bot_id,
                "ts": self._next_ts(), "files": shared,
                "text": args.get("initial_comment", ""),
            }  # fmt: skip
            if args.get("thread_ts"):
                message["thread_ts"] = str(args["thread_ts"])
            self._messages.setdefault(conversation, []).append(message)
            for item in shared:
                self.files[item["id"]]["shared_in"].append(conversation)
        return {"ok": True, "files": shared}

    def files_in(self, channel: str) -> list[dict[str, Any]]:
        """Files shared in a conversation (a user id means Ladder's direct conversation with them)."""
        conversation = _conversation_of(channel)
        with self._changed:
            return [dict(f, id=i) for i, f in self.files.items() if conversation in f["shared_in"]]

    def _delete_file(self, args: dict[str, Any]) -> dict[str, Any]:
        """A file the bot uploaded is gone, and from the messages that shared it (one left empty goes too)."""
        file_id = str(args.get("file") or "")
        found = self.files.pop(file_id, None)
        if found is None:
            return {"ok": False, "error": "file_not_found"}
        for conversation in found["shared_in"]:
            kept = []
            for message in self._messages.get(conversation, []):
                if any(f["id"] == file_id for f in message.get("files", [])):
                    message["files"] = [f for f in message["files"] if f["id"] != file_id]
                    if not message["files"] and not message.get("text"):
                        continue
                kept.append(message)
            self._messages[conversation] = kept
        return {"ok": True}

    # -- messages ---------------------------------------------------------------------------------

    def _next_ts(self) -> str:
        """A message ts: the fake's clock in seconds, then a sequence number, so later messages sort later."""
        self._last_second = max(self._last_second, int(self.now()))
        return f"{self._last_second}.{next(self._ts):06d}"

    def _disabled(self, channel: str) -> bool:
        user = self._users.get(_user_of(channel) or "")
        return bool(user and user.deleted)

    def _post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args["channel"])
        if self._disabled(channel):
            return {"ok": False, "error": "user_disabled"}
        metadata = _metadata(args.get("metadata"))
        if metadata is False:
            return {"ok": False, "error": "invalid_metadata_format"}
        conversation = _conversation_of(channel)
        ts = self._next_ts()
        caller = self._caller_or_default()
        message: dict[str, Any] = {
            "type": "message",
            "user": caller.bot_user_id,
            "bot_id": caller.bot_id,
            "app_id": APP_ID,
            "team": caller.tenant,
            "text": args.get("text", ""),
            "ts": ts,
            "blocks": self._with_ids(args.get("blocks") or []),
        }
        if args.get("thread_ts"):
            message["thread_ts"] = str(args["thread_ts"])
        if metadata:
            message["metadata"] = metadata
        self._messages.setdefault(conversation, []).append(message)
        return {"ok": True, "channel": conversation, "ts": ts, "message": copy.deepcopy(message)}

    def _update_message(self, args: dict[str, Any]) -> dict[str, Any]:
        conversation = _conversation_of(str(args["channel"]))
        metadata = _metadata(args.get("metadata"))
        if metadata is False:
            return {"ok": False, "error": "invalid_metadata_format"}
        stored = next((m for m in self._messages.get(conversation, []) if m["ts"] == args.get("ts")), None)
        if stored is not None:  # a message the fake did not post (a test's own ts) is updated blindly, as before
            stored["text"] = args.get("text", "")
            stored["blocks"] = self._with_ids(args.get("blocks") or [])
            stored["edited"] = {"user": self._caller_or_default().bot_user_id, "ts": self._next_ts()}
            if metadata:
                stored["metadata"] = metadata
        return {
            "ok": True,
            "channel": conversation,
            "ts": args.get("ts"),
            "text": args.get("text", ""),
            "message": {
                "type": "message",
                "user": self._caller_or_default().bot_user_id,
                "bot_id": self._caller_or_default().bot_id,
                "text": args.get("text", ""),
                "blocks": stored["blocks"] if stored else args.get("blocks", []),
            },
        }

    def _delete_message(self, args: dict[str, Any]) -> dict[str, Any]:
        conversation = _conversation_of(str(args["channel"]))
        messages = self._messages.get(conversation, [])
        found = next((m for m in messages if m["ts"] == str(args.get("ts") or "")), None)
        if found is None:
            return {"ok": False, "error": "message_not_found"}
        messages.remove(found)
        return {"ok": True, "channel": conversation, "ts": found["ts"]}

    def _history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel") or "")
        if not channel or channel[0] in "UW":  # a user id is not a conversation: the DM's id comes from the post
            return {"ok": False, "error": "channel_not_found"}
        try:
            oldest = float(args.get("oldest") or 0)
        except ValueError:
            return {"ok": False, "error": "invalid_ts_oldest"}
        try:
            latest = float(args.get("latest") or math.inf)  # Slack's default is now: every message posted so far
        except ValueError:
            return {"ok": False, "error": "invalid_ts_latest"}
        inclusive = _truthy(args.get("inclusive"))
        cursor = str(args.get("cursor") or "")
        before = float(cursor.removeprefix("next_ts:")) if cursor.startswith("next_ts:") else math.inf
        limit = min(max(int(args.get("limit") or 100), 1), 999)
        found = []
        for message in reversed(self._messages.get(channel, [])):
            ts = float(message["ts"])
            if message.get("thread_ts", message["ts"]) != message["ts"]:
                continue  # a thread reply lives in conversations.replies, not in the channel's history
            if ts >= before or ts < oldest or ts > latest or not inclusive and ts in (oldest, latest):
                continue
            found.append(message)
        page = found[:limit]
        shown = [
            m if _truthy(args.get("include_all_metadata")) else {k: v for k, v in m.items() if k != "metadata"} for m in page
        ]
        has_more = len(found) > limit
        return {
            "ok": True,
            "messages": copy.deepcopy(shown),
            "has_more": has_more,
            "pin_count": 0,
            "channel_actions_ts": None,
            "channel_actions_count": 0,
            "response_metadata": {"next_cursor": f"next_ts:{page[-1]['ts']}" if has_more else ""},
        }

    def _replies(self, args: dict[str, Any]) -> dict[str, Any]:
        """A thread: its parent then its replies, oldest first (`ts` names the parent), paged with a cursor as Slack does."""
        channel, parent = str(args.get("channel") or ""), str(args.get("ts") or "")
        if not channel or channel[0] in "UW":
            return {"ok": False, "error": "channel_not_found"}
        if not parent:
            return {
                "ok": False,
                "error": "invalid_arguments",
                "response_metadata": {"messages": ["[ERROR] missing required field: ts"]},
            }
        thread = [m for m in self._messages.get(channel, []) if m["ts"] == parent or m.get("thread_ts") == parent]
        if not any(m["ts"] == parent for m in thread):
            return {"ok": False, "error": "thread_not_found"}
        cursor = str(args.get("cursor") or "")
        after = float(cursor.removeprefix("next_ts:")) if cursor.startswith("next_ts:") else -math.inf
        limit = min(max(int(args.get("limit") or 100), 1), 999)
        found = [m for m in thread if float(m["ts"]) > after]
        page = found[:limit]
        shown = [
            m if _truthy(args.get("include_all_metadata")) else {k: v for k, v in m.items() if k != "metadata"} for m in page
        ]
        has_more = len(found) > limit
        return {
            "ok": True, "messages": copy.deepcopy(shown), "has_more": has_more,
            "response_metadata": {"next_cursor": f"next_ts:{page[-1]['ts']}" if has_more else ""},
        }  # fmt: skip

    def _open_conversation(self, args: dict[str, Any]) -> dict[str, Any]:
        users = [u.strip() for u in str(args.get("users") or "X").split(",") if u.strip()]
        if any(self._disabled(u) for u in users):
            return {"ok": False, "error": "user_disabled"}
        if len(users) == 1:
            return {"ok": True, "channel": {"id": f"D{users[0]}"}}
        group_id = "G" + "".join(sorted(users))[:20]
        name = "mpdm-" + "--".join(sorted(users)).lower() + "-1"
        self._conversations.setdefault(
            group_id, _Conversation(group_id, name, MPIM, sorted(users), True, registered=True, team=self._here())
        )
        return {"ok": True, "channel": {"id": group_id}}

    # -- users ----------------------------------------------------------------------------------

    def _user_json(self, user: _User) -> dict[str, Any]:
        home = user.teams[0] if user.teams else self.team_id
        local = datetime.fromtimestamp(self.now(), ZoneInfo(user.tz))
        offset = local.utcoffset()
        display = user.display_name or user.real_name
        first, _, last = user.real_name.partition(" ")
        return {
            "id": user.id,
            "team_id": home,
            "name": user.email.split("@")[0],
            "deleted": user.deleted,
            "color": "9f69e7",
            "real_name": user.real_name,
            "tz": user.tz,
            "tz_label": _tz_label(user.tz, local),
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "profile": {
                "title": user.title,
                "phone": "",
                "skype": "",
                "real_name": user.real_name,
                "real_name_normalized": user.real_name,
                "display_name": display,
                "display_name_normalized": display,
                "first_name": first,
                "last_name": last,
                "status_text": "",
                "status_emoji": "",
                "status_expiration": 0,
                "avatar_hash": "g0000000000",
                "email": user.email,
                "team": home,
            },
            "is_admin": user.is_admin,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": user.is_bot,
            "is_app_user": False,
            "updated": int(self.now()),
            "is_email_confirmed": True,
            "who_can_share_contact_card": "EVERYONE",
            **self._enterprise_user(user, home),
        }

    def _enterprise_user(self, user: _User, home: str) -> dict[str, Any]:
        """An Enterprise Grid user's `enterprise_user` (their organisation and workspaces), nothing for anyone else."""
        enterprise = self._teams[home].enterprise_id if home in self._teams else None
        if enterprise is None:
            return {}
        shown = {"id": user.id, "enterprise_id": enterprise, "enterprise_name": self._enterprises.get(enterprise, enterprise)}
        return {"enterprise_user": {**shown, "is_admin": user.is_admin, "is_owner": False, "teams": list(user.teams)}}

    def _reachable(self, user: _User) -> bool:
        return bool(set(user.teams) & self._reach(self._caller_or_default()))

    def _list_users(self, args: dict[str, Any]) -> dict[str, Any]:
        """Everyone in the workspace, deactivated accounts too (deleted: true), a page at a time."""
        page = _page(sorted(u.id for u in self._users.values() if self._reachable(u)), args, default_limit=0)
        if "error" in page:
            return {"ok": False, **page}
        members = [self._user_json(self._users[u]) for u in page["items"]]
        metadata = {"next_cursor": page["next_cursor"]}
        return {"ok": True, "members": members, "cache_ts": int(self.now()), "response_metadata": metadata}

    def _permalink(self, args: dict[str, Any]) -> dict[str, Any]:
        """As Slack answers: a link for a message in a conversation the bot can see; channel_not_found for others."""
        channel, ts = str(args.get("channel") or ""), str(args.get("message_ts") or "")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if not ts:
            return {
                "ok": False,
                "error": "invalid_arguments",
                "response_metadata": {"messages": ["[ERROR] missing required field: message_ts"]},
            }
        return {
            "ok": True,
            "channel": channel,
            "permalink": f"https://testteam.slack.com/archives/{channel}/p{ts.replace('.', '')}",
        }

    def _dnd_team_info(self, args: dict[str, Any]) -> dict[str, Any]:
        """dnd.teamInfo: each listed person's DND schedule (``users``: comma-separated), as dnd.info shows it to the bot."""
        users = [u.strip() for u in str(args.get("users") or "").split(",") if u.strip()]
        answers = {u: self._dnd_info({"user": u}) for u in users}
        return {"ok": True, "users": {u: {k: v for k, v in a.items() if k != "ok"} for u, a in answers.items() if a.get("ok")}}

    def _dnd_info(self, args: dict[str, Any]) -> dict[str, Any]:
        """As Slack answers: the DND schedule to anyone; snooze_* only to the user's own token (the bot's is U0BOT's)."""
        bot_user = self._caller_or_default().bot_user_id
        user_id = str(args.get("user") or bot_user)
        if user_id != bot_user and user_id not in self._users:
            return {"ok": False, "error": "user_not_found"}
        dnd = self._dnd.get(user_id)
        now = self.now()
        if dnd is not None and dnd.end <= now:
            del self._dnd[user_id]
            dnd = None
        if dnd is not None and not dnd.snooze:
            answer: dict[str, Any] = {
                "ok": True,
                "dnd_enabled": True,
                "next_dnd_start_ts": int(dnd.start),
                "next_dnd_end_ts": int(dnd.end),
            }
        else:
            answer = {"ok": True, "dnd_enabled": False, "next_dnd_start_ts": 1, "next_dnd_end_ts": 1}
        if user_id == bot_user:
            snoozed = dnd is not None and dnd.snooze
            answer["snooze_enabled"] = snoozed
            if snoozed:
                answer.update(snooze_endtime=int(dnd.end), snooze_remaining=int(dnd.end - now), snooze_is_indefinite=False)
        return answer

    # -- views ----------------------------------------------------------------------------------

    def _new_id(self, taken: set[str]) -> str:
        while True:
            candidate = "".join(self._random.choices(string.ascii_letters + string.digits, k=5))
            if candidate not in taken:
                return candidate

    def _with_ids(self, blocks: Any) -> Any:
        """The blocks as Slack keeps them: a generated block_id on each block and action_id on each element lacking one."""
        if not isinstance(blocks, list):
            return blocks
        blocks = copy.deepcopy(blocks)
        taken = {b["block_id"] for b in blocks if isinstance(b, dict) and isinstance(b.get("block_id"), str)}
        for block in blocks:
            if not isinstance(block, dict):
                continue
            if "block_id" not in block:
                block["block_id"] = self._new_id(taken)
                taken.add(block["block_id"])
            elements = [block.get("element"), block.get("accessory")] + (
                block.get("elements", []) if block.get("type") == "actions" else []
            )
            actions = {e["action_id"] for e in elements if isinstance(e, dict) and isinstance(e.get("action_id"), str)}
            for element in elements:
                if isinstance(element, dict) and element.get("type") in INTERACTIVE and "action_id" not in element:
                    element["action_id"] = self._new_id(actions)
                    actions.add(element["action_id"])
        return blocks

    def _hash(self) -> str:
        return f"{int(self.now())}.{secrets.token_hex(6)}"

    def _full_view(
        self, view: dict[str, Any], view_id: str, root: str | None = None, previous: str | None = None
    ) -> dict[str, Any]:
        """The view object Slack answers and sends back in interactions."""
        caller = self._caller_or_default()
        return {
            "id": view_id,
            "team_id": caller.tenant,
            "type": view["type"],
            "blocks": self._with_ids(view.get("blocks", [])),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": self._hash(),
            "title": copy.deepcopy(view.get("title")),
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "close": copy.deepcopy(view.get("close")),
            "submit": copy.deepcopy(view.get("submit")),
            "submit_disabled": bool(view.get("submit_disabled", False)),
            "previous_view_id": previous,
            "root_view_id": root or view_id,
            "app_id": APP_ID,
            "external_id": view.get("external_id", ""),
            "app_installed_team_id": caller.tenant,
            "bot_id": caller.bot_id,
        }

    def _keep(self, full: dict[str, Any], user_id: str | None) -> dict[str, Any]:
        old = self._views.get(full["id"])
        if old and old.get("external_id"):
            self._external_ids.pop(old["external_id"], None)
        self._views[full["id"]] = full
        self._view_users[full["id"]] = user_id
        self._view_teams[full["id"]] = full["app_installed_team_id"]
        if full["external_id"]:
            self._external_ids[full["external_id"]] = full["id"]
        return {"ok": True, "view": copy.deepcopy(full)}

    def _view_refusal(self, view: Any, kind: str, view_id: str | None = None) -> dict[str, Any] | None:
        problems = view_problems(view)
        if not problems and view.get("type") != kind:
            problems = [f"this method takes a view of type {kind!r}, not {view.get('type')!r} [json-pointer:/view/type]"]
        if problems:
            return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": problems}}
        external_id = view.get("external_id")
        if external_id and self._external_ids.get(external_id, view_id) != view_id:
            return {"ok": False, "error": "duplicate_external_id"}
        return None

    def _open_view(self, args: dict[str, Any], push: bool) -> dict[str, Any]:
        trigger_id = str(args.get("trigger_id") or args.get("interactivity_pointer") or "")
        if not trigger_id:
            return {
                "ok": False,
                "error": "invalid_arguments",
                "response_metadata": {"messages": ["[ERROR] missing required field: trigger_id"]},
            }
        trigger = self._triggers.get(trigger_id)
        if trigger is None or trigger_id.startswith("expired") or self.now() - trigger.issued > self.trigger_lifetime:
            return {"ok": False, "error": "expired_trigger_id"}
        if trigger.exchanged:
            return {"ok": False, "error": "exchanged_trigger_id"}
        refusal = self._view_refusal(args.get("view"), "modal")
        if refusal:
            return refusal
        trigger.exchanged = True
        view_id = f"V{next(self._ts):08d}"
        previous = None
        if push:  # pushed onto the stack of the modal the person has open: the last one opened for them
            previous = next(
                (
                    i
                    for i in reversed(self._views)
                    if self._view_users.get(i) == trigger.user_id and self._views[i]["type"] == "modal"
                ),
                None,
            )
        root = self._views[previous]["root_view_id"] if previous else view_id
        return self._keep(self._full_view(args["view"], view_id, root=root, previous=previous), trigger.user_id)

    def _update_view(self, args: dict[str, Any]) -> dict[str, Any]:
        view_id, external_id = args.get("view_id"), args.get("external_id")
        if not view_id and not external_id:
            return {
                "ok": False,
                "error": "invalid_arguments",
                "response_metadata": {"messages": ["[ERROR] view_id or external_id is required"]},
            }
        view_id = view_id or self._external_ids.get(str(external_id))
        stored = self._views.get(str(view_id))
        if stored is None:
            return {"ok": False, "error": "not_found"}
        if args.get("hash") and args["hash"] != stored["hash"]:
            return {"ok": False, "error": "hash_conflict"}
        refusal = self._view_refusal(args.get("view"), stored["type"], stored["id"])
        if refusal:
            return refusal
        full = self._full_view(args["view"], stored["id"], root=stored["root_view_id"], previous=stored["previous_view_id"])
        return self._keep(full, self._view_users.get(stored["id"]))

    def _publish_view(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = str(args.get("user_id") or "")
        if not user_id:
            return {
                "ok": False,
                "error": "invalid_arguments",
                "response_metadata": {"messages": ["[ERROR] missing required field: user_id"]},
            }
        current = self._views.get(self._homes.get(user_id, ""))
        if current and args.get("hash") and args["hash"] != current["hash"]:
            return {"ok": False, "error": "hash_conflict"}
        refusal = self._view_refusal(args.get("view"), "home", current["id"] if current else None)
        if refusal:
            return refusal
        view_id = current["id"] if current else f"V{next(self._ts):08d}"
        self._homes[user_id] = view_id
        return self._keep(self._full_view(args["view"], view_id), user_id)


def _token_in(method: str, args: dict[str, Any], headers: dict[str, str]) -> str:
    """The token a Web API call was made with ("" for a response_url, an upload or an OAuth exchange)."""
    if method in ("response_url", "upload", "oauth.v2.access"):
        return ""
    return headers.get("Authorization", "").removeprefix("Bearer ").strip() or str(args.get("token", ""))


def _user_of(channel: str) -> str | None:
    """The user a DM is with: a user id itself, or "D" + user id."""
    if channel[:1] in ("U", "W"):
        return channel
    if channel[:2] in ("DU", "DW"):
        return channel[1:]
    return None


def _conversation_of(channel: str) -> str:
    """Where a post to `channel` lands: a user id means that user's DM, "D" + user id."""
    return f"D{channel}" if channel[:1] in ("U", "W") else channel


def _truthy(value: Any) -> bool:
    return value in (True, 1, "1", "true", "True")


MAX_PAGE = 1000
"""Cursor-paginated methods return at most this many items a call ("specify a limit value under 1000")."""


def _page(items: list[str], args: dict[str, Any], default_limit: int) -> dict[str, Any]:
    """Slack's cursor pagination: `limit` items (0 or absent: `default_limit`, where 0 means as many as allowed) from
    where `cursor` points; {"items", "next_cursor"} ("" on the last page), or {"error"} for a bad limit or cursor."""
    try:
        limit = int(args.get("limit") or default_limit)
    except (TypeError, ValueError):
        return {"error": "invalid_limit"}
    if limit < 0:
        return {"error": "invalid_limit"}
    limit = min(limit or MAX_PAGE, MAX_PAGE)
    cursor = str(args.get("cursor") or "")
    start = 0
    if cursor:
        try:
            decoded = base64.b64decode(cursor, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return {"error": "invalid_cursor"}
        kind, _, offset = decoded.partition(":")
        if kind != "offset" or not offset.isdigit():
            return {"error": "invalid_cursor"}
        start = int(offset)
    end = start + limit
    next_cursor = base64.b64encode(f"offset:{end}".encode()).decode() if end < len(items) else ""
    return {"items": items[start:end], "next_cursor": next_cursor}


def _metadata(value: Any) -> dict[str, Any] | None | bool:
    """Message metadata as Slack keeps it; None if there is none; False if Slack refuses it as malformed."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return False
    if not isinstance(value, dict) or not isinstance(value.get("event_type"), str) or not value["event_type"]:
        return False
    if not isinstance(value.get("event_payload"), dict):
        return False
    return {"event_type": value["event_type"], "event_payload": copy.deepcopy(value["event_payload"])}


def _provoked_by_the_test(args: dict[str, Any], answer: dict[str, Any]) -> bool:
    """Refusals the test set up: a disabled user, a trigger_id the test made stale on purpose."""
    error = answer.get("error")
    return error in PROVOKED_ERRORS or error == "expired_trigger_id" and str(args.get("trigger_id", "")).startswith("expired")


_TZ_NAMES = {
    "GMT": "Greenwich Mean Time", "BST": "British Summer Time", "UTC": "Coordinated Universal Time",
    "WET": "Western European Time", "WEST": "Western European Summer Time", "CET": "Central European Time",
    "CEST": "Central European Summer Time", "EET": "Eastern European Time", "EEST": "Eastern European Summer Time",
    "EST": "Eastern Standard Time", "EDT": "Eastern Daylight Time", "CST": "Central Standard Time",
    "CDT": "Central Daylight Time", "MST": "Mountain Standard Time", "MDT": "Mountain Daylight Time",
    "PST": "Pacific Standard Time", "PDT": "Pacific Daylight Time", "AKST": "Alaska Standard Time",
    "AKDT": "Alaska Daylight Time", "HST": "Hawaii-Aleutian Standard Time", "JST": "Japan Standard Time",
    "KST": "Korea Standard Time", "AEST": "Australian Eastern Standard Time", "AEDT": "Australian Eastern Daylight Time",
    "NZST": "New Zealand Standard Time", "NZDT": "New Zealand Daylight Time", "SAST": "South Africa Standard Time",
}  # fmt: skip
_IST = {"Asia/Kolkata": "India Standard Time", "Asia/Calcutta": "India Standard Time", "Europe/Dublin": "Irish Standard Time",
        "Asia/Jerusalem": "Israel Standard Time", "Asia/Tel_Aviv": "Israel Standard Time"}  # fmt: skip


def _tz_label(tz: str, local: datetime) -> str:
    """Slack's tz_label: the zone's long name at that moment ("British Summer Time"), else its UTC offset."""
    abbreviation = local.tzname() or ""
    if abbreviation == "IST" and tz in _IST:
        return _IST[tz]
    if abbreviation in _TZ_NAMES:
        return _TZ_NAMES[abbreviation]
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


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
    blocks = view.get("blocks", [])
    problems = block_problems(blocks, max_blocks=100)
    if view.get("type") == "modal":
        problems += [
            f"title: {p} [json-pointer:/view/title]" for p in _text_object_problems(view.get("title"), 24, plain_only=True)
        ]
        for key in ("submit", "close"):
            if view.get(key) is not None:
                problems += [
                    f"{key}: {p} [json-pointer:/view/{key}]" for p in _text_object_problems(view[key], 24, plain_only=True)
                ]
        if view.get("submit") is None and any(isinstance(b, dict) and b.get("type") == "input" for b in _list(blocks)):
            problems.append("a modal with input blocks needs a submit button [json-pointer:/view/submit]")
    elif view.get("type") != "home":
        problems.append("view type must be modal or home [json-pointer:/view/type]")
    for key, limit in (("callback_id", 255), ("private_metadata", 3000), ("external_id", 255)):
        if key in view and (not isinstance(view[key], str) or len(view[key]) > limit):
            problems.append(f"{key} must be a string of at most {limit} characters [json-pointer:/view/{key}]")
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
        accessory = block.get("accessory")
        if accessory is not None and _dict(accessory).get("type") != "image":
            problems += [f"accessory: {p}" for p in _interactive_problems(accessory)]
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
        action_ids: set[str] = set()
        for element in _list(elements):
            problems += _interactive_problems(element)
            action_id = _dict(element).get("action_id")
            if (
                isinstance(action_id, str) and action_id in action_ids
            ):  # "unique among all other action_ids in the containing block"
                problems.append(f"duplicate action_id {action_id!r}")
            if isinstance(action_id, str):
                action_ids.add(action_id)
        return problems
    if kind == "image":
        problems = (
            []
            if isinstance(block.get("image_url"), str) and block["image_url"] or "slack_file" in block
            else ["image needs image_url"]
        )
        alt = block.get("alt_text")
        return problems + ([] if isinstance(alt, str) and 0 < len(alt) <= 2000 else ["image needs alt_text of 1-2000 characters"])
    if kind == "input":
        label_ok = not _text_object_problems(block.get("label"), 2000, plain_only=True)
        problems = [] if label_ok else ["input needs a plain_text label of at most 2000 characters"]
        if "hint" in block and _text_object_problems(block["hint"], 2000, plain_only=True):
            problems.append("hint must be plain_text of at most 2000 characters")
        return problems + _element_problems(_dict(block.get("element")))
    return []


INTERACTIVE = {"button", "static_select", "multi_static_select", "users_select", "multi_users_select", "conversations_select",
               "multi_conversations_select", "channels_select", "multi_channels_select", "external_select",
               "multi_external_select", "overflow", "datepicker", "timepicker", "datetimepicker", "checkboxes", "radio_buttons",
               "plain_text_input", "number_input", "email_text_input", "url_text_input", "rich_text_input", "workflow_button",
               "file_input"}  # fmt: skip
INPUT_ELEMENTS = INTERACTIVE - {"button", "overflow", "workflow_button"}
"""What an input block may hold: text, number, email and URL inputs, every select menu, the pickers, checkboxes, radio buttons, files."""
OPTION_TEXT, OPTION_VALUE, OPTION_DESCRIPTION = 75, 150, 75
DATE, TIME = re.compile(r"\d{4}-\d{2}-\d{2}"), re.compile(r"([01]\d|2[0-3]):[0-5]\d")


def _interactive_problems(element: Any) -> list[str]:
    """An element of an actions block, a section's accessory or an input's element: a known interactive type,
    its action_id, a button's text, its options and initial values."""
    if not isinstance(element, dict) or element.get("type") not in INTERACTIVE:
        kind = element.get("type") if isinstance(element, dict) else type(element).__name__
        return [f"unknown element type {kind!r}"]
    problems = []
    kind = element["type"]
    action_id = element.get("action_id")
    if action_id is not None and (not isinstance(action_id, str) or not 0 < len(action_id) <= 255):
        problems.append("action_id must be 1-255 characters")
    if kind == "button":
        problems += _text_object_problems(element.get("text"), 75, plain_only=True)
        if "value" in element and (not isinstance(element["value"], str) or len(element["value"]) > 2000):
            problems.append("button value must be a string of at most 2000 characters")
    if kind in ("static_select", "multi_static_select", "checkboxes", "radio_buttons", "overflow"):
        problems += _options_problems(element)
    if kind == "plain_text_input":
        max_length, min_length = element.get("max_length", 3000), element.get("min_length", 0)
        if not isinstance(max_length, int) or not 0 < max_length <= 3000:
            problems.append("max_length must be 1-3000")
        if not isinstance(min_length, int) or not 0 <= min_length <= 3000:
            problems.append("min_length must be 0-3000")
        elif isinstance(max_length, int) and min_length > max_length:
            problems.append("min_length must not exceed max_length")
    if kind == "number_input" and not isinstance(element.get("is_decimal_allowed"), bool):
        problems.append("number_input needs is_decimal_allowed (true or false)")
    if (
        kind == "datepicker"
        and "initial_date" in element
        and not (isinstance(element["initial_date"], str) and DATE.fullmatch(element["initial_date"]))
    ):
        problems.append("initial_date must be YYYY-MM-DD")
    if (
        kind == "timepicker"
        and "initial_time" in element
        and not (isinstance(element["initial_time"], str) and TIME.fullmatch(element["initial_time"]))
    ):
        problems.append("initial_time must be HH:mm")
    if "max_selected_items" in element and not (
        isinstance(element["max_selected_items"], int) and element["max_selected_items"] >= 1
    ):
        problems.append("max_selected_items must be at least 1")
    return problems


def _options_problems(element: dict[str, Any]) -> list[str]:
    kind = element["type"]
    problems: list[str] = []
    if "option_groups" in element and kind in ("static_select", "multi_static_select"):
        groups = element["option_groups"]
        if not isinstance(groups, list) or not 0 < len(groups) <= 100:
            return ["option_groups must hold 1-100 groups"]
        options = []
        for group in groups:
            if _text_object_problems(_dict(group).get("label"), OPTION_TEXT, plain_only=True):
                problems.append(f"an option group needs a plain_text label of at most {OPTION_TEXT} characters")
            group_options = _dict(group).get("options")
            if not isinstance(group_options, list) or not 0 < len(group_options) <= 100:
                problems.append("an option group needs 1-100 options")
            options += _list(group_options)
    else:
        options = element.get("options")
        most = 10 if kind in ("checkboxes", "radio_buttons") else 5 if kind == "overflow" else 100
        fewest = 2 if kind == "overflow" else 1
        if not isinstance(options, list) or not fewest <= len(options) <= most:
            return [f"{kind} needs {fewest}-{most} options"]
    plain_only = kind not in ("checkboxes", "radio_buttons")
    for option in options:
        if not isinstance(option, dict):
            problems.append("an option must be an object")
            continue
        problems += [f"option text: {p}" for p in _text_object_problems(option.get("text"), OPTION_TEXT, plain_only)]
        value = option.get("value")
        if not isinstance(value, str) or not 0 < len(value) <= OPTION_VALUE:
            problems.append(f"option value must be a string of 1-{OPTION_VALUE} characters")
        if "description" in option and _text_object_problems(option["description"], OPTION_DESCRIPTION, plain_only):
            problems.append(f"option description must be a text object of at most {OPTION_DESCRIPTION} characters")
    initial = [element["initial_option"]] if "initial_option" in element else _list(element.get("initial_options"))
    if "initial_options" in element and not isinstance(element["initial_options"], list):
        problems.append("initial_options must be a list of options")
    for chosen in initial:
        if not any(_same_option(chosen, option) for option in options):
            problems.append("initial options must exactly match one of the options")
    return problems


def _same_option(a: Any, b: Any) -> bool:
    """Slack matches an initial option to the options by its text and value (emoji flags aside)."""
    a, b = _dict(a), _dict(b)
    text_a, text_b = _dict(a.get("text")), _dict(b.get("text"))
    return (a.get("value"), text_a.get("type"), text_a.get("text")) == (b.get("value"), text_b.get("type"), text_b.get("text"))


def _element_problems(element: dict[str, Any]) -> list[str]:
    """An input block's element."""
    kind = element.get("type")
    if kind is None:
        return ["input needs an element"]
    if kind in INTERACTIVE and kind not in INPUT_ELEMENTS:
        return [f"an input block cannot hold a {kind}"]
    return _interactive_problems(element)


# -- HTTP -------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    """A thread per call; a listen queue deep enough for several processes' senders connecting at once (the default 5
    would drop connections under a fan-out, which Slack does not)."""

    daemon_threads = True
    request_queue_size = 256


def _handler_for(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            if len(body) < length:  # the caller went away mid-request (a process killed between headers and body):
                self.close_connection = True  # Slack never receives a call it could act on or refuse, and answers no one
                return
            if self.path.startswith("/upload/"):  # files_upload_v2 posts the file's bytes here, unsigned (an image: not text)
                method, args = "upload", {"file_id": self.path.rsplit("/", 1)[-1], "_raw": _text_or_bytes(body)}
            else:
                raw = body.decode("utf-8")
                args = _parse_body(raw, self.headers.get("Content-Type", ""))
                query = self.path.split("?", 1)[1] if "?" in self.path else ""
                args = {**_parse_body(query, ""), **args}  # a GET's arguments, as some clients send them
                if self.path.startswith("/response_url/"):
                    method = "response_url"
                else:
                    method = self.path.rsplit("/", 1)[-1].split("?", 1)[0]
            latency = fake.latency
            fake._serving(+1)
            try:
                if latency:
                    time.sleep(latency / 2)  # on its way to Slack (each call has its own thread: nothing else waits)
                try:
                    status, headers, body = fake.handle(method, args, dict(self.headers.items()))
                except Exception as error:  # a bug in the fake must fail the test loudly, not hang it
                    status, headers, body = 500, {}, {"ok": False, "error": "fake_slack_crashed", "detail": repr(error)}
                if latency:
                    time.sleep(latency / 2)  # the answer on its way back
            finally:
                fake._serving(-1)
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

        def do_GET(self) -> None:  # noqa: N802
            if not self.path.startswith("/files-pri/"):
                return self.do_POST()
            status, content_type, data = fake.download(self.path, dict(self.headers.items()))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


def _text_or_bytes(body: bytes) -> str | bytes:
    """An uploaded file's content: text when it is UTF-8 (a document), else its bytes (an image)."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body


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
    """The fake Slack; a test during which Slack refused what the bot sent fails, unless it called expect_refusals().

    While it runs, the slash commands and interactions a SlackSender builds (the `ladder` fixture's too) carry
    trigger_ids this fake issued and response_urls that point at it.
    """
    with FakeSlack() as fake, slack_requests.slack_is_at(fake.issue_trigger_id, fake.response_url):
        yield fake
        refused = [] if fake._refusals_expected else fake.unexpected_refusals()
    if refused:
        lines = [
            f"{c.method}: {c.answer.get('error')} {c.answer.get('errors') or c.answer.get('response_metadata') or ''}"
            for c in refused
        ]
        pytest.fail("Slack refused what the bot sent:\n" + "\n".join(lines), pytrace=False)

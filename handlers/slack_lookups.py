"""Slack look-ups listeners make while they answer, through the request's WebClient: whether people can take a part in
Ladder (users.info) and what a channel is (conversations.info, conversations.members). The runtime uses the same ones
(the directory, the sender's recipients' check, a shared file's download): they live here, below it, so listeners
import nothing from it."""

from __future__ import annotations

import http.client
import logging
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.panels.panels import ChannelFacts

log = logging.getLogger(__name__)

NOT_FOUND = {"users_not_found", "user_not_found"}
"""Slack's errors for a user it does not know."""
LOOKUPS_AT_ONCE = 8


def unusable_people(client: WebClient, user_ids: Iterable[str]) -> dict[str, str]:
    """Which of ``user_ids`` cannot take a part in Ladder (an admin, a panel's chair or member…), and why: Slack does not
    know them, their account is deactivated, or they are a bot or an app (users.info, one call per id, a few at a time so
    a panel of twenty answers well inside Slack's three seconds)."""
    ids = list(dict.fromkeys(user_ids))
    with ThreadPoolExecutor(max_workers=LOOKUPS_AT_ONCE) as pool:
        reasons = dict(zip(ids, pool.map(lambda user_id: _unusable(client, user_id), ids), strict=True))
    return {user_id: why for user_id, why in reasons.items() if why}


def _unusable(client: WebClient, user_id: str) -> str | None:
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as exc:
        if exc.response.get("error") not in NOT_FOUND:
            raise
        return "no such user in this Slack workspace"
    return unusable_account(user)


def unusable_account(user: dict[str, Any]) -> str | None:
    """Why the account Slack describes (users.info's ``user``) cannot take a part in Ladder, or None for a person."""
    if user.get("deleted"):
        return "deactivated"
    if user.get("is_bot") or user.get("is_app_user") or user.get("id") == "USLACKBOT":
        return "a bot or an app, not a person"
    return None


def channel_facts(client: WebClient, channel: str, *, page: int = 200) -> ChannelFacts:
    """Whether a channel is private with Ladder in it, and who else is: what a panel's channel must be. Slack answers
    conversations.info on a public channel only to a token with channels:read, which Ladder does not ask for — so a
    ``missing_scope`` answer itself says the channel is public."""
    try:
        info = client.conversations_info(channel=channel)["channel"]
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error == "missing_scope":
            return ChannelFacts(private=False, ladder_in=True)
        if error in ("channel_not_found", "not_in_channel"):
            return ChannelFacts(private=True, ladder_in=False)
        raise
    if not info.get("is_private") or not info.get("is_member"):
        return ChannelFacts(private=bool(info.get("is_private")), ladder_in=bool(info.get("is_member")))
    return ChannelFacts(private=True, ladder_in=True, members=frozenset(channel_members(client, channel, page=page)))


def channel_members(client: WebClient, channel: str, *, me: str | None = None, page: int = 200) -> set[str]:
    """Everyone in a conversation but Ladder itself (``me``, else asked of Slack), every page of Slack's answer."""
    me = me or client.auth_test().get("user_id")
    members: set[str] = set()
    cursor = None
    while True:
        answer = client.conversations_members(channel=channel, limit=page, **({"cursor": cursor} if cursor else {}))
        members.update(answer.get("members") or ())
        cursor = (answer.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return members - {me}


SLACK_FILE_HOST = "files.slack.com"
DOWNLOAD_SECONDS = 10
"""The whole download's deadline (the outbox sender's, never a request's: Slack gives a request three seconds)."""


def shared_file_url(file: Mapping[str, Any]) -> str:
    url = file.get("url_private_download") or file.get("url_private")
    return url if isinstance(url, str) else ""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:  # the token goes to Slack's file host, nowhere else
        return None


def download_shared_file(client: WebClient, file: Mapping[str, Any], *, limit: int) -> bytes | str:
    """A file someone shared (a ``file_share`` event's file: its ``url_private_download``), downloaded with the client's
    token (``files:read``) from Slack's file host only, never redirected: at most ``limit`` + 1 bytes (one more than
    allowed, for the caller to refuse it by its size), within :data:`DOWNLOAD_SECONDS`. Or why Ladder could not
    download it (one line)."""
    size = file.get("size")
    if isinstance(size, int) and size > limit:
        return f"the file is larger than {limit // (1024 * 1024)} MB, more than a framework file can hold"
    url = shared_file_url(file)
    if not _from_slack(url, client.base_url):
        return "Ladder could not find the file in Slack; upload it again"
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
    try:
        with urllib.request.build_opener(_NoRedirects).open(request, timeout=DOWNLOAD_SECONDS) as response:
            if response.headers.get_content_type() == "text/html":  # Slack's sign-in page: the token may not read files
                return "Ladder may not read files in this workspace (it needs the files:read permission: reinstall it)"
            return _read_until(response, limit + 1, time.monotonic() + DOWNLOAD_SECONDS)
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError, TimeoutError) as exc:
        log.warning("downloading a shared file failed", extra={"error": type(exc).__name__})
        return "Ladder could not download the file from Slack; try again in a moment"


def _read_until(response: Any, most: int, deadline: float) -> bytes:
    """At most ``most`` bytes of ``response``, read before ``deadline`` (a file served a byte at a time runs out of time)."""
    chunks: list[bytes] = []
    got = 0
    while got < most:
        if time.monotonic() > deadline:
            raise TimeoutError("the download took too long")
        chunk = response.read(min(64 * 1024, most - got))
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _from_slack(url: str, api_url: str) -> bool:
    """Only Slack's file host over HTTPS (or the host of the Web API URL configured, for a test's fake Slack)."""
    found, api = urlsplit(url), urlsplit(api_url)
    if found.scheme == "https" and found.hostname == SLACK_FILE_HOST:
        return True
    return bool(found.hostname) and (found.scheme, found.netloc) == (api.scheme, api.netloc) and api.hostname != "slack.com"

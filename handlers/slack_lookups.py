"""Slack look-ups listeners make while they answer, through the request's WebClient: whether people can take a part in
Ladder (users.info) and what a channel is (conversations.info, conversations.members). The runtime uses the same ones
(the directory, the sender's recipients' check): they live here, below it, so listeners import nothing from it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.panels.panels import ChannelFacts

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

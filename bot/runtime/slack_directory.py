"""The workspace directory through Slack's users API: who people are (`ladder people import`). Who can take a part and
who is in a channel are the listeners' look-ups (:mod:`handlers.slack_lookups`)."""

from __future__ import annotations

from typing import Any, Iterator

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.people_import import DirectoryUser
from handlers.slack_lookups import NOT_FOUND, unusable_account

LISTING_PAGE = 200
"""Accounts per page of users.list (Slack advises no more than 200)."""


class SlackDirectory:
    def __init__(self, client: WebClient) -> None:
        self._client = client

    def lookup_by_email(self, email: str) -> DirectoryUser | None:
        return self._call(self._client.users_lookupByEmail, email=email)

    def user_info(self, user_id: str) -> DirectoryUser | None:
        return self._call(self._client.users_info, user=user_id)

    def everyone(self) -> Iterator[DirectoryUser]:
        """Every account in the workspace, from users.list, one page at a time as it is read."""
        cursor = None
        while True:
            answer = self._client.users_list(limit=LISTING_PAGE, **({"cursor": cursor} if cursor else {}))
            for user in answer.get("members") or ():
                yield _directory_user(user)
            cursor = (answer.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return

    @staticmethod
    def _call(method: Any, **kwargs: str) -> DirectoryUser | None:
        try:
            user = method(**kwargs)["user"]
        except SlackApiError as exc:
            if exc.response.get("error") in NOT_FOUND:
                return None
            raise
        return _directory_user(user)


def _directory_user(user: dict[str, Any]) -> DirectoryUser:
    profile = user.get("profile") or {}
    name = profile.get("real_name") or user.get("real_name") or user.get("name") or user["id"]
    return DirectoryUser(user["id"], name, profile.get("email"), unusable_account(user))


def team_id(client: WebClient) -> str:
    """The workspace the bot token belongs to."""
    return client.auth_test()["team_id"]

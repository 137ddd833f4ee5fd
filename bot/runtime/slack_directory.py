"""The workspace directory through Slack's users API: the adapter behind `ladder people import`."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.people_import import DirectoryUser

_NOT_FOUND = {"users_not_found", "user_not_found"}


class SlackDirectory:
    def __init__(self, client: WebClient) -> None:
        self._client = client

    def lookup_by_email(self, email: str) -> DirectoryUser | None:
        return self._call(self._client.users_lookupByEmail, email=email)

    def user_info(self, user_id: str) -> DirectoryUser | None:
        return self._call(self._client.users_info, user=user_id)

    @staticmethod
    def _call(method: Any, **kwargs: str) -> DirectoryUser | None:
        try:
            user = method(**kwargs)["user"]
        except SlackApiError as exc:
            if exc.response.get("error") in _NOT_FOUND:
                return None
            raise
        profile = user.get("profile") or {}
        name = profile.get("real_name") or user.get("real_name") or user.get("name") or user["id"]
        return DirectoryUser(user["id"], name, profile.get("email"))


def team_id(client: WebClient) -> str:
    """The workspace the bot token belongs to."""
    return client.auth_test()["team_id"]

"""The shapes of Slack's ids, checked wherever a person types one (the command line, settings, imported files).

Slack's ids are a capital letter saying what they name and capitals and digits; Ladder stores them in columns of 32
characters, so a longer one is refused where it is typed, never by the database.
"""

from __future__ import annotations

import re

MAX_ID = 32
"""The longest id Ladder stores (storage/models.py: team, user and channel columns)."""
USER_ID = re.compile(rf"[UW][A-Z0-9]{{1,{MAX_ID - 1}}}")
TEAM_ID = re.compile(rf"[TE][A-Z0-9]{{1,{MAX_ID - 1}}}")
"""A workspace (T…) or, on Enterprise Grid, an organisation (E…)."""
CHANNEL_ID = re.compile(rf"[CG][A-Z0-9]{{1,{MAX_ID - 1}}}")


def is_user_id(text: str) -> bool:
    return USER_ID.fullmatch(text) is not None


def is_team_id(text: str) -> bool:
    return TEAM_ID.fullmatch(text) is not None


def is_channel_id(text: str) -> bool:
    return CHANNEL_ID.fullmatch(text) is not None


def not_a_user_id(text: str) -> str:
    """What to say of ``text`` when it should have been a user id."""
    return f"not a Slack user id: {_quoted(text)} (user ids look like U024BE7LH)"


def not_a_team_id(text: str) -> str:
    return f"not a Slack team id: {_quoted(text)} (team ids look like T0123ABCD, or E0123ABCD for an Enterprise Grid org)"


def not_a_channel_id(text: str) -> str:
    return f"not a Slack channel id: {_quoted(text)} (channel ids look like C0123ABC)"


def _quoted(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:39] + "…")

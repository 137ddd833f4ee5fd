"""Jinja filters for Ladder's templates: formatting that templates should not spell out."""

from __future__ import annotations

import re
from typing import Any

from messages.escape import Raw

_SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


def mention(user_id: str | None) -> str:
    """A Slack mention for a real user id; anything else is shown as escaped text."""
    if user_id and _SLACK_USER_ID.match(user_id):
        return Raw(f"<@{user_id}>")
    return user_id or ""


def band(value: Any) -> str:
    if value is None:
        return ""
    return f"{value.currency} {value.min:,}–{value.max:,}"


def ordinal_steps(steps: int) -> str:
    return "one level up" if steps == 1 else f"{steps} levels up"


FILTERS = {"mention": mention, "band": band, "steps": ordinal_steps}

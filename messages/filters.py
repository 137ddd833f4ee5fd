"""Jinja filters for Ladder's templates: formatting that templates should not spell out."""

from __future__ import annotations

import json
import re
from typing import Any

from messages.escape import Raw, slack_escape, truncate

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


MAX_BUTTON_VALUE = 2000
MAX_BUTTON_TEXT = 75


def ask_again(choice: Any, question: str) -> str:
    """A "did you mean" button's value: the question and the meanings picked, as JSON (Ladder's own markup, never
    escaped for Slack); empty when it would be longer than Slack keeps (the choice is then named, without a button)."""
    value = json.dumps({"q": question, "c": list(choice.picks)}, ensure_ascii=False, separators=(",", ":"))
    return Raw(value) if len(value) <= MAX_BUTTON_VALUE else ""


def button_text(choice: Any) -> str:
    """A candidate's title and what tells it apart, escaped and cut to fit a button."""
    return Raw(truncate(slack_escape(f"{choice.title} ({choice.where})"), MAX_BUTTON_TEXT))


FILTERS = {
    "mention": mention,
    "band": band,
    "steps": ordinal_steps,
    "ask_again": ask_again,
    "button_text": button_text,
}

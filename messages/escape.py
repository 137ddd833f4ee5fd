"""Slack's text escaping, in one place.

Slack decodes exactly three entities in message text; escaping them in everything that came
from a person or a framework file is what keeps ``<!channel>`` from pinging anybody.
"""

from __future__ import annotations

import re

_ENTITY_TAIL = re.compile(r"&[a-z]{0,3}$")


class Raw(str):
    """Text the renderer must not escape: Slack markup Ladder built itself (mentions, links)."""


def slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    """Cut ``text`` to ``limit`` characters with a visible ellipsis, never inside an entity."""
    if len(text) <= limit:
        return text
    cut = _ENTITY_TAIL.sub("", text[: limit - len(ellipsis)].rstrip())
    return cut + ellipsis

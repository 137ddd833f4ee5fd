"""How what was decided names the framework version it was decided under."""

from __future__ import annotations

from bot.framework.model import Framework


def cited(version: int | None, framework: Framework) -> str:
    """How a packet or a decision names the framework version it was made under (``version``: the number stored on it),
    ``framework`` being its organisation's in force now: its own citation when that is the one, else the number."""
    if version == framework.published:
        return f"{framework.citation}, published version {version}" if version else framework.citation
    return f"published version {version}" if version else "the default framework"

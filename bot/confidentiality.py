"""Who may see an answer: decided here, once, for every surface Ladder answers on.

An answer about the asker (their level, their next step) is HR data: it is shown to the asker
alone, even when the question was asked in a channel. Later features (nominations, reviews,
check-ins) add their rules here, so no handler ever decides visibility itself.
"""

from __future__ import annotations

from enum import Enum


class Surface(Enum):
    SLASH_COMMAND = "slash_command"
    CHANNEL_MENTION = "channel_mention"
    """An @mention in a channel or a group conversation: other people can read the thread."""
    DIRECT_MESSAGE = "direct_message"
    """The asker's own conversation with Ladder."""
    TERMINAL = "terminal"


class Audience(Enum):
    CONVERSATION = "conversation"
    """Everyone who can read the conversation the question was asked in."""
    ASKER_ONLY = "asker_only"


def answer_audience(surface: Surface, *, about_the_asker: bool) -> Audience:
    if surface is Surface.SLASH_COMMAND:
        return Audience.ASKER_ONLY  # /ladder is private by promise: nobody sees the question either
    if surface is Surface.CHANNEL_MENTION and about_the_asker:
        return Audience.ASKER_ONLY
    return Audience.CONVERSATION


def mention_surface(channel_id: str) -> Surface:
    """app_mention events carry no channel type; a "D" channel is a one-to-one conversation."""
    return Surface.DIRECT_MESSAGE if channel_id.startswith("D") else Surface.CHANNEL_MENTION

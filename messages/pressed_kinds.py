"""A pressed button's message replaced by what the press did (chat.update), so its buttons are not pressed twice.

The replacement is rendered when the press is handled and kept on the row: it tells the person who pressed what they
just did (snoozed, skipped, answered), so the data it was made from cannot have changed in a way that matters.
"""

from __future__ import annotations

from messages.kinds import URGENT, Gone, MessageKind, Reading, Update
from messages.render import Message

PRESSED = "pressed_message_replaced"


def _replaced(read: Reading) -> Update:
    channel, ts, message = read.context.get("channel"), read.context.get("ts"), read.context.get("message")
    if not isinstance(channel, str) or not isinstance(ts, str) or not isinstance(message, dict):
        raise Gone("no message to replace")
    return Update(Message(str(message.get("text") or ""), list(message.get("blocks") or [])), channel=channel, ts=ts)


KINDS = (MessageKind(PRESSED, _replaced, URGENT),)

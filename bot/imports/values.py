"""What an imported value may hold to be stored: no control characters, and at most its column's length.

PostgreSQL refuses text holding NUL and text longer than a ``varchar(n)`` column; SQLite takes both. An import checks
each value here while it plans, so a value the database would refuse is a row problem on SQLite and PostgreSQL
alike, and a dry run says exactly what the real run does.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
"""Unicode's control characters (category Cc): C0, DEL and C1."""
_NAMES = {0x00: "NUL", 0x09: "tab", 0x0A: "line feed", 0x0D: "carriage return", 0x1B: "escape", 0x7F: "DEL"}
SHOWN = 60
"""Characters of a refused value quoted back in a message; the rest is cut with "…"."""


def control_character(text: str, allowed: str = "") -> str | None:
    """The first control character in ``text`` (C0, DEL, C1) that is not in ``allowed``, described ("U+0000 NUL"), or
    None. Imported fields are one line each, so by default tab and newline are control characters too."""
    for found in _CONTROL.finditer(text):
        if found.group() not in allowed:
            code = ord(found.group())
            return f"U+{code:04X}" + (f" {_NAMES[code]}" if code in _NAMES else "")
    return None


def without_control_characters(text: str) -> str:
    """``text`` with every control character taken out (for values Ladder takes from Slack, not from a person's file)."""
    return _CONTROL.sub("", text)


def storable(text: str, max_length: int) -> bool:
    return len(text) <= max_length and control_character(text) is None


def shown(text: str) -> str:
    """A value quoted back to a person, cut to :data:`SHOWN` characters."""
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"

"""Which labels name a level's field (summary, scope, decision rights, typical time in level)."""

from __future__ import annotations

from bot.framework.names import normalize
from bot.framework.reading.draft import LevelField

FIELDS: dict[str, tuple[str, ...]] = {
    "summary": ("summary", "description", "overview", "role summary", "in short", "tl dr"),
    "scope": ("scope",),
    "decision_rights": ("decision rights", "decisions", "decision making"),
    "typical_time_in_level": ("typical time in level", "time in level", "time in role", "typical tenure", "tenure"),
}


def level_field(label: str | None) -> LevelField | None:
    if not label:
        return None
    key = normalize(label)
    for name, labels in FIELDS.items():
        if key in labels or (name == "typical_time_in_level" and ("tenure" in key.split() or "time in" in key)):
            return name  # type: ignore[return-value]
    return None

"""Do Not Disturb, asked of Slack at most once per person per day.

A check-in prompt waits while its person is in Do Not Disturb. Asking ``dnd.info`` (Tier 3: 50 a minute) for every
prompt would make a Monday fan-out wait for DND lookups, so each process keeps what Slack said — the person's DND
window and any snooze — per (team, person, UTC day), and when a batch holds several people it asks for all of them in
one ``dnd.teamInfo`` call (Tier 2, but many people a call). Whether someone is in DND *now* is decided from the window
at the moment of sending.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Mapping

TEAM_INFO_USERS = 50
"""People asked about in one dnd.teamInfo call."""


@dataclass(frozen=True)
class DndWindow:
    """What Slack said of one person's Do Not Disturb: the scheduled window (epoch seconds) and a snooze's end."""

    start: float = 0.0
    end: float = 0.0
    snooze_end: float = 0.0

    @classmethod
    def of(cls, answer: Mapping[str, Any]) -> "DndWindow":
        """From a dnd.info answer, or one person's entry in a dnd.teamInfo answer."""
        window = (
            (float(answer.get("next_dnd_start_ts") or 0), float(answer.get("next_dnd_end_ts") or 0))
            if answer.get("dnd_enabled")
            else (0.0, 0.0)
        )
        snooze = float(answer.get("snooze_endtime") or 0) if answer.get("snooze_enabled") else 0.0
        return cls(window[0], window[1], snooze)

    def until(self, now: float) -> float | None:
        """When DND ends, if the person is in it at ``now``; None when a message may go now."""
        ends = [self.snooze_end] if self.snooze_end > now else []
        if self.start <= now < self.end:
            ends.append(self.end)
        return max(ends, default=None)


class DndCache:
    """Each person's DND window for the day it was asked on (UTC), shared by a process's sender threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._day: date | None = None
        self._known: dict[tuple[str, str], DndWindow] = {}

    def get(self, team: str, user: str, now: datetime) -> DndWindow | None:
        with self._lock:
            self._turn(now)
            return self._known.get((team, user))

    def put(self, team: str, user: str, now: datetime, window: DndWindow) -> None:
        with self._lock:
            self._turn(now)
            self._known[(team, user)] = window

    def unknown(self, team: str, users: list[str], now: datetime) -> list[str]:
        """Those of ``users`` not asked about yet today, each once."""
        with self._lock:
            self._turn(now)
            return list(dict.fromkeys(u for u in users if (team, u) not in self._known))

    def _turn(self, now: datetime) -> None:
        """A new UTC day forgets yesterday's answers (what Slack said holds for the day it was asked)."""
        day = (now if now.tzinfo is None else now.astimezone(UTC)).date()
        if day != self._day:
            self._day, self._known = day, {}

"""Pacing the outbox's Web API calls to Slack's published rate limits, without any thread sleeping.

Slack limits each method per workspace (https://api.slack.com/apis/rate-limits): Tier 1 about 1 call a minute, Tier 2
20, Tier 3 50, Tier 4 100, each with some burst. ``chat.postMessage`` is special: about one message a second per
channel (short bursts allowed) under a workspace-wide limit of several hundred a minute.

A :class:`Pacer` keeps a bucket per (team, method) — and for ``chat.postMessage`` one per (team, channel) besides the
team's — as a virtual schedule (GCRA: a bucket holding ``burst`` calls, refilled at ``per_minute``). Asking it about a
call either lets the call go now, or keeps the next free slot for it and says how long until then: the sender puts the
message back in the outbox until that slot and moves on to other messages; when it comes back it goes without asking
again. A 429 pauses only what Slack limited — the channel under ``chat.postMessage``, the (team, method) otherwise —
for ``Retry-After``. One pacer serves all sender threads of a process.

Several processes send to one workspace: each paces the workspace-wide buckets (the team's chat.postMessage bucket and
its tiered methods' buckets, not a channel's) to its share — the limit divided by the live sender processes
(:meth:`Pacer.shared_by`, counted in the database by the senders' heartbeats,
:mod:`storage.repositories.sender_heartbeats`) — so together they keep to Slack's limit and a 429 stays a backstop.
A channel's bucket is not shared: one message goes to one channel from whichever process claimed it.

Of each team's chat.postMessage share, fan-out (BULK kinds) may use only ``1 - URGENT_RESERVE`` of the rate and never
the last few tokens of the burst (its own bucket, ``("bulk", team)``, charged beside the team's): what it leaves is kept
for the URGENT kinds — an answer someone is waiting for finds a token however long the fan-out has run.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Callable, Mapping


@dataclass(frozen=True)
class Limit:
    per_minute: float
    burst: int

    @property
    def interval(self) -> float:
        return 60.0 / self.per_minute

    def scaled(self, share: float) -> "Limit":
        return Limit(self.per_minute * share, self.burst)


TIERS = {1: Limit(1, 1), 2: Limit(20, 3), 3: Limit(50, 5), 4: Limit(100, 10)}
"""Slack's Web API tiers, calls a minute per method per workspace, with a modest burst."""
METHOD_TIERS: Mapping[str, int] = {
    "users.list": 2, "dnd.teamInfo": 2,
    "dnd.info": 3, "conversations.history": 3, "conversations.replies": 3, "conversations.info": 3, "conversations.open": 3,
    "chat.update": 3, "chat.delete": 3, "files.delete": 3, "users.lookupByEmail": 3,
    "users.info": 4, "conversations.members": 4, "chat.postEphemeral": 4, "views.publish": 4, "views.open": 4,
    "views.update": 4, "files.getUploadURLExternal": 4, "files.completeUploadExternal": 4, "files_upload_v2": 4,
}  # fmt: skip
"""Each method's tier, as Slack's method reference gives it (``files_upload_v2`` is the SDK's two Tier 4 calls).
``auth.test`` and ``chat.getPermalink`` (special: heavy use allowed) are not paced; ``chat.postMessage`` has its own."""
POST_MESSAGE = "chat.postMessage"
POST_PER_CHANNEL = Limit(60, 3)
"""chat.postMessage: "1 per second per channel", short bursts allowed."""
POST_PER_TEAM = Limit(300, 30)
"""chat.postMessage: a workspace-wide limit of "several hundred messages per minute" (here 300, bursts of 30)."""
HEADROOM = 0.95
"""The share of each limit the pacer uses: paced at exactly Slack's rate, calls that reach Slack a little bunched (one
answered slower than the next) find its bucket empty — measured: a third of a fan-out's posts answered 429."""
URGENT_RESERVE = 0.10
"""The share of a team's chat.postMessage rate (and of its burst, at least one token) fan-out leaves for urgent kinds:
they may use it and whatever fan-out leaves unused."""


class Pacer:
    """Token buckets per (team, method tier), shared by the threads of one process; never sleeps."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        *,
        tiers: Mapping[int, Limit] = TIERS,
        method_tiers: Mapping[str, int] = METHOD_TIERS,
        per_channel: Limit | None = POST_PER_CHANNEL,
        per_team: Limit | None = POST_PER_TEAM,
        headroom: float = HEADROOM,
        reserve: float = URGENT_RESERVE,
    ) -> None:
        self._clock = clock
        self._tiers = {tier: limit.scaled(headroom) for tier, limit in tiers.items()}
        self._method_tiers = method_tiers
        self._per_channel = per_channel.scaled(headroom) if per_channel else None
        self._per_team = per_team.scaled(headroom) if per_team else None
        self._reserve = reserve
        self._senders = 1
        """Live sender processes sharing each workspace's limits (this one included): :meth:`shared_by`."""
        self._lock = threading.Lock()
        self._next: dict[tuple[str, ...], float] = {}
        """Each bucket's theoretical arrival time: when it would be empty, were no call ever early (GCRA)."""
        self._paused: dict[tuple[str, ...], float] = {}
        """Until when Slack said to stop (429 Retry-After), per channel or per (team, method)."""

    @classmethod
    def unlimited(cls, clock: Callable[[], float] = time.monotonic) -> "Pacer":
        """A pacer that only honours 429s (a benchmark's unlimited fake Slack)."""
        return cls(clock, tiers={}, method_tiers={}, per_channel=None, per_team=None)

    def now(self) -> float:
        return self._clock()

    def shared_by(self, processes: int) -> None:
        """``processes`` live sender processes (this one included) send to the same workspaces: each workspace-wide
        bucket runs at its limit divided by them, its burst too (at least one call); a channel's bucket is unchanged."""
        with self._lock:
            self._senders = max(1, int(processes))

    @property
    def senders(self) -> int:
        """How many processes this pacer shares each workspace's limits with (itself included)."""
        return self._senders

    def _workspace(self, limit: Limit) -> Limit:
        """A workspace-wide limit as this process's share of it."""
        n = self._senders
        return limit if n == 1 else Limit(limit.per_minute / n, max(1, limit.burst // n))

    def _bulk(self, team_limit: Limit) -> Limit:
        """What fan-out may use of a team's chat.postMessage share: ``1 - reserve`` of the rate, and a burst a token or
        more short of the team's (so the team's bucket always holds the reserve's tokens for urgent kinds)."""
        if self._reserve <= 0:
            return team_limit
        kept = max(1, math.ceil(team_limit.burst * self._reserve))
        return Limit(team_limit.per_minute * (1 - self._reserve), max(1, team_limit.burst - kept))

    def ask(
        self,
        team: str,
        method: str,
        channel: str | None = None,
        *,
        horizon: float | None = None,
        kept: bool = False,
        bulk: bool = False,
    ) -> tuple[float, bool]:
        """``(0.0, True)`` when the call may go now (its buckets are charged). Otherwise the seconds until it may go, and
        whether that slot is kept for it (charged too: put the message back until then and send it then, asking with
        ``kept=True``); a slot further away than ``horizon`` s, or one after a 429's pause, is not kept (nothing charged:
        the fan-out waits in the outbox, not in front of the answers). ``kept``: this call's slot was kept earlier — only
        a 429 since holds it. ``bulk``: a fan-out post, kept out of the share reserved for urgent kinds."""
        with self._lock:
            now = self._clock()
            slot = max([now, *(self._paused.get(key, now) for key in self._pause_keys(team, method, channel))])
            if kept or slot > now:  # a kept slot was charged when it was kept; a paused call keeps none (it asks again)
                return _seconds(slot - now), kept
            buckets = self._buckets(team, method, channel, bulk=bulk)
            for key, limit in buckets:
                slot = max(slot, self._next.get(key, now) - (limit.burst - 1) * limit.interval)
            if _seconds(slot - now) == 0.0:
                slot = now
            if horizon is not None and _seconds(slot - now) > horizon:
                return _seconds(slot - now), False
            for key, limit in buckets:  # charged as of now: a channel's wait leaves no gap in its team's bucket
                self._next[key] = max(self._next.get(key, now), now) + limit.interval
            self._forget_past(now)
            return _seconds(slot - now), True

    def allowances(self, horizon: float) -> dict[str, int]:
        """How many fan-out messages each team whose chat.postMessage bucket is in use may post within ``horizon`` s (0:
        none now; by its bulk bucket and its team bucket, this process's share of them): no more of its fan-out is
        claimed than could go, so what could not is left in the outbox untouched."""
        if self._per_team is None:
            return {}
        with self._lock:
            now = self._clock()
            team_limit = self._workspace(self._per_team)
            limits = {"team": team_limit, "bulk": self._bulk(team_limit)}
            allowed: dict[str, int] = {}
            for key, at in self._next.items():
                limit = limits.get(key[0])
                if limit is None:
                    continue
                tolerance = (limit.burst - 1) * limit.interval
                n = max(0, math.floor((now + horizon + tolerance - at) / limit.interval + 1e-6) + 1)
                allowed[key[1]] = min(n, allowed.get(key[1], n))
            return allowed

    def soonest(self) -> float:
        """Seconds until the first team that may post nothing now may post again (0.0 when there is none)."""
        if self._per_team is None:
            return 0.0
        with self._lock:
            now = self._clock()
            team_limit = self._workspace(self._per_team)
            limits = {"team": team_limit, "bulk": self._bulk(team_limit)}
            waits = [
                _seconds(at - (limits[key[0]].burst - 1) * limits[key[0]].interval - now)
                for key, at in self._next.items()
                if key[0] in limits
            ]
            return min((w for w in waits if w > 0), default=0.0)

    def limited(self, team: str, method: str, channel: str | None, retry_after: float) -> float:
        """Slack answered 429: pause what it limited (the channel under chat.postMessage, else the team's method) for
        ``retry_after`` s; returns when that ends (on this pacer's clock)."""
        with self._lock:
            until = self._clock() + retry_after
            key = ("channel", team, channel) if method == POST_MESSAGE and channel else ("method", team, method)
            self._paused[key] = max(self._paused.get(key, until), until)
            return until

    def _buckets(self, team: str, method: str, channel: str | None, *, bulk: bool = False) -> list[tuple[tuple[str, ...], Limit]]:
        if method == POST_MESSAGE:
            buckets: list[tuple[tuple[str, ...], Limit | None]] = []
            if self._per_team is not None:
                team_limit = self._workspace(self._per_team)
                buckets.append((("team", team, method), team_limit))
                if bulk and self._reserve > 0:
                    buckets.append((("bulk", team, method), self._bulk(team_limit)))
            if channel:
                buckets.append((("channel", team, channel), self._per_channel))
            return [(key, limit) for key, limit in buckets if limit is not None]
        tier = self._method_tiers.get(method)
        limit = self._tiers.get(tier) if tier is not None else None
        return [(("method", team, method), self._workspace(limit))] if limit is not None else []

    @staticmethod
    def _pause_keys(team: str, method: str, channel: str | None) -> list[tuple[str, ...]]:
        return [("channel", team, channel or ""), ("method", team, method)]

    def _forget_past(self, now: float) -> None:
        """Drop buckets and pauses that are full or over again (channels come and go: the maps stay small)."""
        if len(self._next) + len(self._paused) < 4096:
            return
        self._paused = {k: v for k, v in self._paused.items() if v > now}
        self._next = {k: v for k, v in self._next.items() if v > now}


def _seconds(wait: float) -> float:
    """A wait to the microsecond (a bucket's schedule adds up float intervals): none when it is less than that."""
    return max(0.0, round(wait, 6))

"""Delivering answers to Slack: retried when Slack falters, accounted for when it cannot be done.

Answers to mentions and direct messages are posted after the event is acknowledged. The courier
keeps one queue per (team, channel), so a channel Slack is rate-limiting waits out its
``Retry-After`` without a thread sleeping on it and without delaying answers to any other
channel, while answers within one channel keep their order.

Each failure is classified (:func:`classify`):
- rate limited (429): the channel waits for ``Retry-After``;
- transient (HTTP 5xx, ``ok: false`` with a retryable error, a connection that failed before the
  request was sent): retried with exponential backoff, within a time budget;
- ambiguous (the connection broke after the request was sent — Slack may have posted it): not
  repeated, since a second post would be a duplicate; logged and counted as unconfirmed;
- permanent (any other ``ok: false``): not retried.
An answer that is not delivered is logged at ERROR with its team, user and event ids, counted,
and followed by an apology where one can reach the person.

The queues live in memory, so answers still queued when a process is killed are lost; the
durable outbox (with the check-ins work) takes this classification and policy over.
"""

from __future__ import annotations

import heapq
import http.client
import itertools
import logging
import random
import threading
import time
import urllib.error
from collections import Counter, deque
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, Callable, Mapping

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.runtime.logs import request_ids

log = logging.getLogger("ladder.deliveries")

RETRYABLE_ERRORS = frozenset(
    {"internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited", "rate_limited"}
)
"""``ok: false`` errors Slack documents as temporary."""
CHANNEL_UNUSABLE = frozenset(
    {"channel_not_found", "not_in_channel", "is_archived", "restricted_action", "cannot_reply_to_message"}
)
"""Errors after which an ephemeral apology in the same channel cannot arrive either: apologise by direct message."""


class Verdict(Enum):
    DELIVERED = "delivered"
    RATE_LIMITED = "rate_limited"
    TRANSIENT = "transient"
    AMBIGUOUS = "ambiguous"
    PERMANENT = "permanent"


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    error: str = ""
    retry_after: float | None = None


def classify(error: BaseException | None) -> Outcome:
    """What a failed Slack API call means for retrying it (``None``: it succeeded)."""
    if error is None:
        return Outcome(Verdict.DELIVERED)
    if isinstance(error, SlackApiError):
        response = error.response
        status = getattr(response, "status_code", 200)
        code = response.get("error", "") if hasattr(response, "get") else ""
        if status == 429:
            return Outcome(Verdict.RATE_LIMITED, "ratelimited", _retry_after(response))
        if status >= 500 or code in RETRYABLE_ERRORS:
            return Outcome(Verdict.TRANSIENT, code or f"http_{status}")
        return Outcome(Verdict.PERMANENT, code or f"http_{status}")
    if isinstance(error, urllib.error.URLError):  # urllib wraps failures to connect or to send, not to read the answer
        return Outcome(Verdict.TRANSIENT, f"connection: {type(error.reason).__name__}")
    if isinstance(error, (ConnectionError, TimeoutError, http.client.HTTPException, OSError)):
        return Outcome(Verdict.AMBIGUOUS, f"connection lost after sending: {type(error).__name__}")
    return Outcome(Verdict.PERMANENT, type(error).__name__)


def _retry_after(response: Any) -> float:
    headers = getattr(response, "headers", None) or {}
    raw = next((value for key, value in headers.items() if key.lower() == "retry-after"), None)
    if isinstance(raw, list):
        raw = raw[0] if raw else None
    try:
        return max(0.0, float(raw))
    except (TypeError, ValueError):
        return 1.0


@dataclass(frozen=True)
class Delivery:
    """One Web API call that must reach Slack: ``chat.postMessage`` or ``chat.postEphemeral`` and its arguments."""

    method: str
    args: Mapping[str, Any]
    team_id: str | None = None
    user_id: str | None = None
    event_id: str | None = None
    apology: Mapping[str, Any] | None = None
    """Message arguments (text, blocks) to send the person if this cannot be delivered; None for an apology itself."""
    attempts: int = 0
    first_try: float | None = None

    @property
    def channel(self) -> str:
        return str(self.args.get("channel") or "")

    def ids(self) -> dict[str, Any]:
        return {
            "team": self.team_id,
            "user": self.user_id,
            "event": self.event_id,
            "channel": self.channel,
            "method": self.method,
        }


@dataclass
class _Queues:
    pending: dict[tuple[str, str], deque[Delivery]] = field(default_factory=dict)
    ready: list[tuple[float, int, tuple[str, str]]] = field(default_factory=list)
    """Heap of (when, tie-breaker, channel) for channels with work and no worker on them."""
    busy: set[tuple[str, str]] = field(default_factory=set)


class Courier:
    def __init__(
        self,
        client_for: Callable[[str | None], WebClient],
        *,
        workers: int = 4,
        max_attempts: int = 100,
        budget_seconds: float = 900.0,
        base_backoff: float = 1.0,
        max_backoff: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client_for = client_for
        self._workers = workers
        self._max_attempts = max_attempts
        self._budget = budget_seconds
        self._base_backoff = base_backoff
        self._max_backoff = max_backoff
        self._clock = clock
        self._queues = _Queues()
        self._changed = threading.Condition(threading.RLock())
        self._threads: list[threading.Thread] = []
        self._closing = False
        self._tiebreak = itertools.count()
        self._jitter = random.Random()
        self.counts: Counter[str] = Counter()
        """delivered, retried, rate_limited, failed, unconfirmed, apologised — for this process since it started."""

    # -- the public side ----------------------------------------------------------------------

    def send(self, delivery: Delivery) -> None:
        with self._changed:
            if self._closing:
                self._count("failed")
                log.error(
                    "answer not delivered: the process is stopping", extra={**delivery.ids(), "attempts": delivery.attempts}
                )
                return
            self._start_workers()
            if delivery.first_try is None:
                delivery = replace(delivery, first_try=self._clock())
            key = (delivery.team_id or "", delivery.channel)
            queue = self._queues.pending.setdefault(key, deque())
            queue.append(delivery)
            if len(queue) == 1 and key not in self._queues.busy:
                self._schedule(key, self._clock())

    def pending(self) -> int:
        with self._changed:
            return sum(len(queue) for queue in self._queues.pending.values())

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is queued or being sent (tests, shutdown); False if time ran out."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._queues.pending or self._queues.busy:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._changed.wait(min(remaining, 0.05))
            return True

    def close(self, timeout: float) -> None:
        """Deliver what is ready within ``timeout`` seconds, then stop; what is left is logged as lost."""
        self.wait_idle(timeout)
        with self._changed:
            self._closing = True
            # a channel's head that a worker is sending right now is accounted for by that worker
            lost = [d for key, queue in self._queues.pending.items() for d in list(queue)[key in self._queues.busy :]]
            self._queues.pending.clear()
            self._changed.notify_all()
            for _ in lost:
                self._count("failed")
        for delivery in lost:
            log.error("answer not delivered: the process is stopping", extra={**delivery.ids(), "attempts": delivery.attempts})

    def _count(self, outcome: str) -> None:
        with self._changed:  # reentrant: callers may already hold it
            self.counts[outcome] += 1

    # -- the workers --------------------------------------------------------------------------

    def _start_workers(self) -> None:
        if not self._threads and self._workers:
            for number in range(self._workers):
                thread = threading.Thread(target=self._work, name=f"ladder-courier-{number}", daemon=True)
                thread.start()
                self._threads.append(thread)

    def _schedule(self, key: tuple[str, str], when: float) -> None:
        heapq.heappush(self._queues.ready, (when, next(self._tiebreak), key))
        self._changed.notify()

    def _work(self) -> None:
        while True:
            with self._changed:
                key = self._wait_for_due()
            if key is None:
                return
            self._deliver_head(key)

    def run_due(self) -> int:
        """Deliver, in this thread, everything due by the clock now; returns how many attempts were made.
        For a courier built with ``workers=0`` (tests drive it with a controlled clock)."""
        attempts = 0
        while True:
            with self._changed:
                key = self._pop_due()
            if key is None:
                return attempts
            self._deliver_head(key)
            attempts += 1

    def _pop_due(self) -> tuple[str, str] | None:
        ready = self._queues.ready
        if ready and ready[0][0] <= self._clock():
            return heapq.heappop(ready)[2]
        return None

    def _wait_for_due(self) -> tuple[str, str] | None:
        """Block until a channel's next delivery is due; None when closing."""
        while not self._closing:
            key = self._pop_due()
            if key is not None:
                return key
            wait = self._queues.ready[0][0] - self._clock() if self._queues.ready else 1.0
            self._changed.wait(min(max(wait, 0.001), 1.0))
        return None

    def _deliver_head(self, key: tuple[str, str]) -> None:
        """Attempt the oldest delivery of one channel; the channel is rescheduled for what remains."""
        with self._changed:
            queue = self._queues.pending.get(key)
            if not queue:
                return  # closed meanwhile: accounted for by close()
            delivery = queue[0]
            self._queues.busy.add(key)
        with request_ids(team=delivery.team_id, user=delivery.user_id, event=delivery.event_id):
            retry_at = self._attempt(delivery)
        with self._changed:
            self._queues.busy.discard(key)
            queue = self._queues.pending.get(key)
            if queue is not None:
                if retry_at is None:
                    queue.popleft()
                else:
                    queue[0] = replace(delivery, attempts=delivery.attempts + 1)
                if queue:
                    self._schedule(key, retry_at if retry_at is not None else self._clock())
                else:
                    del self._queues.pending[key]
            self._changed.notify_all()

    def _attempt(self, delivery: Delivery) -> float | None:
        """Try once; returns when to try again, or None when this delivery is finished (either way)."""
        error: BaseException | None = None
        try:
            self._client_for(delivery.team_id).api_call(delivery.method, json=dict(delivery.args))
        except Exception as exc:  # noqa: BLE001 - every failure is classified and accounted for below
            error = exc
        outcome = classify(error)
        if outcome.verdict is Verdict.DELIVERED:
            self._count("delivered")
            return None
        if outcome.verdict is Verdict.AMBIGUOUS:
            self._count("unconfirmed")
            log.warning(
                "answer delivery unconfirmed: the connection broke after Slack received it; not repeated, to avoid a duplicate",
                extra={**delivery.ids(), "error": outcome.error},
            )
            return None
        now = self._clock()
        if outcome.verdict in (Verdict.RATE_LIMITED, Verdict.TRANSIENT):
            delay = outcome.retry_after if outcome.retry_after is not None else self._backoff(delivery.attempts)
            spent = now - (delivery.first_try or now)
            if delivery.attempts + 1 < self._max_attempts and spent + delay <= self._budget:
                self._count("rate_limited" if outcome.verdict is Verdict.RATE_LIMITED else "retried")
                log.info(
                    "answer delivery will be retried",
                    extra={**delivery.ids(), "error": outcome.error, "retry_in_s": round(delay, 2)},
                )
                return now + delay
        self._give_up(delivery, outcome)
        return None

    def _backoff(self, attempts: int) -> float:
        return min(self._max_backoff, self._base_backoff * 2**attempts) * self._jitter.uniform(0.8, 1.2)

    def _give_up(self, delivery: Delivery, outcome: Outcome) -> None:
        self._count("failed")
        log.error(
            "answer not delivered",
            extra={**delivery.ids(), "error": outcome.error, "attempts": delivery.attempts + 1},
        )
        apology = _apology_for(delivery, outcome)
        if apology is not None:
            self._count("apologised")
            self.send(apology)


def _apology_for(delivery: Delivery, outcome: Outcome) -> Delivery | None:
    """An ephemeral note in the same channel or, where the channel itself is the problem, a direct message."""
    if delivery.apology is None or not delivery.user_id:
        return None
    if delivery.method == "chat.postMessage" and outcome.error not in CHANNEL_UNUSABLE:
        args = {"channel": delivery.channel, "user": delivery.user_id, **delivery.apology}
        if delivery.args.get("thread_ts"):
            args["thread_ts"] = delivery.args["thread_ts"]
        return Delivery("chat.postEphemeral", args, delivery.team_id, delivery.user_id, delivery.event_id)
    if delivery.channel != delivery.user_id:
        args = {"channel": delivery.user_id, **delivery.apology}
        return Delivery("chat.postMessage", args, delivery.team_id, delivery.user_id, delivery.event_id)
    return None

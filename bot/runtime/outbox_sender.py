"""Sends what the outbox holds: each message exactly once, paced to Slack, retried while Slack falters.

- Claimed in a transaction before sending (``pending → sending``), marked ``sent`` with Slack's ``ts``.
- Paced to Slack's published limits (:mod:`bot.runtime.pacing`) without sleeping: a message whose bucket is empty goes
  back to the outbox (no attempt) until its slot, and the thread moves on. A 429 pauses only what Slack limited (the
  channel under chat.postMessage, else the team's method) for ``Retry-After``, for every thread of the process.
- Claimed urgent kinds first (someone is waiting), teams taking turns; ``Settings.senders`` threads per process.
- HTTP 5xx, retryable errors, failed connections: back to pending with exponential backoff and jitter,
  ``failed`` after MAX_ATTEMPTS.
- Anything else Slack refuses (``channel_not_found``, ``user_disabled``, ``invalid_blocks``): ``failed``
  with the reason, logged at ERROR, shown to admins on their Home tab and by ``ladder outbox failed``.
- A message that may have reached Slack without an answer (a broken connection, a process killed
  mid-send) is sent again only after Slack's history of that conversation shows it did not arrive:
  every post carries its outbox key as message metadata.
- A message for a person in Do Not Disturb waits until DND ends (asked once per person per day: :mod:`bot.runtime.dnd`).
- Immediately before posting, the sender checks the message is still its claim (another sender takes over only a claim
  that outlived its lease) and that it may still send (the clock that runs it still holds its lease); if not, it does
  not post.
- Each row is composed when it is sent, by its kind (:mod:`bot.runtime.message_kinds`), and sent by the Web API method
  the kind composed: chat.postMessage, chat.postEphemeral, chat.update, views.publish or files_upload_v2. A kind that
  failed for good and is declared ``apology=True`` (an answer) has an apology written to the outbox with its failure.
- A thread reply waits for the message it replies to.
- Nothing goes to a tenant that is inactive (uninstalled, its bot token revoked): the outbox does not claim its messages
  (:meth:`Outbox.claim_due`), and a message claimed before it became inactive goes back as it was, no attempt — the
  sender asks ``active`` (the tenancy's cached answer) before any Web API call for it (DND, conversations, the post),
  and the statement that marks a message as being posted checks the tenant's row once more. A call Slack refuses because
  the token is gone (``token_revoked``, ``account_inactive``, ``invalid_auth``) holds the message too: it waits for the
  event that marks the tenant inactive, or for a new token, rather than failing.
- Each process running senders keeps a heartbeat row in the database (every HEARTBEAT_EVERY, by the database's clock:
  :mod:`storage.repositories.sender_heartbeats`); the processes seen within LIVE_WITHIN share each workspace's limits,
  so N processes together keep to Slack's rate (:meth:`Pacer.shared_by`). A process whose senders stop deletes its row.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
import uuid
from datetime import datetime, timedelta
from typing import Any, Callable, Collection, Iterator

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from sqlmodel import Session

from bot.runtime.dnd import TEAM_INFO_USERS, DndCache, DndWindow
from bot.runtime.logs import request_ids
from bot.runtime.message_kinds import KINDS, Composer, Gone, Refused, kind_of, log_ids, urgent_kinds
from bot.runtime.pacing import Pacer
from bot.runtime.slack_failures import CHANNEL_UNUSABLE, Verdict, classify
from handlers.slack_lookups import channel_members
from messages.kinds import Composed, Ephemeral, Post, Publish, Update, Upload
from messages.panels import FileUpload
from messages.question_kinds import APOLOGY
from storage.models import OutboxMessage
from storage.repositories.outbox import (
    FAILED,
    HELD,
    PENDING,
    POSTING,
    SENDING,
    SENT,
    SKIPPED,
    STALE,
    TAKE_BACK,
    UNINSTALLED,
    Claimed,
    Outbox,
    last_served,
)
from storage.repositories.sender_heartbeats import SenderHeartbeats
from storage.unit_of_work import unit_of_work

log = logging.getLogger("ladder.outbox")

METADATA_TYPE = "ladder_outbox"
MAX_ATTEMPTS = 8
BASE_BACKOFF = timedelta(seconds=5)
MAX_BACKOFF = timedelta(minutes=15)
CLAIM_LEASE = timedelta(seconds=30)
"""A claim older than this belongs to a sender that died (by default as long as the clock's lease: a sender runs
only while its clock holds that). A live sender settles each claim within seconds: it claims small batches, posts a
message only while its claim has half its lease to run, and each of its Slack calls times out well within that
(:func:`call_timeout`)."""
HISTORY_DEPTH = 100
THREAD_PAGES = 50
"""A thread's replies are read this many pages of HISTORY_DEPTH at most: a digest's thread holds one reply per nomination."""
PARENT_WAIT = timedelta(seconds=2)
"""How long a thread reply waits before looking again for the message it replies to."""
DND_LOOKAHEAD = timedelta(minutes=10)
"""How far ahead a batch's dnd.teamInfo call also asks about people whose messages fall due next."""
BULK_HORIZON = 0.0
"""Seconds ahead a fan-out message may keep a slot in its buckets (none: a team's fan-out is claimed only as far as its
buckets allow now, the rest left in the outbox), so a message someone is waiting for never queues behind reserved
fan-out, and a slot is never kept for a message that older ones keep from being claimed in time."""
HEARTBEAT_EVERY = 5.0
"""Seconds between a sending process's heartbeats (one statement batch per process, not per message)."""
TOKEN_GONE = frozenset({"token_revoked", "account_inactive", "invalid_auth", "not_authed", "team_access_not_granted"})
"""Errors that say the tenant's token no longer works: its messages are held, not failed (an uninstall or a revocation
is on its way as an event; a reinstall brings a new token)."""
HOLD_RECHECK = timedelta(minutes=1)
"""How long a message held for a token that stopped working (or a tenant with no client) waits before it is tried again."""
LIVE_WITHIN = timedelta(seconds=3 * HEARTBEAT_EVERY)
"""A process seen within this (three heartbeats, by the database's clock) is live and has its share of each workspace's
limits; a process that died stops counting this long after its last beat."""


def call_timeout(claim_lease: timedelta) -> int:
    """Whole seconds a sender's Slack call may take: a third of the claim's lease, at most 10 (at least 1). A message is posted only while
    half its claim's lease is left (:meth:`Outbox.start_posting`), so the call has ended — answered or given up on —
    before another sender may take the claim over and look for the message in Slack."""
    return max(1, min(10, int(claim_lease.total_seconds() / 3)))


class OutboxSender:
    def __init__(
        self,
        engine: Engine,
        client_for: Callable[[str], WebClient],
        composer: Composer,
        now: Callable[[], datetime],
        *,
        batch: int = 25,
        claim_lease: timedelta = CLAIM_LEASE,
        urgent: Collection[str] | None = None,
        pacer: Pacer | None = None,
        active: Callable[[str], bool] | None = None,
        forget: Callable[[str], None] | None = None,
    ) -> None:
        self._claim_lease = claim_lease
        self._active = active or (lambda _tenant: True)
        """Whether a tenant is active now (the tenancy's cached answer): no Web API call is made for one that is not."""
        self._forget = forget or (lambda _tenant: None)
        """Drop what is cached of a tenant's bot (its token stopped working): the tenancy's ``forget``."""
        self._urgent = frozenset(urgent_kinds() if urgent is None else urgent)
        """The kinds someone is waiting for: claimed before the fan-out."""
        self.pacer = pacer or Pacer(lambda: self._now().timestamp())
        """Slack's limits as this process keeps to them (a benchmark against an unlimited fake replaces it)."""
        self._kept: set[int] = set()
        """Messages put back until a slot the pacer keeps for them: they go then without asking it again."""
        self._dnd = DndCache()
        self._lock = threading.Lock()
        self._after_team: str | None = None
        """The team this process's last claim ended its round of teams with: the next claim starts after it."""
        self._in_hand: dict[str, int] = {}
        """Messages per team this process's threads claimed and have not handled yet: not claimed again for a bucket."""
        self._engine = engine
        self._client_for = client_for
        self._composer = composer
        self._now = now
        self._batch = batch
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._local = threading.local()
        """Each thread's ``allowed`` (:meth:`run_forever`): the clock's threads send only while its lease holds."""
        self._bot_user: dict[str, str] = {}
        """Ladder's own user id in each team (auth.test, once): not a reader of the channels it posts in."""
        self._jitter = random.Random()
        self._process: str | None = None
        """This process's heartbeat row (host, pid and a random part), named at its first beat (after any fork)."""
        self._beating = threading.Lock()
        self._last_beat: float | None = None
        self._running = 0
        """Threads in :meth:`run_forever`: the last to leave deletes the heartbeat row."""
        self.counts: dict[str, int] = {
            "sent": 0,
            "failed": 0,
            "retried": 0,
            "rate_limited": 0,
            "deferred": 0,
            "recovered": 0,
            "skipped": 0,
            "apologised": 0,
            "paced": 0,
            "dnd_lookups": 0,
            "held": 0,
        }

    # -- running ---------------------------------------------------------------------------------------

    def wake(self) -> None:
        """Something was just enqueued: look now rather than at the next poll."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def restart(self) -> None:
        """Ready to run again after :meth:`stop` (a clock that lost its lease and took it back)."""
        self._stop.clear()

    def start(self, threads: int, *, allowed: Callable[[], bool] | None = None, poll_seconds: float = 1.0) -> None:
        """Send from ``threads`` threads of this process until :meth:`stop`; they share this sender's pacing, its
        pauses after a 429 and its DND answers, and each claims its own batches from the one outbox."""
        started = [
            threading.Thread(
                target=self.run_forever,
                args=(poll_seconds,),
                kwargs={"allowed": allowed},
                name=f"outbox-sender-{i}",
                daemon=True,
            )
            for i in range(threads)
        ]
        self._threads = [t for t in self._threads if t.is_alive()] + started
        for thread in started:
            thread.start()

    def join(self, timeout: float) -> bool:
        """Wait up to ``timeout`` s in all for the threads :meth:`start` started to end (after :meth:`stop`: each settles
        or gives back what it claimed); True when none is left running."""
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(max(0.0, deadline - time.monotonic()))
        self._threads = [t for t in self._threads if t.is_alive()]
        return not self._threads

    def _allowed(self) -> bool:
        allowed: Callable[[], bool] | None = getattr(self._local, "allowed", None)
        return allowed is None or allowed()

    def run_forever(self, poll_seconds: float = 1.0, *, allowed: Callable[[], bool] | None = None) -> None:
        """Send until stopped; with ``allowed``, only while it says so (checked before each claim and each post)."""
        self._local.allowed = allowed
        with self._beating:
            self._running += 1
        try:
            while not self._stop.is_set():
                try:
                    if self._allowed():  # the clock's threads beat only while its lease holds
                        self._heartbeat_if_due()
                    handled = self.run_once()
                except Exception:  # noqa: BLE001 - a database hiccup must not end the sender; the next round retries
                    log.exception("outbox round failed")
                    handled = 0
                if not handled:
                    self._wake.wait(min(poll_seconds, self.pacer.soonest() or poll_seconds))
                    self._wake.clear()
        finally:
            self._local.allowed = None
            with self._beating:
                self._running -= 1
                last = self._running == 0
            if last:
                self.stop_beating()

    # -- sharing Slack's limits with the other sending processes ------------------------------------------

    def heartbeat(self) -> int:
        """Say in the database that this process sends, count the live sending processes (this one included) and pace
        each workspace to its share of Slack's limits; returns that count."""
        if self._process is None:
            self._process = f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        with unit_of_work(self._engine) as work:
            live = SenderHeartbeats(work.session).beat(self._process, live_within=LIVE_WITHIN)
        if live != self.pacer.senders:
            log.info("sending processes changed; each paces a workspace to its share", extra={"processes": live})
        self.pacer.shared_by(live)
        return live

    def stop_beating(self) -> None:
        """This process sends no more: its heartbeat row goes (the others take its share at their next beat)."""
        with self._beating:
            process, self._process, self._last_beat = self._process, None, None
        if process is None:
            return
        try:
            with unit_of_work(self._engine) as work:
                SenderHeartbeats(work.session).stop(process)
        except Exception:  # noqa: BLE001 - the row ages out by itself
            log.warning("could not delete this process's sender heartbeat", exc_info=True)

    def _heartbeat_if_due(self) -> None:
        """One thread of the process beats every HEARTBEAT_EVERY s; the others go on sending meanwhile."""
        now = time.monotonic()
        if self._last_beat is not None and now - self._last_beat < HEARTBEAT_EVERY:
            return
        if not self._beating.acquire(blocking=False):
            return
        try:
            if self._last_beat is not None and now - self._last_beat < HEARTBEAT_EVERY:
                return
            self._last_beat = now
        finally:
            self._beating.release()
        try:
            self.heartbeat()
        except Exception:  # noqa: BLE001 - keep the last share; the next beat tries again
            log.warning("sender heartbeat failed", exc_info=True)

    def run_once(self) -> int:
        """Claim and send one batch of due messages; returns how many were handled."""
        if not self._allowed():
            return 0
        with self._lock:  # what this process's other threads claimed (or are claiming) and have not handled is spoken for
            allowed = self.pacer.allowances(BULK_HORIZON).items()
            caps = {
                team: max(0, n - self._in_hand.get(team, 0))
                for team, n in allowed
                if n - self._in_hand.get(team, 0) < self._batch
            }
            for team, n in caps.items():
                self._in_hand[team] = self._in_hand.get(team, 0) + n
            after_team = self._after_team
        try:
            with unit_of_work(self._engine) as work:
                claimed = Outbox(work.session).claim_due(
                    self._now(), limit=self._batch, lease=self._claim_lease, urgent=self._urgent, caps=caps, after_team=after_team
                )
        finally:
            with self._lock:
                for team, n in caps.items():
                    self._in_hand[team] -= n
        with self._lock:
            for message in claimed:
                self._in_hand[message.team_id] = self._in_hand.get(message.team_id, 0) + 1
            self._after_team = last_served((m.team_id for m in claimed), after_team)
        try:
            self._look_up_dnd(claimed)
        except Exception:  # noqa: BLE001 - a courtesy: each message asks for itself if this failed
            log.exception("DND lookup for the batch failed")
        for message in claimed:
            if self._stop.is_set() or not self._allowed():
                with self._lock:
                    self._in_hand[message.team_id] -= 1
                self._release(message, self._now(), None, attempted=False)
                continue
            try:
                self._handle(message)
            except Exception as exc:  # noqa: BLE001 - one message's bug must not strand the rest of the batch
                log.exception("outbox message could not be handled", extra={"key": message.key})
                self._retry(message, f"{type(exc).__name__} in Ladder")
            finally:
                with self._lock:
                    self._in_hand[message.team_id] -= 1
        return len(claimed)

    def drain(self, max_rounds: int = 1000) -> int:
        """Send everything due now (tests, the benchmark, shutdown); returns how many were handled."""
        total = 0
        for _ in range(max_rounds):
            handled = self.run_once()
            total += handled
            if not handled:
                break
        return total

    # -- one message -----------------------------------------------------------------------------------

    def _handle(self, message: Claimed) -> None:
        with request_ids(**log_ids(message.team_id, message.recipient, message.payload)):
            if not self._active(message.team_id):
                self._hold(message)
                return
            try:
                client = self._client_for(message.team_id)
            except Exception:  # noqa: BLE001 - no installation to send with (yet): the message waits, no attempt
                log.warning("no Slack client for the tenant; message held", extra={"key": message.key}, exc_info=True)
                self._hold(message, self._now() + HOLD_RECHECK)
                return
            if message.payload.get("message") == TAKE_BACK:
                self._take_back(client, message)
                return
            if message.respect_dnd and _is_user(message.recipient):
                until = self._dnd_until(client, message)
                if until is not None:
                    self.counts["deferred"] += 1
                    self._release(message, until, None, attempted=False)
                    return
            if message.recovered:
                if not self._may_look_up(message, "conversations.history"):
                    return
                try:
                    found = self._already_delivered(client, message)
                except Exception as exc:  # noqa: BLE001 - cannot tell: try again later, never risk a duplicate
                    outcome = classify(exc)
                    if outcome.verdict is Verdict.RATE_LIMITED:
                        self._rate_limited(message, "conversations.history", None, outcome.retry_after)
                    elif outcome.error in TOKEN_GONE:  # its mark stays: it is looked for again before it is sent
                        self._token_gone(message, None)
                    else:
                        self._retry(message, f"history: {outcome.error}")
                    return
                if found is not None:
                    self.counts["recovered"] += 1
                    self._finish(message, found[:2], file_id=found[2])
                    return
            self._send(client, message)

    def _send(self, client: WebClient, message: Claimed) -> None:
        """Compose the message by its kind (:mod:`bot.runtime.message_kinds`), then make the Web API call it says."""
        try:
            kind = kind_of(message.payload.get("message"))
        except Gone as gone:
            self._skip(message, gone)
            return
        audience = None
        if kind.audience and not _is_user(message.recipient):
            audience = self._audience(client, message)
            if audience is None:
                return
        try:
            with unit_of_work(self._engine, reads_only=True) as work:
                composed = self._composer.compose(
                    work.session, message.team_id, message.recipient, message.payload, audience, client, self._engine
                )
        except Gone as gone:
            self._skip(message, gone)
            return
        except Refused as refused:
            self._fail(message, f"refused: {refused}")
            return
        where = self._thread_of(message)
        if where is None or not self._paced(message, composed) or not self._may_post(message):
            return
        try:
            answer = self._call(client, message, composed, where)
        except Exception as exc:  # noqa: BLE001 - classified below
            outcome = classify(exc)
            if outcome.verdict is Verdict.RATE_LIMITED:
                # Slack refused this very post, so it never arrived: the mark that it might have goes
                self._rate_limited(message, composed.method, _pace_channel(composed, message), outcome.retry_after, "ratelimited")
            elif outcome.error in TOKEN_GONE:
                self._token_gone(message, outcome.error)
            elif outcome.verdict in (Verdict.TRANSIENT, Verdict.AMBIGUOUS):
                self._retry(message, outcome.error)
            else:
                self._fail(message, outcome.error)
            return
        self._finish(message, (answer.get("ts"), answer.get("channel")), file_id=answer.get("file_id"))

    def _call(self, client: WebClient, message: Claimed, composed: Composed, where: dict[str, str]) -> dict[str, Any]:
        """The Web API call ``composed`` needs (its ``method``); returns where it landed: ``ts``, ``channel``, ``file_id``."""
        match composed:
            case Post(message=posted, channel=channel, thread_ts=thread_ts):
                answer = client.chat_postMessage(
                    channel=channel or message.recipient,
                    metadata={"event_type": METADATA_TYPE, "event_payload": {"key": message.key}},
                    unfurl_links=False,
                    thread_ts=thread_ts or where.get("thread_ts"),
                    **posted.as_kwargs(),
                )
                return {"ts": answer.get("ts"), "channel": answer.get("channel")}
            case Ephemeral(message=shown, channel=channel, user=user, thread_ts=thread_ts):
                client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, **shown.as_kwargs())
                return {"ts": None, "channel": channel}
            case Update(message=replacement, channel=channel, ts=ts):
                client.chat_update(channel=channel, ts=ts, **replacement.as_kwargs())
                return {"ts": ts, "channel": channel}
            case Publish(user=user, view=view):
                client.views_publish(user_id=user, view=view)
                return {"ts": None, "channel": None}
            case Upload(file=document):
                return self._upload(client, message, document, where)
        raise TypeError(f"no Web API method for {type(composed).__name__}")

    def _skip(self, message: Claimed, gone: Gone) -> None:
        log.info("outbox message not sent: %s", gone, extra={"key": message.key})
        with unit_of_work(self._engine) as work:
            Outbox(work.session).mark_failed(message, f"not sent: {gone}", status=SKIPPED)
        self.counts["skipped"] += 1

    def _thread_of(self, message: Claimed) -> dict[str, str] | None:
        """``{"thread_ts": …}`` when the message is a reply in the thread of another outbox message ({} when it is not);
        None when that parent is not sent yet (the reply waits) or never will be (the reply fails)."""
        parent_key = (message.payload.get("context") or {}).get("thread_of")
        if not parent_key:
            return {}
        with unit_of_work(self._engine, reads_only=True) as work:
            parent = Outbox(work.session).by_key(message.team_id, str(parent_key))
            state = (parent.status, parent.ts) if parent is not None else (None, None)
        if state[0] == SENT and state[1]:
            return {"thread_ts": str(state[1])}
        if state[0] in (PENDING, SENDING):
            self.counts["deferred"] += 1
            self._release(message, self._now() + PARENT_WAIT, None, attempted=False)
            return None
        self._fail(message, "the message it replies to was not sent")
        return None

    def _upload(self, client: WebClient, message: Claimed, document: FileUpload, where: dict[str, str]) -> dict[str, Any]:
        """A document shared in a person's direct conversation with Ladder (files_upload_v2): the conversation and the
        file Slack stored, which is what is deleted if they may no longer read it."""
        channel = message.recipient
        if _is_user(channel):
            channel = client.conversations_open(users=channel)["channel"]["id"]
        answer = client.files_upload_v2(
            channel=channel, content=document.content, filename=document.filename, title=document.title,
            initial_comment=document.comment or None, alt_txt=document.alt_text or None, thread_ts=where.get("thread_ts"),
        )  # fmt: skip
        return {"ts": None, "channel": channel, "file_id": (answer.get("file") or {}).get("id")}

    def _audience(self, client: WebClient, message: Claimed) -> frozenset[str] | None:
        """Everyone in the channel a message is for (Ladder aside), asked of Slack just before it is posted; None when
        Slack cannot say now (the message is retried, or failed with the reason)."""
        if not self._may_look_up(message, "conversations.members"):
            return None
        try:
            me = self._bot_user.get(message.team_id) or str(client.auth_test().get("user_id") or "")
            self._bot_user[message.team_id] = me
            return frozenset(channel_members(client, message.recipient, me=me))
        except Exception as exc:  # noqa: BLE001 - classified below
            outcome = classify(exc)
            if outcome.verdict is Verdict.RATE_LIMITED:
                self._rate_limited(message, "conversations.members", None, outcome.retry_after)
            elif outcome.error in TOKEN_GONE:
                self._token_gone(message, outcome.error)
            elif outcome.verdict in (Verdict.TRANSIENT, Verdict.AMBIGUOUS):
                self._retry(message, f"channel members: {outcome.error}")
            else:
                self._fail(message, f"cannot see who is in {message.recipient} ({outcome.error}): invite Ladder to it")
            return None

    def _take_back(self, client: WebClient, message: Claimed) -> None:
        """Take back what an earlier message gave someone who may no longer read it: its document deleted, its message
        revised to what they may read now (deleted when that is nothing). Waits while that message is still on its way."""
        of = str((message.payload.get("context") or {}).get("of") or "")
        with unit_of_work(self._engine, reads_only=True) as work:
            target = Outbox(work.session).by_key(message.team_id, of)
        if target is None or target.status in (SKIPPED, FAILED):
            self._finish(message, (None, None))
            return
        if target.status != SENT:  # still on its way: the composer re-checks it when it goes, but look again after
            self._release(message, self._now() + PARENT_WAIT, None, attempted=False)
            return
        if not self._may_post(message):
            return
        try:
            if target.file_id:
                self._delete_file(client, target.file_id)
            elif target.ts and target.channel:
                self._revise(client, message.team_id, target)
        except Exception as exc:  # noqa: BLE001 - classified below
            outcome = classify(exc)
            if outcome.verdict is Verdict.RATE_LIMITED:
                self._rate_limited(message, "files.delete" if target.file_id else "chat.update", None, outcome.retry_after)
            elif outcome.error in TOKEN_GONE:
                self._token_gone(message, outcome.error)
            elif outcome.verdict in (Verdict.TRANSIENT, Verdict.AMBIGUOUS):
                self._retry(message, outcome.error)
            else:
                self._fail(message, outcome.error)
            return
        self._finish(message, (None, None))

    @staticmethod
    def _delete_file(client: WebClient, file_id: str) -> None:
        try:
            client.files_delete(file=file_id)
        except SlackApiError as exc:
            if exc.response.get("error") != "file_not_found":  # deleted already: taken back
                raise

    def _revise(self, client: WebClient, team_id: str, target: OutboxMessage) -> None:
        assert target.ts is not None and target.channel is not None
        try:
            with unit_of_work(self._engine, reads_only=True) as work:
                rendered = self._composer.compose(work.session, team_id, target.recipient, target.payload)
        except (Gone, Refused):
            try:
                client.chat_delete(channel=target.channel, ts=target.ts)
            except SlackApiError as exc:
                if exc.response.get("error") != "message_not_found":
                    raise
            return
        if isinstance(rendered, Post):
            client.chat_update(channel=target.channel, ts=target.ts, **rendered.message.as_kwargs())

    def _may_post(self, message: Claimed) -> bool:
        """Checked immediately before a message goes to Slack: this sender may still send, the message is still its
        claim, young enough that no other sender takes it over meanwhile, and its tenant is active. A message it may not
        post now goes back to the outbox as no attempt; one another sender took over is left to that sender."""
        if not self._active(message.team_id):
            self._hold(message)
            return False
        if self._stop.is_set() or not self._allowed():
            self._release(message, self._now(), None, attempted=False)
            return False
        with unit_of_work(self._engine) as work:
            state = Outbox(work.session).start_posting(message, lease=self._claim_lease)
        if state == HELD:
            return True
        if state == UNINSTALLED:
            self._hold(message)
        elif state == STALE:
            self._release(message, self._now(), None, attempted=False)
        else:
            log.warning("outbox message taken over by another sender; not posted by this one", extra={"key": message.key})
        return False

    # -- pacing ------------------------------------------------------------------------------------------

    def _paced(self, message: Claimed, composed: Composed) -> bool:
        """Whether the call may go now under Slack's limits (:class:`Pacer`); if not, the message goes back to the outbox
        (no attempt) until its slot, and this thread moves on. A fan-out message keeps a slot only a little ahead."""
        with self._lock:
            kept = message.id in self._kept
            self._kept.discard(message.id)
        wait, keeps = self.pacer.ask(
            message.team_id, composed.method, _pace_channel(composed, message),
            horizon=None if message.urgent else BULK_HORIZON, kept=kept, bulk=not message.urgent,
        )  # fmt: skip
        if wait <= 0:
            return True
        if keeps:
            with self._lock:
                if len(self._kept) > 100_000:  # kept slots of messages another process sent since: forget them
                    self._kept.clear()
                self._kept.add(message.id)
        self.counts["paced"] += 1
        self._release(message, self._now() + timedelta(seconds=wait), None, attempted=False)
        return False

    def _may_look_up(self, message: Claimed, method: str) -> bool:
        """Whether a look-up this message needs first (a channel's members, a conversation's history) may go now under
        its method's limit; if not, the message goes back to the outbox (no attempt) until it may."""
        wait, _ = self.pacer.ask(message.team_id, method, horizon=0.0)
        if wait <= 0:
            return True
        self.counts["paced"] += 1
        self._release(message, self._now() + timedelta(seconds=wait), None, attempted=False)
        return False

    def _rate_limited(
        self, message: Claimed, method: str, channel: str | None, retry_after: float | None, reason: str | None = None
    ) -> None:
        """Slack answered 429: what it limited (the channel under chat.postMessage, else the team's method) pauses for
        ``Retry-After`` in every thread of this process; this message goes back until then (no attempt), with ``reason``
        as its error if given (else its error stays: an earlier attempt that may have arrived is still looked for)."""
        self.counts["rate_limited"] += 1
        seconds = max(retry_after or 1.0, 0.5)
        self.pacer.limited(message.team_id, method, channel, seconds)  # when it is back it asks for a slot again
        self._release(message, self._now() + timedelta(seconds=seconds), reason, attempted=False)

    # -- outcomes ----------------------------------------------------------------------------------------

    def _finish(self, message: Claimed, where: tuple[str | None, str | None], *, file_id: str | None = None) -> None:
        with unit_of_work(self._engine) as work:
            Outbox(work.session).mark_sent(message, ts=where[0], channel=where[1], now=self._now(), file_id=file_id)
        self.counts["sent"] += 1

    def _retry(self, message: Claimed, reason: str) -> None:
        if message.attempts >= MAX_ATTEMPTS:
            self._fail(message, f"gave up after {message.attempts} attempts: {reason}")
            return
        backoff = min(BASE_BACKOFF * (2 ** (message.attempts - 1)), MAX_BACKOFF) * (0.5 + self._jitter.random())
        self.counts["retried"] += 1
        log.warning("outbox message will be retried", extra={"key": message.key, "attempts": message.attempts, "reason": reason})
        self._release(message, self._now() + backoff, reason)

    def _fail(self, message: Claimed, reason: str) -> None:
        with unit_of_work(self._engine) as work:
            Outbox(work.session).mark_failed(message, reason)
            apologised = self._apologise(work.session, message, reason)
        self.counts["failed"] += 1
        if apologised:
            self.counts["apologised"] += 1
        log.error("outbox message failed for good", extra={"key": message.key, "reason": reason, "attempts": message.attempts})

    def _apologise(self, session: Session, message: Claimed, reason: str) -> bool:
        """A kind declared ``apology=True`` (an answer) that failed for good: the asker is told, through the outbox too —
        in the channel they asked in (ephemeral, in the thread), or by direct message when that channel is the problem or
        was their own conversation. True when an apology was written."""
        kind = KINDS.get(str(message.payload.get("message")))
        context = message.payload.get("context") or {}
        asker = context.get("asker")
        if kind is None or not kind.apology or not isinstance(asker, str) or not asker:
            return False
        channel = str(context.get("channel") or message.recipient)
        in_channel = channel[:1] in ("C", "G") and not any(code in reason for code in CHANNEL_UNUSABLE)
        apology = {"asker": asker, "channel": channel, "thread_ts": context.get("thread_ts"), "ephemeral": in_channel}
        return Outbox(session).enqueue(
            message.team_id, f"{message.key}:apology", APOLOGY, channel if in_channel else asker, apology, due_at=self._now()
        )

    def _token_gone(self, message: Claimed, reason: str | None) -> None:
        """Slack says the tenant's token no longer works: what this process knows of the tenant's bot is forgotten (a
        reinstall's new token is read from the store at the next try), and the message held until then."""
        self._forget(message.team_id)
        self._hold(message, self._now() + HOLD_RECHECK, reason=reason)

    def _hold(self, message: Claimed, until: datetime | None = None, *, reason: str | None = None) -> None:
        """Its tenant is inactive (or its token stopped working): back to pending as no attempt, due when it was (so it
        keeps its place) unless ``until``; the outbox claims it again once the tenant is active."""
        self.counts["held"] += 1
        log.info("outbox message held: its workspace is not installed", extra={"key": message.key, "reason": reason})
        self._release(message, until or message.due_at or self._now(), reason, attempted=False)

    def _release(self, message: Claimed, due_at: datetime, reason: str | None, *, attempted: bool = True) -> None:
        with unit_of_work(self._engine) as work:
            Outbox(work.session).release(message, due_at=due_at, reason=reason, attempted=attempted)

    # -- Slack lookups -----------------------------------------------------------------------------------

    def _dnd_until(self, client: WebClient, message: Claimed) -> datetime | None:
        """When the person's Do Not Disturb ends, if they are in it now; None to send now (also when Slack cannot say).
        Slack is asked once per person per day (:class:`DndCache`), by the batch's dnd.teamInfo when it could."""
        now = self._now()
        window = self._dnd.get(message.team_id, message.recipient, now)
        if window is None:
            answer = self._ask_dnd(client, message.team_id, [message.recipient])
            if isinstance(answer, float):  # not asked: the lookup's own limit; the message waits until it may ask
                return now + timedelta(seconds=answer)
            window = answer.get(message.recipient)
        until = window.until(now.timestamp()) if window is not None else None
        return datetime.fromtimestamp(until, tz=now.tzinfo) if until else None

    def _look_up_dnd(self, claimed: list[Claimed]) -> None:
        """Ask Slack once about everyone in this batch whose prompt waits out their DND and who was not asked about today
        (dnd.teamInfo, many people a call); one person alone is asked by dnd.info when their message is handled."""
        waiting: dict[str, list[str]] = {}
        for message in claimed:
            if message.respect_dnd and _is_user(message.recipient):
                waiting.setdefault(message.team_id, []).append(message.recipient)
        for team_id, users in waiting.items():
            if not self._active(team_id):
                continue  # each of its messages is held when it is handled
            now = self._now()
            unknown = self._dnd.unknown(team_id, users, now)
            if not unknown:
                continue
            if len(unknown) < TEAM_INFO_USERS:  # and those due next, so one call serves the next batches too
                with unit_of_work(self._engine, reads_only=True) as work:
                    soon = Outbox(work.session).waiting_on_dnd(team_id, due_by=now + DND_LOOKAHEAD, limit=TEAM_INFO_USERS)
                unknown = self._dnd.unknown(team_id, unknown + [u for u in soon if _is_user(u)], now)[:TEAM_INFO_USERS]
            if len(unknown) > 1:
                self._ask_dnd(self._client_for(team_id), team_id, unknown)

    def _ask_dnd(self, client: WebClient, team_id: str, users: list[str]) -> dict[str, DndWindow] | float:
        """What Slack says of these people's DND (dnd.info for one, dnd.teamInfo for several), kept for the day; {} when
        it cannot say (the message goes: DND is a courtesy, never a reason to hold a message); the seconds until it may
        be asked when the method's bucket is empty now."""
        method = "dnd.info" if len(users) == 1 else "dnd.teamInfo"
        wait, _ = self.pacer.ask(team_id, method, horizon=0.0)
        if wait > 0:
            return wait
        try:
            self.counts["dnd_lookups"] += 1
            if len(users) == 1:
                windows = {users[0]: DndWindow.of(client.dnd_info(user=users[0]).data)}  # type: ignore[arg-type]  # SlackResponse.data is dict | bytes; a JSON method's is a dict
            else:
                answer = client.dnd_teamInfo(users=",".join(users)).get("users") or {}
                windows = {user: DndWindow.of(answer[user]) for user in users if isinstance(answer.get(user), dict)}
        except Exception as exc:  # noqa: BLE001 - DND is a courtesy: never hold a message because the lookup failed
            outcome = classify(exc)
            if outcome.verdict is Verdict.RATE_LIMITED:
                self.pacer.limited(team_id, method, None, outcome.retry_after or 1.0)
            log.info(f"{method} failed; sending anyway", extra={"error": outcome.error})
            return {}
        now = self._now()
        for user, window in windows.items():
            self._dnd.put(team_id, user, now, window)
        return windows

    def _already_delivered(self, client: WebClient, message: Claimed) -> tuple[str | None, str | None, str | None] | None:
        """Whether an earlier attempt reached Slack: its conversation shows a message carrying this key (or the document's
        file) — in the history, or for a reply, in its thread: where it is, and the file's id for a document. An earlier
        attempt Slack answered with a failure (or that never reached it) is not looked for. Where Ladder may not read the
        conversation (a public channel: it asks for no channels:history), an attempt that may have arrived is not
        repeated: it counts as delivered, unconfirmed, rather than risk a duplicate."""
        if not self._may_have_arrived(message):
            return None
        channel = message.recipient
        if _is_user(channel):
            channel = client.conversations_open(users=channel)["channel"]["id"]
        parent = self._parent_ts(message)
        filename = (message.payload.get("context") or {}).get("filename")
        try:
            found = list(self._posted(client, channel, parent))
        except SlackApiError as exc:
            if exc.response.get("error") != "missing_scope":
                raise
            self.counts["unconfirmed"] = self.counts.get("unconfirmed", 0) + 1
            log.warning(
                "delivery unconfirmed: an earlier attempt may have reached Slack, which Ladder may not read here; "
                "not repeated, to avoid a duplicate",
                extra={"key": message.key},
            )
            return None, channel, None
        for posted in found:
            meta: dict[str, Any] = posted.get("metadata") or {}
            if meta.get("event_type") == METADATA_TYPE and (meta.get("event_payload") or {}).get("key") == message.key:
                return posted.get("ts"), channel, None
            uploaded = next((f for f in posted.get("files") or [] if filename and f.get("name") == filename), None)
            if uploaded is not None:
                return posted.get("ts"), channel, uploaded.get("id")
        return None

    def _may_have_arrived(self, message: Claimed) -> bool:
        """Whether the last attempt may have reached Slack: its sender died while calling Slack (the row still carries
        :data:`POSTING`, set just before the call) or the connection broke after the request was sent. Not when Slack
        answered with a failure, nor when the sender died before calling Slack (a message claimed in a batch it never
        reached is sent without looking)."""
        with unit_of_work(self._engine, reads_only=True) as work:
            row = Outbox(work.session).by_key(message.team_id, message.key)
            error = row.error if row is not None else None
        return error is not None and error.startswith((POSTING, "connection lost after sending", "history:"))

    def _parent_ts(self, message: Claimed) -> str | None:
        """The ts of the message a reply belongs under, once that was sent (a reply is never sent before it)."""
        context = message.payload.get("context") or {}
        if context.get("thread_ts"):  # an answer, in the thread of the question it answers
            return str(context["thread_ts"])
        parent_key = context.get("thread_of")
        if not parent_key:
            return None
        with unit_of_work(self._engine, reads_only=True) as work:
            parent = Outbox(work.session).by_key(message.team_id, str(parent_key))
            return parent.ts if parent is not None and parent.status == SENT else None

    @staticmethod
    def _posted(client: WebClient, channel: str, thread: str | None) -> Iterator[dict[str, Any]]:
        """The conversation's latest messages (history holds no thread replies), or every message of a thread, page by page."""
        if thread is None:
            yield from (
                client.conversations_history(channel=channel, limit=HISTORY_DEPTH, include_all_metadata=True).get("messages")
                or []
            )
            return
        cursor = None
        for _ in range(THREAD_PAGES):
            page = client.conversations_replies(
                channel=channel,
                ts=thread,
                limit=HISTORY_DEPTH,
                include_all_metadata=True,
                **({"cursor": cursor} if cursor else {}),
            )
            yield from page.get("messages") or []
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return


def _pace_channel(composed: Composed, message: Claimed) -> str:
    """The conversation a call posts in, as the pacer keys chat.postMessage's per-channel limit (a person's id for a
    direct message: one conversation per person)."""
    return str(getattr(composed, "channel", None) or message.recipient)


def _is_user(recipient: str) -> bool:
    return recipient[:1] in ("U", "W")

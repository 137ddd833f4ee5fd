"""The clock: one scheduler per deployment, prompting check-ins and feeding the outbox sender.

APScheduler 3 runs the clock's periodic jobs from its in-memory job store: the check-ins job every minute, the
retention policy daily at 03:00 UTC. Neither keeps state in the scheduler, because what is due is decided by data —
each schedule's ``next_prompt_at``, each record's age under the retention policy — so a clock that was down catches up
when it is back: the check-ins job and the retention job both run as soon as it starts, then on their triggers, and
the outbox's unique keys make a second asker harmless. Jobs are called with the services they need: nothing is
pickled, so nothing is global.

The clock is a singleton all the same (one process asking Slack for timezones, one daily retention run): it runs only
while it holds the lease row in ``clock_lease``, taken, renewed and found lapsed by the database's clock
(:mod:`storage.repositories.clock_lease`), so skewed host clocks cannot make two holders. A second ``ladder clock`` on
the same database waits until the lease lapses (its holder stopped or died), then takes over. A holder that loses the
lease, or goes a lease's length by its own monotonic clock without renewing it, stops its sender first, then its
scheduler.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from bot.checkins.service import Checkins
from bot.framework.model import RetentionPolicy
from bot.growth.service import Growth
from bot.nominations.reviews import Reviews
from bot.nominations.service import Nominations
from bot.panels.board import Board
from bot.retention import per_tenant
from bot.runtime.services import Services
from storage.errors import SchemaNotReady
from storage.repositories.clock_lease import ClockLeases
from storage.repositories.framework_versions import FrameworkVersions
from storage.repositories.nominations import NominationRepository
from storage.unit_of_work import unit_of_work

log = logging.getLogger("ladder.clock")

LEASE_NAME = "clock"
LEASE_TTL = timedelta(seconds=30)
RENEW_EVERY = 5.0
TICK_SECONDS = 60
BATCH = 500
LISTING_PAGE = 200
"""Accounts per page of users.list (Slack advises no more than 200)."""
PAGES_PER_TICK = 20
"""users.list pages read per tick at most: users.list is Tier 2 (20 a minute), so 4,000 accounts a minute."""
LOOKUPS_WHEN_FEW = 10
"""When this few people wait for a timezone and no reading of the list is under way, each is asked by users.info (Tier 4:
100 a minute) — fewer calls than the pages that may hold them."""
WANTED_AT_ONCE = 50_000
"""The most people (and reviewers) a tick looks for in the list."""

RETENTION_HOUR = 3
"""The retention job's daily hour (UTC), besides the run at the clock's start."""


# -- jobs ------------------------------------------------------------------------------------------------------------


def schedule_jobs(scheduler: BaseScheduler, services: Services, now: datetime) -> None:
    """The clock's jobs, each run first at ``now`` (the clock's start: whatever fell due while it was down is done
    then, once) and then on its trigger."""
    scheduler.add_job(
        tick, "interval", args=[services], kwargs={"roster": Roster()}, seconds=TICK_SECONDS, id="checkins", misfire_grace_time=TICK_SECONDS * 10,
        next_run_time=now,
    )  # fmt: skip
    scheduler.add_job(
        apply_retention, "cron", args=[services], hour=RETENTION_HOUR, id="retention", misfire_grace_time=6 * 3600,
        next_run_time=now,
    )  # fmt: skip


def apply_retention(services: Services) -> None:
    """Uninstalled workspaces past their period erased, then each tenant's retention policy applied to its rows (its
    published framework's, else the framework file's), in bounded batches (what is left goes the next day)."""
    per_tenant.run(services.engine, services.framework.retention, own_retention(services), services.now())


def own_retention(services: Services) -> dict[str, RetentionPolicy]:
    """Each tenant that published a framework: the retention policy of the version it runs on now."""
    with unit_of_work(services.engine, reads_only=True) as work:
        published = FrameworkVersions(work.session).latest_numbers()
    return {tenant: services.frameworks.version(tenant, number).retention for tenant, number in published.items()}


def tick(services: Services, roster: Roster | None = None) -> int:
    """One round of the clock's work; returns how many prompts were written to the outbox.

    Timezones are learned first (``roster``: where the reading of Slack's member list got to, kept from tick to tick).
    Due prompts are written in batches, one transaction each, so the sender starts on the first
    batch while the next is written, and a kill between batches loses nothing (a batch is all or nothing).
    """
    learn_timezones(services, roster=roster)
    total = 0
    while True:  # prompts, pairs' check-ins and review reminders are planned by dates alone: no framework is read
        with unit_of_work(services.engine) as work:
            written = Checkins(services.framework, work.session, services.now).enqueue_due(BATCH)
            written += Growth(services.framework, work.session, services.now).enqueue_due_pairs(BATCH)
            nominations = Nominations(services.framework, work.session, services.now)
            reviews = Reviews(nominations)
            written += reviews.remind_due(BATCH) + reviews.close_due(BATCH)
            work.after_commit(services.sender.wake)
        total += written
        if written < BATCH:
            break
    total += _panels(services)
    if total:
        log.info("check-in prompts due", extra={"prompts": total})
    return total


def _panels(services: Services) -> int:
    """The review panels' work, each sitting tenant's in its own transaction under its own framework (who may judge a
    level, what a packet shows), then the level changes whose day has come."""
    total = 0
    with unit_of_work(services.engine, reads_only=True) as work:
        sitting = Board.open(services.framework, work.session, services.now, services.admins).sitting_teams()
    for team in sitting:
        with unit_of_work(services.engine) as work:
            total += Board.open(services.framework_for(team), work.session, services.now, services.admins).clock([team])
            work.after_commit(services.sender.wake)
    with unit_of_work(services.engine) as work:
        total += Board.open(services.framework, work.session, services.now, services.admins).apply_due_levels()
        work.after_commit(services.sender.wake)
    return total


class Roster:
    """How far the clock has read each tenant's member list (users.list, with that tenant's token), kept between
    ticks."""

    def __init__(self) -> None:
        self._passes: dict[str, ListPass] = {}

    @property
    def reading(self) -> bool:
        """Some tenant's list is being read (a pass is under way)."""
        return any(p.reading for p in self._passes.values())

    def of(self, team_id: str) -> "ListPass":
        return self._passes.setdefault(team_id, ListPass())

    def keep_only(self, teams: set[str]) -> None:
        """Forget the passes of tenants nobody waits in any more (the next who waits there starts afresh)."""
        for team in set(self._passes) - teams:
            del self._passes[team]


class ListPass:
    """How far the clock has read one tenant's member list: the next page's cursor, who was waiting for a timezone when
    this pass through the list began, and whom the pass has seen. Someone still waiting when a pass has read the whole
    list without seeing them has no account in the workspace."""

    def __init__(self) -> None:
        self.cursor: str | None = None
        self.waiting: set[str] = set()
        self.seen: set[str] = set()

    @property
    def reading(self) -> bool:
        return self.cursor is not None

    def begin(self, waiting: set[str]) -> None:
        if not self.reading:
            self.waiting, self.seen = set(waiting), set()

    def restart(self) -> None:
        self.cursor, self.waiting, self.seen = None, set(), set()


@dataclass
class _Waiting:
    """Who waits for a Slack timezone, by Slack user id: people without a schedule or whose schedule has no timezone
    (team ids), and reviewers of open review requests (team id, request id)."""

    people: dict[str, set[str]] = field(default_factory=dict)
    reviewers: dict[str, set[tuple[str, int]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.people or self.reviewers)

    def ids(self) -> set[str]:
        return set(self.people) | set(self.reviewers)

    def teams(self) -> set[str]:
        return {t for teams in self.people.values() for t in teams} | {
            t for requests in self.reviewers.values() for t, _ in requests
        }

    def in_team(self, team_id: str) -> "_Waiting":
        """Who waits in ``team_id`` alone."""
        part = _Waiting()
        for user, teams in self.people.items():
            if team_id in teams:
                part.people[user] = {team_id}
        for user, requests in self.reviewers.items():
            mine = {r for r in requests if r[0] == team_id}
            if mine:
                part.reviewers[user] = mine
        return part


def learn_timezones(services: Services, limit: int = PAGES_PER_TICK, *, roster: Roster | None = None) -> int:
    """Give every known person a schedule in their own Slack timezone, and every reviewer theirs; returns how many
    timezones were recorded.

    Slack's member list is read a page of 200 at a time (users.list), at most ``limit`` pages a call, continuing where
    ``roster`` left off (a fresh roster: from the top); everyone waiting who is on a page is recorded from it, and
    everyone a whole pass through the list did not find is recorded as gone (no prompts, no more asking). When only a
    few wait and no pass is under way, each is asked by users.info instead."""
    roster = roster or Roster()
    everyone = _waiting(services)
    teams = everyone.teams()
    roster.keep_only(teams)
    return sum(_learn_in(services, team, everyone.in_team(team), limit, roster.of(team)) for team in sorted(teams))


def _learn_in(services: Services, team_id: str, waiting: _Waiting, limit: int, roster: ListPass) -> int:
    """:func:`learn_timezones` in one tenant, through its own directory client."""
    if not roster.reading and len(waiting.ids()) <= LOOKUPS_WHEN_FEW:
        timezones = {user_id: slack_timezone(services, user_id, team_id) for user_id in sorted(waiting.ids())}
        return _record(services, waiting, {u: tz for u, tz in timezones.items() if tz is not None})
    roster.begin(waiting.ids())
    learned = 0
    directory = services.directory_for(team_id)
    for _ in range(limit):
        try:
            page = directory.users_list(limit=LISTING_PAGE, cursor=roster.cursor)
        except Exception as exc:  # noqa: BLE001 - the next tick reads this page again
            error = exc.response.get("error") if isinstance(exc, SlackApiError) else type(exc).__name__
            log.warning("users.list failed", extra={"team": team_id, "error": error})
            return learned
        found = {}
        for user in page.get("members") or ():
            user_id = str(user.get("id") or "")
            roster.seen.add(user_id)
            if user_id in waiting.people or user_id in waiting.reviewers:
                found[user_id] = _timezone(user)
        learned += _record(services, waiting, found)
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        if cursor is None:  # the whole list read: whoever it did not hold has no account here
            gone = {u: "" for u in waiting.ids() & roster.waiting if u not in roster.seen}
            learned += _record(services, waiting, gone)
            roster.restart()
            return learned
        roster.cursor = cursor
        if not waiting:  # everyone found: the next who waits starts a fresh pass
            roster.restart()
            return learned
    return learned


def _waiting(services: Services) -> _Waiting:
    waiting = _Waiting()
    with unit_of_work(services.engine, reads_only=True) as work:
        checkins = Checkins(services.framework, work.session, services.now)
        for p in checkins.people_without_schedule(WANTED_AT_ONCE):
            waiting.people.setdefault(p.user_id, set()).add(p.team_id)
        for s in checkins.repo.schedules_without_timezone(WANTED_AT_ONCE):
            waiting.people.setdefault(s.user_id, set()).add(s.team_id)
        for r in NominationRepository(work.session).without_timezone(WANTED_AT_ONCE):
            if r.id is not None:
                waiting.reviewers.setdefault(r.reviewer, set()).add((r.team_id, r.id))
    return waiting


def _record(services: Services, waiting: _Waiting, timezones: dict[str, str]) -> int:
    """Record what Slack said of these people ("": no account, no prompts) in one transaction; they wait no more."""
    if not timezones:
        return 0
    with unit_of_work(services.engine) as work:
        checkins = Checkins(services.framework, work.session, services.now)
        reviews = Reviews(Nominations(services.framework, work.session, services.now))
        for user_id, timezone in timezones.items():
            for team_id in waiting.people.pop(user_id, ()):
                if timezone:
                    checkins.schedule_of(team_id, user_id, timezone)
                else:  # the account is gone: no prompts, and no more lookups
                    schedule = checkins.schedule_of(team_id, user_id)
                    schedule.timezone, schedule.cadence, schedule.next_prompt_at = "UTC", "off", None
            for team_id, request_id in waiting.reviewers.pop(user_id, ()):
                request = reviews.repo.request(team_id, request_id)
                if request is not None:
                    reviews.learn_timezone(request, timezone or "UTC")
    return len(timezones)


def _timezone(user: dict[str, Any]) -> str:
    """A timezone from Slack's description of an account: "" when it is deleted; UTC when it has none (rare), rather
    than asking every minute."""
    if user.get("deleted"):
        return ""
    return str(user.get("tz") or "") or "UTC"


def slack_timezone(services: Services, user_id: str, team_id: str) -> str | None:
    """The person's timezone from users.info, asked with their tenant ``team_id``'s token; "" when the account is deleted
    or unknown; None when Slack cannot say now."""
    directory = services.directory_for(team_id)
    try:
        user = directory.users_info(user=user_id)["user"]
    except SlackApiError as exc:
        if exc.response.get("error") in ("user_not_found", "users_not_found"):
            return ""
        log.warning("users.info failed", extra={"user": user_id, "error": exc.response.get("error")})
        return None
    except Exception as exc:  # noqa: BLE001 - try again next tick
        log.warning("users.info failed", extra={"user": user_id, "error": type(exc).__name__})
        return None
    return _timezone(user)


# -- the singleton ----------------------------------------------------------------------------------------------


class Lease:
    """Which process runs the clock, until when: a row taken only when free or lapsed, by the database's clock.

    The holder also counts the lease's length on its own monotonic clock (``host_clock``) from just before it asked:
    :meth:`held` turns False no later than the database would let another process take over, even when a renewal
    hangs, so a holder never acts on a lease it may have lost. Only differences of its own clock are used, so how far
    it is from the database's clock, or from other hosts', does not matter.
    """

    def __init__(
        self,
        engine: Engine,
        ttl: timedelta = LEASE_TTL,
        holder: str | None = None,
        host_clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self._ttl = ttl
        self._host_clock = host_clock
        self._held_until: float | None = None
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def acquire(self) -> bool:
        """Take or renew the lease; False while another live process holds it."""
        asked_at = self._host_clock()  # the previous renewal holds while this one is asked (the sender reads it)
        try:
            with unit_of_work(self._engine) as work:
                taken = ClockLeases(work.session).take(LEASE_NAME, self.holder, self._ttl)
        except BaseException:
            self._held_until = None  # cannot tell: act as if lost
            raise
        self._held_until = asked_at + self._ttl.total_seconds() if taken else None
        return taken

    def held(self) -> bool:
        """Whether this holder renewed the lease less than its length ago, by its own clock."""
        return self._held_until is not None and self._host_clock() < self._held_until

    def release(self) -> None:
        self._held_until = None
        with unit_of_work(self._engine) as work:
            ClockLeases(work.session).release(LEASE_NAME, self.holder)

    def current_holder(self) -> str | None:
        with unit_of_work(self._engine, reads_only=True) as work:
            return ClockLeases(work.session).holder(LEASE_NAME)


class Clock:
    """Waits for the lease, then runs the scheduler and the outbox sender until stopped (or the lease is lost)."""

    def __init__(
        self,
        services: Services,
        *,
        lease_seconds: float = LEASE_TTL.total_seconds(),
        host_clock: Callable[[], float] = time.monotonic,
        senders: int = 1,
    ) -> None:
        self._services = services
        self._senders = senders
        """Outbox sender threads this clock runs while it holds the lease (LADDER_SENDERS; 0: none, the web workers send)."""
        self._lease = Lease(services.engine, timedelta(seconds=lease_seconds), host_clock=host_clock)
        self._renew_every = min(RENEW_EVERY, lease_seconds / 3)
        self._stopping = threading.Event()
        self._schema_said: str | None = None

    def stop(self) -> None:
        self._stopping.set()
        self._services.sender.stop()

    def run(self) -> None:
        self._services.identity.learn_now()  # which workspace LADDER_ADMINS administer; else asked in the background
        waiting_logged = False
        while not self._stopping.is_set():
            held = self._holds_lease()
            if not held:
                if held is False and not waiting_logged:
                    log.info(
                        "another clock is running; waiting for its lease to lapse", extra={"holder": self._lease.current_holder()}
                    )
                    waiting_logged = True
                self._stopping.wait(self._renew_every)
                continue
            log.info("clock started", extra={"holder": self._lease.holder})
            if not self._run_while_held():
                break  # the sender would not stop: leave, and let the supervisor start a fresh process
            waiting_logged = False
        try:
            self._lease.release()
        except Exception:  # noqa: BLE001 - the lease lapses by itself
            log.warning("could not release the clock lease", exc_info=True)
        log.info("clock stopped")

    def _holds_lease(self) -> bool | None:
        """Take or renew the lease: False while another clock holds it, or when the renewal came back later than the
        lease lasts by this host's clock; None when the database cannot answer (never a crash), and one without this
        release's schema is said once, in one line, while the clock waits for the migration."""
        try:
            held = self._lease.acquire()
        except SchemaNotReady as exc:
            if str(exc) != self._schema_said:
                log.error(f"{exc}; the clock waits until it is done")
                self._schema_said = str(exc)
            return None
        except Exception:  # noqa: BLE001 - retried on the next round
            log.exception("the clock could not reach its lease in the database")
            return None
        self._schema_said = None
        return held and self._lease.held()

    def _run_while_held(self) -> bool:
        """Run the scheduler and the sender while the lease holds; False if the sender did not stop afterwards.

        The sender sends only while :meth:`Lease.held` (checked before each claim and each post), so a renewal that
        hangs past the lease's length stops sending before another clock can take over; when the lease is lost the
        sender is stopped first (a claimed message not yet posted goes back to the outbox), then the scheduler."""
        scheduler = BackgroundScheduler(job_defaults={"coalesce": True, "max_instances": 1}, timezone="UTC")
        schedule_jobs(scheduler, self._services, datetime.now().astimezone())
        sender = self._services.sender
        scheduler.start()
        if self._senders:  # none: this process's senders are not the clock's (``ladder socket`` runs its own)
            sender.start(self._senders, allowed=self._lease.held)
        stopped = True
        try:
            while not self._stopping.wait(self._renew_every):
                if not self._holds_lease():
                    log.error("clock lease lost; stopping this clock's work until it holds the lease again")
                    break
        finally:
            if self._senders:
                sender.stop()  # first: not one more post once the lease may be another's
                stopped = sender.join(timeout=30)
            scheduler.shutdown(wait=True)
        if not stopped:
            log.error("the outbox sender did not stop within 30 s")
            return False
        if self._senders:
            sender.restart()
        return True

"""The clock: one scheduler per deployment, prompting check-ins and feeding the outbox sender.

APScheduler 3 keeps its jobs in the project's database (``apscheduler_jobs``), so a restart
neither loses nor repeats them; jobs are module-level functions with fixed ids, coalesced, with a
misfire grace time, so a clock that was down for a day runs each once when it is back. What is due
is decided by the data (each schedule's ``next_prompt_at``), not by the scheduler: the job only asks
"what is due now?", and the outbox's unique keys make a second asker harmless.

APScheduler 3 cannot share a job store between processes, so the clock is a singleton: it runs only
while it holds the lease row in ``clock_lease``, renewed every few seconds; a second ``ladder clock``
on the same database waits until the lease lapses (its holder stopped or died), then takes over.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from contextlib import suppress
from datetime import datetime, timedelta
from typing import Any

from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine, delete, update

from bot.checkins.service import Checkins
from bot.growth.service import Growth
from bot.nominations.reviews import Reviews
from bot.nominations.service import Nominations
from bot.panels.board import Board
from bot.retention import runner as retention
from bot.runtime.services import Services
from storage.errors import SchemaNotReady
from storage.models import ClockLease
from storage.repositories.nominations import NominationRepository
from storage.repositories.once import insert_once
from storage.unit_of_work import unit_of_work

log = logging.getLogger("ladder.clock")

LEASE_NAME = "clock"
LEASE_TTL = timedelta(seconds=30)
RENEW_EVERY = 5.0
TICK_SECONDS = 60
BATCH = 500
LOOKUPS_PER_TICK = 100
"""users.info calls per tick for people whose timezone Slack has not told us yet (Tier 4: 100+ a minute)."""

_services: Services | None = None
"""The running clock's services: APScheduler pickles a job as a reference to a module-level function, not its arguments."""


# -- jobs (module-level, so the job store can keep them) ----------------------------------------------------


def checkins_job() -> None:
    assert _services is not None, "the clock is not running"
    tick(_services)


def retention_job() -> None:
    """The framework file's retention policy, applied daily in bounded batches (what is left goes the next day)."""
    assert _services is not None, "the clock is not running"
    retention.apply(_services.engine, _services.framework.retention, _services.now())


prune_events_job = retention_job
"""The daily job's name in the job store of an earlier release, which pruned processed events alone (that is now one
kind of the retention policy); the clock removes that job when it starts, and this name runs the policy until then."""


def tick(services: Services) -> int:
    """One round of the clock's work; returns how many prompts were written to the outbox.

    Due prompts are written in batches, one transaction each, so the sender starts on the first
    batch while the next is written, and a kill between batches loses nothing (a batch is all or nothing).
    """
    learn_timezones(services)
    total = 0
    while True:
        with unit_of_work(services.engine) as work:
            written = Checkins(services.framework, work.session, services.now).enqueue_due(BATCH)
            written += Growth(services.framework, work.session, services.now).enqueue_due_pairs(BATCH)
            nominations = Nominations(services.framework, work.session, services.now)
            reviews = Reviews(nominations)
            written += nominations.request_missed_reviews(BATCH) + reviews.remind_due(BATCH) + reviews.close_due(BATCH)
            work.after_commit(services.sender.wake)
        total += written
        if written < BATCH:
            break
    with unit_of_work(services.engine) as work:
        total += Board.open(services.framework, work.session, services.now, services.admins).clock()
        work.after_commit(services.sender.wake)
    if total:
        log.info("check-in prompts due", extra={"prompts": total})
    return total


def learn_timezones(services: Services, limit: int = LOOKUPS_PER_TICK) -> int:
    """Give every known person a schedule in their own Slack timezone (users.info), a batch per tick."""
    with unit_of_work(services.engine, reads_only=True) as work:
        checkins = Checkins(services.framework, work.session, services.now)
        wanted = [(p.team_id, p.user_id) for p in checkins.people_without_schedule(limit)]
        wanted += [(s.team_id, s.user_id) for s in checkins.repo.schedules_without_timezone(limit)]
    learned = _learn_reviewer_timezones(services, limit)
    for team_id, user_id in wanted[: max(0, limit - learned)]:
        timezone = slack_timezone(services, user_id)
        if timezone is None:
            continue
        with unit_of_work(services.engine) as work:
            checkins = Checkins(services.framework, work.session, services.now)
            if timezone:
                checkins.schedule_of(team_id, user_id, timezone)
            else:  # the account is gone: no prompts, and no more lookups
                schedule = checkins.schedule_of(team_id, user_id)
                schedule.timezone, schedule.cadence, schedule.next_prompt_at = "UTC", "off", None
        learned += 1
    return learned


def _learn_reviewer_timezones(services: Services, limit: int) -> int:
    """Reviewers' timezones, so their reminders come at 10:00 their time; returns how many lookups it made."""
    with unit_of_work(services.engine, reads_only=True) as work:
        waiting = [(r.team_id, r.id, r.reviewer) for r in NominationRepository(work.session).without_timezone(limit)]
    for team_id, request_id, reviewer in waiting:
        timezone = slack_timezone(services, reviewer)
        if timezone is None:
            continue
        with unit_of_work(services.engine) as work:
            reviews = Reviews(Nominations(services.framework, work.session, services.now))
            request = reviews.repo.request(team_id, request_id)
            if request is not None:
                reviews.learn_timezone(request, timezone or "UTC")
    return len(waiting)


def slack_timezone(services: Services, user_id: str) -> str | None:
    """The person's timezone from users.info; "" when the account is deleted or unknown; None when Slack cannot say now."""
    try:
        user = services.directory_client.users_info(user=user_id)["user"]
    except SlackApiError as exc:
        if exc.response.get("error") in ("user_not_found", "users_not_found"):
            return ""
        log.warning("users.info failed", extra={"user": user_id, "error": exc.response.get("error")})
        return None
    except Exception as exc:  # noqa: BLE001 - try again next tick
        log.warning("users.info failed", extra={"user": user_id, "error": type(exc).__name__})
        return None
    if user.get("deleted"):
        return ""
    return str(user.get("tz") or "") or "UTC"  # an account without a timezone (rare): UTC, rather than asking every minute


# -- the singleton ----------------------------------------------------------------------------------------------


class Lease:
    """A row that says which process runs the clock until when; taken only when free or lapsed."""

    def __init__(self, engine: Engine, ttl: timedelta = LEASE_TTL, holder: str | None = None) -> None:
        self._engine = engine
        self._ttl = ttl
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def acquire(self, now: datetime) -> bool:
        """Take or renew the lease; False while another live process holds it."""
        with unit_of_work(self._engine) as work:
            insert_once(work.session, ClockLease(name=LEASE_NAME, holder=self.holder, expires_at=now + self._ttl), ["name"])
            taken = work.session.execute(
                update(ClockLease)
                .where(ClockLease.name == LEASE_NAME)
                .where((ClockLease.holder == self.holder) | (ClockLease.expires_at < now))
                .values(holder=self.holder, expires_at=now + self._ttl)
            )
            return taken.rowcount == 1

    def release(self) -> None:
        with unit_of_work(self._engine) as work:
            work.session.execute(delete(ClockLease).where(ClockLease.name == LEASE_NAME, ClockLease.holder == self.holder))

    def current_holder(self) -> str | None:
        with unit_of_work(self._engine, reads_only=True) as work:
            found = work.session.get(ClockLease, LEASE_NAME)
            return found.holder if found else None


class Clock:
    """Waits for the lease, then runs the scheduler and the outbox sender until stopped (or the lease is lost)."""

    def __init__(self, services: Services, *, lease_seconds: float = LEASE_TTL.total_seconds(), wall_clock: Any = None) -> None:
        self._services = services
        self._lease = Lease(services.engine, timedelta(seconds=lease_seconds))
        self._renew_every = min(RENEW_EVERY, lease_seconds / 3)
        self._stopping = threading.Event()
        self._wall = wall_clock or (lambda: datetime.now().astimezone())
        self._schema_said: str | None = None

    def stop(self) -> None:
        self._stopping.set()
        self._services.sender.stop()

    def run(self) -> None:
        global _services
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
            _services = self._services
            try:
                if not self._run_while_held():
                    break  # the sender would not stop: leave, and let the supervisor start a fresh process
            finally:
                _services = None
            waiting_logged = False
        try:
            self._lease.release()
        except Exception:  # noqa: BLE001 - the lease lapses by itself
            log.warning("could not release the clock lease", exc_info=True)
        log.info("clock stopped")

    def _holds_lease(self) -> bool | None:
        """Take or renew the lease: False while another clock holds it; None when the database cannot answer (never a
        crash), and one without this release's schema is said once, in one line, while the clock waits for the migration."""
        try:
            held = self._lease.acquire(self._wall())
        except SchemaNotReady as exc:
            if str(exc) != self._schema_said:
                log.error(f"{exc}; the clock waits until it is done")
                self._schema_said = str(exc)
            return None
        except Exception:  # noqa: BLE001 - retried on the next round
            log.exception("the clock could not reach its lease in the database")
            return None
        self._schema_said = None
        return held

    def _run_while_held(self) -> bool:
        """Run the scheduler and the sender while the lease holds; False if the sender did not stop afterwards."""
        scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=self._services.engine, tablename="apscheduler_jobs")},
            job_defaults={"coalesce": True, "max_instances": 1},
            timezone="UTC",
        )
        scheduler.add_job(
            checkins_job,
            "interval",
            seconds=TICK_SECONDS,
            id="checkins",
            replace_existing=True,
            misfire_grace_time=TICK_SECONDS * 10,
            next_run_time=datetime.now().astimezone(),
        )
        scheduler.add_job(retention_job, "cron", hour=3, id="retention", replace_existing=True, misfire_grace_time=6 * 3600)
        sender = threading.Thread(target=self._services.sender.run_forever, name="outbox-sender", daemon=True)
        scheduler.start()
        with suppress(JobLookupError):
            scheduler.remove_job("prune_events")  # an earlier release's daily job, folded into "retention"
        sender.start()
        try:
            while not self._stopping.wait(self._renew_every):
                if not self._holds_lease():
                    log.error("clock lease lost; stopping this clock's work until it holds the lease again")
                    break
        finally:
            scheduler.shutdown(wait=True)
            self._services.sender.stop()
            sender.join(timeout=30)
        if sender.is_alive():
            log.error("the outbox sender did not stop within 30 s")
            return False
        self._services.sender.restart()
        return True

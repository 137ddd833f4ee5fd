"""Benchmark for issues #7 and #19: a fan-out of due check-ins through the outbox, against a rate-limited Slack.

The fake Slack limits chat.postMessage to Slack's published workspace-wide rate, which is also what Ladder's pacer
allows a team (bot/runtime/pacing.py POST_PER_TEAM: 300 a minute, bursts of 30; a call finding the fake's bucket empty
answers HTTP 429 with Retry-After and is not carried out). Since issue #19 the sender paces itself to that rate without
sleeping, so the fake should answer no 429 at all. The real `ladder clock` runs as a subprocess (LADDER_SENDERS sender
threads, default 2) against a SQLite database holding 1,000 people and their check-in schedules that fell due a few
minutes ago; its first tick writes the prompts to the outbox and its senders post them, asking DND with dnd.teamInfo
for a batch at a time (once per person per day).

Targets:
1. Every prompt delivered exactly once: 1,000 distinct outbox keys in the metadata of the
   chat.postMessage calls the fake carried out, no key twice; the database shows 1,000 rows 'sent'.
2. Sustained throughput >= 90% of the allowed rate: messages carried out / (time from the first
   carried-out post to the last), as a ratio to 5/s.
3. Peak resident memory (VmRSS, sampled every 0.5 s) of the `ladder clock` process < 200 MB.
4. SQL statements per delivered message constant as the outbox grows: in-process, count statements
   (SQLAlchemy `before_cursor_execute`) while `services.sender.drain()` sends 500 due prompts, once
   with ~1,000 old 'sent' rows in the outbox and once with ~50,000 (an unlimited fake Slack and an unlimited pacer
   here, so both runs do the same work). Target: ratio (large / small) ~ 1.0 (PASS within 1.05).

By default the clock does everything (its first tick enqueues all due prompts, in batches of 500 in
one tick). `--pre-enqueue` writes the outbox rows in-process before the clock starts, measuring the
sender alone.

Run:  .venv/bin/python bench/bench_outbox.py [--people 1000] [--rate 5] [--burst 30] [--batch 500] [--old-small 1000] [--old-large 50000]
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, event, func, insert, select  # noqa: E402

from bench.bench_slack import BIN, TOKEN  # noqa: E402
from bot.runtime.pacing import POST_PER_TEAM, Pacer  # noqa: E402
from storage.models import CheckinSchedule, OutboxMessage, Person  # noqa: E402
from tests.fake_slack import FakeSlack  # noqa: E402

TEAM = "T0TEST"
TRACK, LEVEL = "ic", "senior"  # the shipped framework's Senior Software Engineer (next level: Staff)
TIMEZONE = "Europe/London"
METADATA_TYPE = "ladder_outbox"


# -- the machine --------------------------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{cpu_model()}, {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.platform()}; load average at start {load}"
    )


# -- the fake Slack, with the time each post was carried out --------------------------------------------------


class TimedSlack(FakeSlack):
    """The tests' fake Slack, noting when each chat.postMessage was carried out (perf_counter seconds)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.posted_at: list[float] = []
        self._stamps = threading.Lock()

    def handle(self, method: str, args: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, str], dict[str, Any]]:
        status, answer_headers, body = super().handle(method, args, headers)
        if method == "chat.postMessage" and status == 200 and body.get("ok"):
            with self._stamps:
                self.posted_at.append(time.perf_counter())
        return status, answer_headers, body

    def carried_out_posts(self) -> int:
        with self._stamps:
            return len(self.posted_at)


def delivered_keys(fake: FakeSlack) -> list[str]:
    """The outbox key in the metadata of every chat.postMessage the fake carried out (one entry per post)."""
    keys = []
    for call in fake.calls("chat.postMessage"):
        if not call.carried_out:
            continue
        metadata = call.args.get("metadata") or {}
        payload = metadata.get("event_payload") if isinstance(metadata, dict) else None
        if isinstance(metadata, dict) and metadata.get("event_type") == METADATA_TYPE and isinstance(payload, dict):
            keys.append(str(payload.get("key")))
        else:
            keys.append("<no outbox metadata>")
    return keys


# -- the database -------------------------------------------------------------------------------------------


def user_id(i: int) -> str:
    return f"U{i:05d}"


def bench_env(fake: FakeSlack, database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_API_URL": fake.url,
        "DATABASE_URL": f"sqlite:///{database}",
        "LOG_LEVEL": "WARNING",
    }


def ladder_db_upgrade(env: dict[str, str]) -> None:
    subprocess.run([str(BIN / "ladder"), "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL)


def insert_people(database: Path, people: int, due_at: datetime) -> None:
    """`people` people at Senior, each with a weekly schedule in Europe/London whose prompt fell due at `due_at` (their
    weekday that day's, or Friday when the bench runs at a weekend: check-ins fall on working days)."""
    engine = create_engine(f"sqlite:///{database}")
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(
            insert(Person.__table__),
            [
                dict(team_id=TEAM, user_id=user_id(i), name=f"Person {i}", email=f"p{i}@example.com", track=TRACK, level=LEVEL,
                     manager_user_id=None, created_at=now, updated_at=now)
                for i in range(1, people + 1)
            ],
        )  # fmt: skip
        connection.execute(
            insert(CheckinSchedule.__table__),
            [
                dict(team_id=TEAM, user_id=user_id(i), cadence="weekly", weekday=min(due_at.weekday(), 4), timezone=TIMEZONE,
                     away_start=None, away_end=None, next_prompt_at=due_at, last_prompt_on=None, updated_at=now)
                for i in range(1, people + 1)
            ],
        )  # fmt: skip
    engine.dispose()


def insert_old_sent(database: Path, rows: int) -> None:
    """`rows` check-in prompts sent over the past months (the table a long-running Ladder accumulates)."""
    engine = create_engine(f"sqlite:///{database}")
    now = datetime.now(UTC)
    chunk = 10_000
    with engine.begin() as connection:
        for start in range(0, rows, chunk):
            values = []
            for i in range(start, min(rows, start + chunk)):
                when = now - timedelta(days=7 * (1 + i % 100), minutes=i % 600)
                key = f"checkin:{user_id(100_000 + i)}:{when.date().isoformat()}:{i}"
                values.append(
                    dict(team_id=TEAM, key=key, purpose="checkin_prompt", recipient=user_id(100_000 + i % 5_000),
                         payload={"message": "checkin_prompt", "context": {"key": key, "due_on": when.date().isoformat()}},
                         status="sent", respect_dnd=True, due_at=when, attempts=1, claimed_at=when, sent_at=when,
                         ts=f"{int(when.timestamp())}.{i:06d}", channel=f"D{user_id(100_000 + i % 5_000)}", error=None, created_at=when)
                )  # fmt: skip
            connection.execute(insert(OutboxMessage.__table__), values)
    engine.dispose()


def outbox_counts(database: Path) -> dict[str, int]:
    engine = create_engine(f"sqlite:///{database}", connect_args={"timeout": 30})
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
            return {status: count for status, count in rows}
    finally:
        engine.dispose()


def enqueue_in_process(env: dict[str, str]) -> int:
    """Write every due prompt to the outbox as the clock's tick would (Checkins.enqueue_due, 500 at a time)."""
    from bot.checkins.service import Checkins
    from bot.runtime.services import build_services
    from bot.runtime.settings import Settings
    from storage.unit_of_work import unit_of_work

    services = build_services(Settings.from_env(env))
    total = 0
    try:
        while True:
            with unit_of_work(services.engine) as work:
                written = Checkins(services.framework, work.session, services.now).enqueue_due(500)
            total += written
            if written < 500:
                return total
    finally:
        services.close(timeout=5)


# -- 1-3: the real clock, rate limited ------------------------------------------------------------------------


def status_kib(pid: int, field_name: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def bench_clock(people: int, rate: float, burst: int, pre_enqueue: bool, workdir: Path, timeout: float) -> dict[str, Any]:
    database = workdir / "bench.db"
    with TimedSlack() as fake:
        env = bench_env(fake, database)
        ladder_db_upgrade(env)
        insert_people(database, people, datetime.now(UTC) - timedelta(minutes=5))
        for i in range(1, people + 1):  # known to Slack: dnd.info answers for them
            fake.add_user(user_id(i), f"p{i}@example.com", f"Person {i}", tz=TIMEZONE)
        enqueued_before = enqueue_in_process(env) if pre_enqueue else 0

        fake.limit_rate("chat.postMessage", rate, burst=burst)
        log_path = workdir / "clock.log"
        with open(log_path, "w") as log:
            started = time.perf_counter()
            clock = subprocess.Popen([str(BIN / "ladder"), "clock"], env=env, cwd=workdir, stdout=log, stderr=subprocess.STDOUT)
            peak_kib, samples, reported = 0, 0, started
            all_enqueued_s = 0.0 if pre_enqueue else None
            try:
                while True:
                    peak_kib = max(peak_kib, status_kib(clock.pid, "VmRSS"))
                    samples += 1
                    if all_enqueued_s is None and sum(outbox_counts(database).values()) >= people:
                        all_enqueued_s = time.perf_counter() - started
                    done = fake.carried_out_posts()
                    if done >= people:
                        break
                    if clock.poll() is not None:
                        raise SystemExit(
                            f"ladder clock exited with {clock.returncode} after {done} posts; see its log:\n{log_path.read_text()[-3000:]}"
                        )
                    if time.perf_counter() - started > timeout:
                        raise SystemExit(f"timed out after {timeout:.0f} s with {done} of {people} posts carried out")
                    if time.perf_counter() - reported > 30:
                        reported = time.perf_counter()
                        print(f"  ... {done} posts carried out after {reported - started:.0f} s", file=sys.stderr, flush=True)
                    time.sleep(0.5)
                all_posted_s = time.perf_counter() - started
                # the last post's mark_sent may still be committing: give the database a moment to catch up
                deadline = time.perf_counter() + 30
                counts = outbox_counts(database)
                while counts.get("sent", 0) < people and time.perf_counter() < deadline:
                    peak_kib = max(peak_kib, status_kib(clock.pid, "VmRSS"))
                    time.sleep(0.5)
                    counts = outbox_counts(database)
                time.sleep(1.0)  # anything sent twice would arrive now
                peak_kib = max(peak_kib, status_kib(clock.pid, "VmRSS"))
                hwm_kib = status_kib(clock.pid, "VmHWM")
            finally:
                clock.send_signal(signal.SIGTERM)
                try:
                    exit_code = clock.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    clock.kill()
                    exit_code = clock.wait()
        counts = outbox_counts(database)
        keys = delivered_keys(fake)
        stamps = sorted(fake.posted_at)
        rate_limited = sum(1 for c in fake.calls("chat.postMessage") if c.rate_limited)
        dnd_calls = len(fake.calls("dnd.info")) + len(fake.calls("dnd.teamInfo"))
        refused = [c for c in fake.unexpected_refusals()]
    span = stamps[-1] - stamps[0] if len(stamps) > 1 else float("nan")
    gaps = [(b - a, a - stamps[0], i + 1) for i, (a, b) in enumerate(zip(stamps, stamps[1:], strict=False))]
    longest_gap = max(gaps) if gaps else (float("nan"), float("nan"), 0)
    steady = (len(stamps) - burst) / (stamps[-1] - stamps[burst - 1]) if len(stamps) > burst else float("nan")
    return {
        "posts": len(keys),
        "distinct": len(set(keys)),
        "duplicates": len(keys) - len(set(keys)),
        "no_metadata": keys.count("<no outbox metadata>"),
        "sent_rows": counts.get("sent", 0),
        "counts": counts,
        "enqueued_before": enqueued_before,
        "span_s": span,
        "throughput": len(stamps) / span,
        "steady_throughput": steady,
        "rate_limited": rate_limited,
        "dnd_calls": dnd_calls,
        "refused": len(refused),
        "first_post_s": stamps[0] - started if stamps else float("nan"),
        "all_enqueued_s": all_enqueued_s,
        "longest_gap": longest_gap,
        "posts_per_10s": [sum(1 for t in stamps if w <= t - stamps[0] < w + 10) for w in range(0, int(span) + 1, 10)],
        "all_posted_s": all_posted_s,
        "peak_rss_mb": peak_kib / 1024,
        "hwm_mb": hwm_kib / 1024,
        "samples": samples,
        "exit_code": exit_code,
        "log_tail": log_path.read_text()[-2000:],
    }


# -- 4: SQL statements per delivered message, small and large outbox --------------------------------------------


def statements_per_message(old_rows: int, batch: int, workdir: Path) -> dict[str, float]:
    from bot.runtime.services import build_services
    from bot.runtime.settings import Settings

    workdir.mkdir(exist_ok=True)
    database = workdir / f"statements-{old_rows}.db"
    with FakeSlack() as fake:
        env = bench_env(fake, database)
        ladder_db_upgrade(env)
        insert_people(database, batch, datetime.now(UTC) - timedelta(minutes=5))
        insert_old_sent(database, old_rows)
        for i in range(1, batch + 1):
            fake.add_user(user_id(i), f"p{i}@example.com", f"Person {i}", tz=TIMEZONE)
        enqueued = enqueue_in_process(env)
        services = build_services(Settings.from_env(env))
        services.sender.pacer = Pacer.unlimited()  # the statements, not the pacing, are measured here
        statements: list[str] = []
        sql_seconds = [0.0]

        def count(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            statements.append(statement)
            conn.info["bench_started"] = time.perf_counter()

        def timed(conn: Any, *_args: Any) -> None:
            sql_seconds[0] += time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())

        event.listen(services.engine, "before_cursor_execute", count)
        event.listen(services.engine, "after_cursor_execute", timed)
        try:
            started = time.perf_counter()
            handled = services.sender.drain()
            elapsed = time.perf_counter() - started
        finally:
            event.remove(services.engine, "before_cursor_execute", count)
            event.remove(services.engine, "after_cursor_execute", timed)
            sent = services.sender.counts["sent"]
            services.close(timeout=5)
        carried = fake.calls_carried_out("chat.postMessage")
    if enqueued != batch or sent != batch or carried != batch:
        raise SystemExit(
            f"statement count run with {old_rows} old rows: enqueued {enqueued}, handled {handled}, sent {sent}, carried out {carried}; expected {batch}"
        )
    kinds: dict[str, int] = {}
    for statement in statements:
        kinds[statement.split(None, 1)[0].upper()] = kinds.get(statement.split(None, 1)[0].upper(), 0) + 1
    return {
        "old_rows": old_rows,
        "statements": len(statements),
        "per_message": len(statements) / sent,
        "ms_per_message": elapsed * 1000 / sent,
        "sql_ms_per_message": sql_seconds[0] * 1000 / sent,
        "kinds": kinds,
    }


# -- the report --------------------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def print_table(results: list[tuple[str, str, str, bool]]) -> None:
    """Each target, what it asks, the measured figure and PASS/FAIL, in aligned columns."""
    rows = [("target", "wanted", "measured", "result"), *((n, w, m, verdict(ok)) for n, w, m, ok in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    print()
    for row in rows:
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=1_000, help="due check-ins to fan out (default 1000)")
    team_rate = POST_PER_TEAM.per_minute / 60
    parser.add_argument(
        "--rate", type=float, default=team_rate, help=f"chat.postMessage calls a second the fake allows (default {team_rate:g})"
    )
    parser.add_argument(
        "--burst", type=int, default=POST_PER_TEAM.burst, help=f"token bucket size (default {POST_PER_TEAM.burst})"
    )
    parser.add_argument("--batch", type=int, default=500, help="due messages sent while counting SQL statements (default 500)")
    parser.add_argument("--old-small", type=int, default=1_000, help="old sent outbox rows, small table (default 1000)")
    parser.add_argument("--old-large", type=int, default=50_000, help="old sent outbox rows, large table (default 50000)")
    parser.add_argument("--pre-enqueue", action="store_true", help="write the outbox rows in-process before starting the clock")
    parser.add_argument("--skip-clock", action="store_true", help="only count SQL statements")
    args = parser.parse_args()
    print(f"machine: {machine()}")

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        statements_per_message(0, 20, workdir / "warm-up")  # imports, template compilation: paid before the timed runs
        small = statements_per_message(args.old_small, args.batch, workdir)
        large = statements_per_message(args.old_large, args.batch, workdir)
        clock = None
        if not args.skip_clock:
            timeout = args.people / args.rate * 2 + 120
            clock = bench_clock(args.people, args.rate, args.burst, args.pre_enqueue, workdir, timeout)

    results: list[tuple[str, str, str, bool]] = []  # (target, wanted, measured, met)
    if clock is not None:
        how = (
            "outbox rows written in-process before the clock started (sender only)"
            if args.pre_enqueue
            else "the clock's own tick enqueued them"
        )
        print(
            f"\n`ladder clock` fan-out of {args.people:,} due check-ins, chat.postMessage limited to {args.rate:g}/s (burst {args.burst}); {how}"
        )
        print(
            f"  first post {clock['first_post_s']:.1f} s after start; all posted after {clock['all_posted_s']:.1f} s; "
            f"{clock['rate_limited']} answers 429; {clock['dnd_calls']} DND calls (dnd.info, dnd.teamInfo); {clock['refused']} refusals; exit code {clock['exit_code']}"
        )
        if not args.pre_enqueue and clock["all_enqueued_s"] is not None:
            print(
                f"  all {args.people:,} outbox rows written (by the clock's first tick) {clock['all_enqueued_s']:.1f} s after start"
            )
        gap, at, after = clock["longest_gap"]
        print(f"  longest pause between two carried-out posts: {gap:.2f} s, after post {after:,} ({at:.1f} s after the first)")
        print(f"  posts carried out in each 10 s from the first: {clock['posts_per_10s']}")
        print(f"  outbox rows by status: {clock['counts']}")
        once = (
            clock["distinct"] == args.people
            and clock["duplicates"] == 0
            and clock["posts"] == args.people
            and clock["no_metadata"] == 0
        )
        results.append(
            ("delivered exactly once", f"{args.people:,} distinct keys, none twice, {args.people:,} rows 'sent'",
             f"{clock['distinct']:,} distinct of {clock['posts']:,} posts, {clock['duplicates']} twice, {clock['sent_rows']:,} rows 'sent'",
             once and clock["sent_rows"] == args.people)
        )  # fmt: skip
        ratio = clock["throughput"] / args.rate
        results.append(
            ("sustained throughput", f">= 90% of {args.rate:g}/s",
             f"{clock['throughput']:.2f}/s over {clock['span_s']:.1f} s = {ratio:.1%} (after the first {args.burst}: {clock['steady_throughput']:.2f}/s = {clock['steady_throughput'] / args.rate:.1%})",
             ratio >= 0.9)
        )  # fmt: skip
        results.append(
            (
                "clock peak memory",
                "< 200 MB",
                f"{clock['peak_rss_mb']:.1f} MB VmRSS peak of {clock['samples']} samples (VmHWM {clock['hwm_mb']:.1f} MB)",
                clock["peak_rss_mb"] < 200,
            )
        )
    print(f"\nSQL statements while the sender drained {args.batch} due prompts (unlimited fake Slack):")
    for run in (small, large):
        print(
            f"  {run['old_rows']:>7,} old sent rows: {run['statements']} statements, {run['per_message']:.3f}/message, {run['ms_per_message']:.2f} ms/message in all, "
            f"{run['sql_ms_per_message']:.3f} ms/message executing SQL  {run['kinds']}"
        )
    ratio = large["per_message"] / small["per_message"]
    results.append(
        (
            "SQL statements/message",
            "ratio ~ 1.0 (<= 1.05)",
            f"{small['per_message']:.3f} -> {large['per_message']:.3f}, ratio {ratio:.3f}",
            0.95 <= ratio <= 1.05,
        )
    )

    print_table(results)
    if clock is not None and clock["exit_code"] not in (0, -signal.SIGTERM):
        print(f"\nladder clock log tail:\n{clock['log_tail']}")


if __name__ == "__main__":
    main()

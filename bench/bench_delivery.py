"""Benchmark for issue #19: senders scale out, and a question asked during a fan-out is answered promptly.

Slack is the tests' fake (tests/fake_slack.py) with 100 ms per call (half before Slack acts on it, half before its
answer; calls are served concurrently) and Slack's per-method limits per workspace (`FakeSlack.limit_like_slack`: the
tiers, and chat.postMessage's 1 a second per conversation with short bursts, 300 a minute per workspace); a call over a
limit answers 429 with Retry-After and is not carried out. The database is PostgreSQL (a fresh database per run,
dropped after it).

1. Throughput: delivered messages per second with 1, 2 and 4 sender processes. The outbox holds `--messages` check-in
   prompts, one per person, spread over `--teams` workspaces (the fake counts each call against the workspace the
   recipient's id names, as if each workspace had installed Ladder; the app runs on one token), so that Slack's limits
   do not bind first. The sender processes are the worker processes of one `ladder serve` (WEB_CONCURRENCY 1, 2, 4;
   LADDER_CLOCK=off; LADDER_SENDERS threads each: a serve worker's senders need no lease). The rows fall due together
   a little after the workers are up; the rate is (messages − 1) / (last post − first post), posts as the fake received
   them. Targets: ≥ 1.8× from 1 to 2 processes, ≥ 3.2× from 1 to 4.
2. An answer during a fan-out: `--fan-out` check-in prompts to one workspace fall due at once on a running
   `ladder serve` (WEB_CONCURRENCY `--answer-processes`, default 2; LADDER_SENDERS threads each); once they are
   flowing, `--questions` @mentions are posted over HTTP to /slack/events, signed as Slack signs, one every `--every`
   seconds, each in its own channel; an answer's delay runs from just before its event is posted until the fake Slack
   receives the answer's post in that channel. Target: p99 < 2 s. The fan-out is not waited for (at Slack's 300 a minute per workspace it takes 33 min).

Every delivered message is checked to have arrived once (the outbox key in its metadata).

Run:  .venv/bin/python bench/bench_delivery.py [--messages 1200] [--teams 40] [--senders 2] [--processes 1,2,4]
          [--fan-out 10000] [--questions 100] [--every 1.0] [--latency 0.1] [--skip-throughput] [--skip-answers]
PostgreSQL: LADDER_TEST_PG_URL (default postgresql://postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from bench.bench_slack import BIN, SECRET, TOKEN, free_port, percentile, wait_healthy  # noqa: E402
from bot.checkins.service import CHECKIN_PROMPT  # noqa: E402
from storage.engine import make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.repositories.outbox import Outbox  # noqa: E402
from storage.unit_of_work import unit_of_work  # noqa: E402
from tests.fake_slack import FakeSlack  # noqa: E402
from tests.slack_requests import SlackSender  # noqa: E402

PG_SERVER = (os.environ.get("LADDER_TEST_PG_URL") or "postgresql://postgres@127.0.0.1:5432").rstrip("/")
QUESTION = "<@U0BOT> what does Staff mean?"
ASKER = "U0ASKER"
TEAM = "T0TEST"


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}; load average {load}"


# -- PostgreSQL, the outbox ---------------------------------------------------------------------------------------


@contextmanager
def fresh_database() -> Iterator[str]:
    name = f"ladder_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = f"{PG_SERVER}/{name}"
        upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def person(team: int, n: int) -> str:
    """A Slack user id naming its workspace (U, three digits of workspace, then five of person)."""
    return f"U{team:03d}{n:05d}"


def team_id(team: int) -> str:
    return f"T{team:03d}"


def team_of_call(method: str, args: dict[str, Any]) -> str:
    """The workspace a call counts against: the one its person's id names (a DM's conversation is 'D' + their id)."""
    who = str(args.get("channel") or args.get("users") or args.get("user") or "").removeprefix("D")
    return f"T{who[1:4]}" if who[:1] == "U" and who[1:4].isdigit() else TEAM


def enqueue(database_url: str, recipients: list[tuple[str, str]], due_at: datetime, prefix: str) -> None:
    """One check-in prompt to each (team, person), due at ``due_at``, written straight into the outbox."""
    engine = make_engine(database_url)
    by_team: dict[str, list[tuple[str, str, str, dict[str, Any]]]] = {}
    for n, (team, user) in enumerate(recipients):
        key = f"{prefix}:{n:06d}"
        by_team.setdefault(team, []).append((key, CHECKIN_PROMPT, user, {"key": key, "due_on": due_at.date().isoformat()}))
    try:
        with unit_of_work(engine) as work:
            outbox = Outbox(work.session)
            for team, rows in by_team.items():
                for start in range(0, len(rows), 1000):
                    outbox.enqueue_many(team, rows[start : start + 1000], due_at=due_at)
    finally:
        engine.dispose()


def outbox_counts(database_url: str) -> dict[str, int]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return dict(connection.execute(text("SELECT status, count(*) FROM outbox GROUP BY status")).all())  # type: ignore[arg-type]
    finally:
        engine.dispose()


# -- the processes -------------------------------------------------------------------------------------------------


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) these processes have used, their reaped children's included."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return total / TICKS


def family(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = [pid]
    for child in children.read_text().split() if children.exists() else ():
        found += family(int(child))
    return found


def postgres_pids(database: str) -> list[int]:
    """The PostgreSQL backends serving ``database`` (their command line names it), not those of other work on the server."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            words = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace").split()
        except OSError:
            continue
        if words[:1] == ["postgres:"] and database in words:
            found.append(int(cmdline.parent.name))
    return found


class Cpu:
    """CPU used from start() to stop(): by the ladder processes, by the PostgreSQL backends serving them (those that
    started later are counted whole: a backend's start-up is a few ms), and by this process (the fake Slack)."""

    def start(self, ladder_pid: int, database_url: str) -> None:
        self._pid = ladder_pid
        self._database = database_url.rsplit("/", 1)[1]
        self._ladder = cpu_seconds(family(ladder_pid))
        self._postgres_pids = postgres_pids(self._database)
        self._postgres = cpu_seconds(self._postgres_pids)
        self._fake = time.process_time()

    def stop(self) -> dict[str, float]:
        return {
            "ladder": cpu_seconds(family(self._pid)) - self._ladder,
            "postgres": cpu_seconds(list(set(self._postgres_pids) | set(postgres_pids(self._database)))) - self._postgres,
            "fake_slack": time.process_time() - self._fake,
        }


@contextmanager
def ladder_serve(fake: FakeSlack, database_url: str, workdir: Path, **env: str) -> Iterator[tuple[int, int]]:
    port = free_port()
    environment = {
        **os.environ,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.url,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        "LADDER_CLOCK": "off",
        "PORT": str(port),
        "HOST": "127.0.0.1",
        **env,
    }
    log = (workdir / f"serve-{port}.log").open("w")
    process = subprocess.Popen([str(BIN / "ladder"), "serve"], env=environment, stdout=subprocess.DEVNULL, stderr=log)
    try:
        wait_healthy(port, "/livez", timeout=60)
        yield port, process.pid
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def delivered(fake: FakeSlack, prefix: str) -> list[Any]:
    """The posts Slack carried out for outbox rows whose key starts with ``prefix``."""
    return [
        c
        for c in fake.calls("chat.postMessage")
        if c.carried_out
        and isinstance(c.args.get("metadata"), dict)
        and str(c.args["metadata"].get("event_payload", {}).get("key", "")).startswith(prefix + ":")
    ]


def once_each(calls: list[Any]) -> tuple[int, int]:
    """(distinct keys, keys delivered more than once)."""
    keys = Counter(c.args["metadata"]["event_payload"]["key"] for c in calls)
    return len(keys), sum(1 for n in keys.values() if n > 1)


# -- 1. throughput -------------------------------------------------------------------------------------------------


def throughput(processes: int, args: argparse.Namespace, workdir: Path) -> dict[str, float]:
    prefix = f"tp{processes}"
    recipients = [(team_id(n % args.teams), person(n % args.teams, n)) for n in range(args.messages)]
    with fresh_database() as database_url, FakeSlack(latency=args.latency) as fake:
        fake.add_user(ASKER, "asker@example.com", "Asker")
        fake.limit_like_slack(team_of=team_of_call)
        due = datetime.now(UTC) + timedelta(seconds=args.warmup)
        enqueue(database_url, recipients, due, prefix)
        cpu = Cpu()
        with ladder_serve(fake, database_url, workdir, WEB_CONCURRENCY=str(processes), LADDER_SENDERS=str(args.senders)) as (
            _,
            pid,
        ):
            while datetime.now(UTC) < due:
                time.sleep(0.05)
            cpu.start(pid, database_url)
            deadline = time.monotonic() + args.timeout
            while len(delivered(fake, prefix)) < args.messages and time.monotonic() < deadline:
                time.sleep(0.2)
            used = cpu.stop()
            time.sleep(1)  # anything sent twice would arrive now
        posts = sorted(delivered(fake, prefix), key=lambda c: c.received)
        distinct, twice = once_each(posts)
        limited = sum(1 for c in fake.calls("chat.postMessage") if c.rate_limited)
        counts = outbox_counts(database_url)
    if distinct < args.messages:
        print(f"  {processes} process(es): only {distinct} of {args.messages} delivered in time; outbox {counts}")
    span = posts[-1].received - posts[0].received if len(posts) > 1 else float("nan")
    return {
        "processes": processes,
        "delivered": distinct,
        "twice": twice,
        "seconds": span,
        "per_second": (len(posts) - 1) / span if span else float("nan"),
        "rate_limited": limited,
        "calls": len(fake.calls()),
        **{f"cpu_{k}": v for k, v in used.items()},
    }


# -- 2. an answer during a fan-out -------------------------------------------------------------------------------


def answers_during_fan_out(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    recipients = [(TEAM, f"U{n:07d}") for n in range(args.fan_out)]
    with fresh_database() as database_url, FakeSlack(latency=args.latency) as fake:
        fake.add_user(ASKER, "asker@example.com", "Asker")
        fake.limit_like_slack()  # one workspace: the question's answer and the fan-out share its limits
        due = datetime.now(UTC) + timedelta(seconds=args.warmup)
        enqueue(database_url, recipients, due, "fan")
        processes = str(args.answer_processes)
        with ladder_serve(fake, database_url, workdir, WEB_CONCURRENCY=processes, LADDER_SENDERS=str(args.senders)) as (port, _):
            sender = SlackSender(f"http://127.0.0.1:{port}", SECRET)
            deadline = time.monotonic() + args.warmup + args.timeout
            while len(delivered(fake, "fan")) < 50 and time.monotonic() < deadline:
                time.sleep(0.1)
            before = len(delivered(fake, "fan"))
            asked: dict[str, float] = {}
            for i in range(args.questions):
                channel = f"C0Q{i:05d}"
                asked[channel] = time.monotonic()
                status = sender.app_mention(QUESTION, user=ASKER, channel=channel, ts=f"{int(time.time())}.{i:06d}")[0]
                if status != 200:
                    print(f"  question {i}: HTTP {status}")
                time.sleep(args.every)
            wait_until = time.monotonic() + args.answer_timeout
            while time.monotonic() < wait_until and len(_answers(fake, asked)) < len(asked):
                time.sleep(0.1)
            answers = _answers(fake, asked)
            during = len(delivered(fake, "fan")) - before
            counts = outbox_counts(database_url)
        distinct, twice = once_each(delivered(fake, "fan"))
    delays = [answers[channel] - asked[channel] for channel in asked if channel in answers]
    return {
        "questions": len(asked),
        "answered": len(delays),
        "p50": percentile(delays, 0.50) if delays else float("nan"),
        "p99": percentile(delays, 0.99) if delays else float("nan"),
        "max": max(delays, default=float("nan")),
        "prompts_during": during,
        "prompts_delivered": distinct,
        "prompts_twice": twice,
        "outbox": counts,
        "rate_limited": dict(Counter(c.method for c in fake.calls() if c.rate_limited)),
    }


def _answers(fake: FakeSlack, asked: dict[str, float]) -> dict[str, float]:
    """When the fake received the first post carried out in each question's channel."""
    found: dict[str, float] = {}
    for call in fake.calls("chat.postMessage"):
        channel = str(call.args.get("channel") or "")
        if channel in asked and call.carried_out and channel not in found:
            found[channel] = call.received
    return found


# -- main ----------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1200)
    parser.add_argument("--teams", type=int, default=40)
    parser.add_argument("--senders", type=int, default=2, help="LADDER_SENDERS: sender threads per process")
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument("--fan-out", type=int, default=10_000)
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--every", type=float, default=1.0, help="seconds between questions")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds each Slack call takes")
    parser.add_argument("--warmup", type=float, default=20.0, help="seconds from start until the rows fall due")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--answer-timeout", type=float, default=30.0)
    parser.add_argument("--answer-processes", type=int, default=2, help="WEB_CONCURRENCY of the serve the questions go to")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-answers", action="store_true")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if not args.skip_throughput:
            results = [throughput(int(n), args, workdir) for n in args.processes.split(",")]
            base = results[0]["per_second"]
            print(
                f"\nthroughput: {args.messages} messages over {args.teams} workspaces, {args.senders} sender threads a process,"
            )
            print(f"{args.latency * 1000:.0f} ms a call, Slack's limits per workspace")
            for r in results:
                speedup = r["per_second"] / base
                print(
                    f"  {r['processes']} process(es): {r['per_second']:6.1f} messages/s ({speedup:.2f}x), "
                    f"{r['delivered']} delivered in {r['seconds']:.1f} s, {r['twice']} twice, {r['rate_limited']} answered 429"
                )
                per = {k: 1000 * r[f"cpu_{k}"] / max(1, r["delivered"]) for k in ("ladder", "postgres", "fake_slack")}
                busy = sum(r[f"cpu_{k}"] for k in ("ladder", "postgres", "fake_slack")) / r["seconds"]
                print(
                    f"    CPU a message: ladder {per['ladder']:.1f} ms, PostgreSQL {per['postgres']:.1f} ms, fake Slack "
                    f"{per['fake_slack']:.1f} ms; {busy:.2f} of the {os.cpu_count()} cores busy with them"
                )
            by = {r["processes"]: r["per_second"] / base for r in results}
            if 2 in by:
                print(f"  1 -> 2: {by[2]:.2f}x (target >= 1.8): {'PASS' if by[2] >= 1.8 else 'FAIL'}")
            if 4 in by:
                print(f"  1 -> 4: {by[4]:.2f}x (target >= 3.2): {'PASS' if by[4] >= 3.2 else 'FAIL'}")
        if not args.skip_answers:
            a = answers_during_fan_out(args, workdir)
            print(
                f"\nanswers during a {args.fan_out}-prompt fan-out (one workspace, {args.answer_processes} processes x "
                f"{args.senders} senders, a question every {args.every} s):"
            )
            print(
                f"  {a['answered']}/{a['questions']} answered; delay p50 {a['p50']:.2f} s, p99 {a['p99']:.2f} s, "
                f"max {a['max']:.2f} s (target p99 < 2 s): {'PASS' if a['p99'] < 2 and a['answered'] == a['questions'] else 'FAIL'}"
            )
            print(
                f"  prompts delivered while the questions were asked: {a['prompts_during']}; in all {a['prompts_delivered']}, "
                f"{a['prompts_twice']} twice; 429 answers by method {a['rate_limited']}; outbox {a['outbox']}"
            )


if __name__ == "__main__":
    main()

"""Benchmarks for issue #8 (nominations and peer reviews), each against a baseline measured in the same run.

1. 1,000 nominations with 5 reviewers each, submitted over HTTP to `ladder serve` (waitress workers, SQLite) as Slack
   delivers them: the first page (who, which level), then the case page. The case page's `view_submission`
   is timed and, interleaved, the same signed body to a bare Bolt app that acks any view submission
   (bench/bare_bolt.py, same server setup). Target: p99 ratio (ladder / bare) <= 2.
2. All 5,000 review requests delivered exactly once: the outbox sender drains against the fake Slack, and
   every `chat.postMessage` is matched to its outbox key (carried as message metadata).
3. SQL statements per case-page submission, counted in-process (SQLAlchemy `before_cursor_execute`) for 20
   submissions before the 1,000 and 20 after: constant, not growing with stored nominations.
4. App Home publish for a reviewer with 20 open review requests against a person with none, over HTTP to
   `ladder serve`, interleaved: target p50 and p99 ratio <= 2.

Run:  .venv/bin/python bench/bench_nominations.py [--nominations 1000] [--publishes 300]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_home import PublishClock, publish_over_http  # noqa: E402
from bench_outbox import machine  # noqa: E402
from bench_slack import BIN, free_port, percentile, serve_env, wait_healthy  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from storage.engine import make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import PromotionCycle  # noqa: E402
from storage.repositories import PeopleRepository  # noqa: E402
from tests.app_server import SIGNING_SECRET as SECRET  # noqa: E402
from tests.app_server import running_ladder  # noqa: E402
from tests.slack_requests import sign  # noqa: E402

TEAM = "T0TEST"
MANAGER, HEAVY, NONE = "U0MGR", "U0HEAVY", "U0NONE"
REVIEWERS_EACH = 5
COUNTED = 20
TRACE = False


def interaction(payload: dict[str, Any]) -> bytes:
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()


def submission(view_id: str, callback_id: str, values: dict[str, Any], metadata: str = "") -> bytes:
    return interaction(
        {
            "type": "view_submission", "team": {"id": TEAM, "domain": "bench"}, "user": {"id": MANAGER, "team_id": TEAM},
            "api_app_id": "A0LADDER", "token": "x", "trigger_id": "1.2.3",
            "view": {"id": view_id, "team_id": TEAM, "type": "modal", "callback_id": callback_id, "private_metadata": metadata,
                     "state": {"values": {k: {"value": v} for k, v in values.items()}}, "hash": "1.a", "blocks": []},
        }
    )  # fmt: skip


def post(port: int, body: bytes) -> tuple[float, int, bytes]:
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Connection": "close", **sign(SECRET, body)}
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/slack/events", body=body, headers=headers)
    response = conn.getresponse()
    answer = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed, response.status, answer


def nominee(i: int) -> str:
    return f"U0N{i:05d}"


def reviewer(j: int) -> str:
    return f"U0R{j:05d}"


def bodies(i: int, port: int, total: int) -> bytes:
    """Submit the first page for nomination ``i`` over HTTP; return the signed case-page body for it."""
    first = submission(
        f"VB{i:06d}", "nominate",
        {"nominee": {"type": "users_select", "selected_user": nominee(i)}, "target": {"type": "static_select", "selected_option": {"value": "next"}}},
    )  # fmt: skip
    _, status, answer = post(port, first)
    page = json.loads(answer) if status == 200 else {}
    if page.get("response_action") != "update":
        raise SystemExit(f"first page of nomination {i}: HTTP {status} {answer[:300]!r}")
    reviewers = [reviewer((i + k) % total) for k in range(REVIEWERS_EACH)]
    return submission(
        f"VB{i:06d}", "nomination_case",
        {"case:technical_depth": {"type": "plain_text_input", "value": "Led the storage migration across three teams."},
         "reviewers": {"type": "multi_users_select", "selected_users": reviewers}},
        page["view"]["private_metadata"],
    )  # fmt: skip


def seed(url: str, fake: PublishClock, total: int) -> None:
    upgrade(url)
    people = PeopleRepository(make_engine(url))
    fake.add_user(MANAGER, "mgr@example.com", "Manager")
    people.upsert(TEAM, MANAGER, name="Manager", email=None, track="management", level="director", manager_user_id=None)
    for user, level in (
        [(HEAVY, "staff"), (NONE, "staff")]
        + [(nominee(i), "senior") for i in range(total)]
        + [(reviewer(j), "staff") for j in range(total)]
    ):
        fake.add_user(user, f"{user.lower()}@example.com", user)
        people.upsert(TEAM, user, name=user, email=None, track="ic", level=level, manager_user_id=MANAGER)


def counted_submissions(ladder: Any, start: int, total: int) -> list[int]:
    """Submit COUNTED nominations through the in-process app; SQL statements of each case page."""
    port = int(urllib.parse.urlsplit(ladder.url).port or 0)
    counter = [0]

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not threading.current_thread().name.startswith("outbox-sender"):  # the request's own, not the senders'
            counter[0] += 1
            if TRACE:
                print("   ", statement.split("\n")[0][:110])

    out = []
    for i in range(start, start + COUNTED):
        body = bodies(i, port, total)
        event.listen(ladder.services.engine, "before_cursor_execute", count)
        before = counter[0]
        _, status, answer = post(port, body)
        event.remove(ladder.services.engine, "before_cursor_execute", count)
        if b"update" not in answer:
            raise SystemExit(f"case page {i}: {status} {answer[:300]!r}")
        out.append(counter[0] - before)
    return out


def time_acks(ladder_port: int, bare_port: int, numbers: range, total: int) -> dict[str, list[float]]:
    """Each nomination's first page to Ladder, then its case page to the bare app and to Ladder: seconds per ack."""
    samples: dict[str, list[float]] = {"ladder": [], "bare": []}
    for i in numbers:
        body = bodies(i, ladder_port, total)
        for name, port in (("bare", bare_port), ("ladder", ladder_port)):
            elapsed, status, answer = post(port, body)
            if status != 200 or (name == "ladder" and b"update" not in answer):
                raise SystemExit(f"{name}, nomination {i}: HTTP {status} {answer[:300]!r}")
            samples[name].append(elapsed)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nominations", type=int, default=1000)
    parser.add_argument("--publishes", type=int, default=300)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    total = args.nominations + 2 * COUNTED + 20
    with tempfile.TemporaryDirectory() as tmp, PublishClock() as fake:
        workdir = Path(tmp)
        env = {**serve_env(fake, workdir), "SLACK_SIGNING_SECRET": SECRET}  # one secret for both servers and the in-process app
        url = env["DATABASE_URL"]
        seed(url, fake, total)
        with running_ladder(fake.url, workdir, database_url=url) as ladder:
            before = counted_submissions(ladder, 0, total)

        ladder_port, bare_port = free_port(), free_port()
        log = open(workdir / "serve.log", "w")
        serve = subprocess.Popen([str(BIN / "ladder"), "serve", "--port", str(ladder_port)], env=env, cwd=workdir, stderr=log)
        bare = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "bare_bolt.py"), str(bare_port)], env=env, cwd=workdir, stderr=log
        )
        try:
            wait_healthy(ladder_port, "/healthz")
            wait_healthy(bare_port, "/slack/events")
            # Timed from a process of its own: the fake Slack answering the server's calls (users.info, the review
            # requests' chat.postMessage) runs in this one and would otherwise share the timer's interpreter.
            with multiprocessing.get_context("spawn").Pool(1) as timer:
                samples = timer.apply(time_acks, (ladder_port, bare_port, range(COUNTED, COUNTED + args.nominations), total))

            with running_ladder(fake.url, workdir, database_url=url) as ladder:
                after = counted_submissions(ladder, COUNTED + args.nominations, total)
                # a reviewer with 20 open requests: 20 more nominations naming them
                with Session(ladder.services.engine) as session:
                    cycle = session.exec(select(PromotionCycle)).one()
                    cycle.review_cap = 100
                    session.add(cycle)
                    session.commit()
                port = int(urllib.parse.urlsplit(ladder.url).port or 0)
                for k in range(20):  # nominees numbered after every other nomination, each naming the heavy reviewer
                    body = bodies(total - 20 + k, port, total).replace(
                        reviewer((total - 20 + k) % total).encode(), HEAVY.encode()
                    )
                    _, status, answer = post(port, body)
                    if b"update" not in answer:
                        raise SystemExit(f"a nomination naming {HEAVY}: {status} {answer[:300]!r}")
                fake.reset()
                sent = drain_and_check(ladder, fake)

            homes: dict[str, list[float]] = {"20 requests": [], "none": []}
            counter = [0]
            for _ in range(20):
                publish_over_http(ladder_port, fake, HEAVY, counter)
                publish_over_http(ladder_port, fake, NONE, counter)
            for n in range(args.publishes):
                for name, user in (("20 requests", HEAVY), ("none", NONE)) if n % 2 else (("none", NONE), ("20 requests", HEAVY)):
                    homes[name].append(publish_over_http(ladder_port, fake, user, counter)[0])
            heavy_home = json.dumps(fake.home_of(HEAVY) or {})
        finally:
            for process in (serve, bare):
                process.terminate()
                process.wait(timeout=15)
            log.close()

    ms = {
        name: (percentile(v, 0.5) * 1000, percentile(v, 0.99) * 1000, statistics.fmean(v) * 1000) for name, v in samples.items()
    }
    print(
        f"\ncase-page view_submission over HTTP, {args.nominations} nominations x {REVIEWERS_EACH} reviewers, interleaved with the bare Bolt ack:"
    )
    for name, (p50, p99, mean) in ms.items():
        print(f"  {name:<7}: p50 {p50:.2f} ms  p99 {p99:.2f} ms  mean {mean:.2f} ms")
    print(f"  ratio  : p50 {ms['ladder'][0] / ms['bare'][0]:.2f}  p99 {ms['ladder'][1] / ms['bare'][1]:.2f}   (target: p99 <= 2)")
    print(
        f"review requests delivered: {sent['distinct']} distinct keys in {sent['posts']} posts, {sent['twice']} twice, "
        f"expected {sent['expected']} ({sent['sent']} marked sent, {sent['missing']} never posted)"
    )
    print(
        f"SQL statements per case-page submission: first {COUNTED}: {sorted(set(before))}; after {args.nominations} more stored: {sorted(set(after))}"
    )
    h = {name: (percentile(v, 0.5) * 1000, percentile(v, 0.99) * 1000) for name, v in homes.items()}
    print(f"App Home publish, {args.publishes} each, interleaved:")
    for name, (p50, p99) in h.items():
        print(f"  {name:<11}: p50 {p50:.2f} ms  p99 {p99:.2f} ms")
    print(
        f"  ratio      : p50 {h['20 requests'][0] / h['none'][0]:.2f}  p99 {h['20 requests'][1] / h['none'][1]:.2f}   (target <= 2)"
    )
    print(f"  the heavy reviewer's Home lists {heavy_home.count('review_write')} review buttons")


def drain_and_check(ladder: Any, fake: PublishClock) -> dict[str, int]:
    """Send everything in the outbox; every review request reaches its reviewer exactly once."""
    from collections import Counter

    from storage.models import OutboxMessage

    services = ladder.services
    services.sender.drain()
    with Session(services.engine) as session:
        expected = [m.key for m in session.exec(select(OutboxMessage).where(OutboxMessage.purpose == "review_request"))]
        statuses = Counter(m.status for m in session.exec(select(OutboxMessage).where(OutboxMessage.purpose == "review_request")))
    posted = Counter()
    for call in fake.calls("chat.postMessage"):
        if not call.carried_out:
            continue
        metadata = call.args.get("metadata") or {}
        key = str((metadata.get("event_payload") or {}).get("key", "")) if isinstance(metadata, dict) else ""
        if key.startswith("review-request:"):
            posted[key] += 1
    return {
        "expected": len(expected), "distinct": len(posted), "posts": sum(posted.values()), "twice": sum(1 for n in posted.values() if n > 1),
        "sent": statuses.get("sent", 0), "missing": len(set(expected) - set(posted)),
    }  # fmt: skip


if __name__ == "__main__":
    main()

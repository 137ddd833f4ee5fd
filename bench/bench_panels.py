"""Benchmark for issue #9: one panel's digest, 500 review packets, and posting a digest through the outbox.

A SQLite database (migrated with `ladder db upgrade`) holds a cycle in its panel review with
500 nominations ready for one panel of 5, each with 5 submitted peer reviews (ratings, examples,
comments) and a case per competency; 500 more nominations belong to another panel, so the digest
must pick its own out of a cycle twice its size.

Targets:
1. One panel's digest is built with a constant number of SQL statements (no query per nomination):
   statements counted (SQLAlchemy `before_cursor_execute`) for digests of 5, 50 and 500 nominations;
   PASS when all three are equal.
2. The 500-nomination digest is built in under a second (median of 5 builds). For scale, the same
   run times the digest of 50 (the ratio shows how it grows).
3. The 500 packets render (Jinja2, Markdown) in under 30 s.
4. Posting respects Slack's limits through the outbox: the digest (parent, 500 thread replies, 5
   private digests, 500 packets to each of the 5 judges' own conversations, uploaded with
   files_upload_v2) is sent by the real outbox sender to the fake Slack limiting chat.postMessage to
   --rate a second (token bucket; an empty bucket answers 429 with Retry-After), the private panel
   channel's members checked before each post. PASS when every message is delivered exactly once (by
   outbox key, and by file name and conversation), every thread reply carries its parent's ts, and no
   call got through beyond the limit.

Run:  .venv/bin/python bench/bench_panels.py [--nominations 500] [--rate 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402
from sqlmodel import Session, col, select  # noqa: E402

from bench.bench_outbox import bench_env, ladder_db_upgrade, machine, print_table  # noqa: E402
from tests.fake_slack import FakeSlack  # noqa: E402

TEAM = "T0TEST"
PANELISTS = ["UPANEL1", "UPANEL2", "UPANEL3", "UPANEL4", "UPANEL5"]
REVIEWS = 5
NOW = datetime(2026, 5, 12, 9, tzinfo=UTC)


def populate(engine: Any, nominations: int, framework: Any) -> None:
    """Two panels (IC, management), a cycle in its panel review, and ``nominations`` ready for each panel."""
    from storage.models import Nomination, Panel, PanelMember, Person, PromotionCycle, ReviewRequest

    senior = framework.level("senior")
    staff = framework.level("staff")
    competencies = framework.competencies_at(staff)
    with Session(engine) as session:
        cycle = PromotionCycle(
            team_id=TEAM, name="2026 H1", opens_on=date(2026, 4, 1), reviews_due_on=date(2026, 4, 29),
            panel_from=date(2026, 5, 6), decisions_on=date(2026, 5, 20),
        )  # fmt: skip
        session.add(cycle)
        ic = Panel(
            team_id=TEAM,
            name="IC panel",
            chair=PANELISTS[0],
            channel="C0PANEL",
            scope={"families": [], "tracks": ["ic"], "levels": []},
        )
        management = Panel(team_id=TEAM, name="Management panel", chair="UMGMT1", channel="C0MGMT", scope={"families": [], "tracks": ["management"], "levels": []})  # fmt: skip
        session.add_all([ic, management])
        session.flush()
        session.add_all(PanelMember(team_id=TEAM, panel_id=ic.id, user_id=u) for u in PANELISTS)
        session.add_all(PanelMember(team_id=TEAM, panel_id=management.id, user_id=f"UMGMT{i}") for i in range(1, 6))
        people = [Person(team_id=TEAM, user_id=u, name=u, track="ic", level="principal") for u in PANELISTS]
        for kind, target in (("ic", "staff"), ("mg", "sr_em")):
            for i in range(nominations):
                nominee = f"U{kind.upper()}{i:05d}"
                people.append(
                    Person(team_id=TEAM, user_id=nominee, name=f"Person {kind} {i}", track="ic" if kind == "ic" else "management",
                           level="senior" if kind == "ic" else "em", manager_user_id="UBOSS", level_since=date(2024, 1, 15))
                )  # fmt: skip
                nomination = Nomination(
                    team_id=TEAM, cycle_id=cycle.id, nominee=nominee, nominator="UBOSS", from_level=senior.id if kind == "ic" else "em",
                    target_level=target, stage="ready", case={c.id: f"Evidence for {c.name}, nomination {i}. " * 8 for c in competencies},
                    portfolio=[{"kind": "shipped", "text": f"Project {i} https://example.com/{i}", "link": f"https://example.com/{i}"}],
                    open_key=f"{cycle.id}:{nominee}", submitted_at=NOW - timedelta(days=30), reviews_due_on=date(2026, 4, 29),
                )  # fmt: skip
                session.add(nomination)
                session.flush()
                session.add_all(
                    ReviewRequest(
                        team_id=TEAM, nomination_id=nomination.id, reviewer=f"UREV{(i + r) % 400:04d}", cycle_id=cycle.id, status="submitted",
                        ratings={c.id: ("meets", "exceeds", "partly")[(i + r) % 3] for c in competencies},
                        examples={c.id: f"Saw it in project {i}." for c in competencies}, recommendation="yes",
                        comment=f"Review {r} of nomination {i}: solid work across teams. " * 4,
                    )
                    for r in range(REVIEWS)
                )  # fmt: skip
        session.add_all(people)
        session.commit()


def board_for(engine: Any, framework: Any) -> tuple[Session, Any]:
    from bot.panels.board import Board

    session = Session(engine)
    return session, Board.open(framework, session, lambda: NOW)


def count_statements(engine: Any, framework: Any, nominations: int) -> tuple[int, float]:
    """Statements and seconds for one panel's digest limited to ``nominations`` (the first ones by id)."""
    session, board = board_for(engine, framework)
    panel = board.docket.panels.named(TEAM, "IC panel")
    cycle = board.cycles.named(TEAM, "2026 H1")
    original = board.docket.repo.nominations_in

    def limited(team_id: str, cycle_id: int, stages: Any) -> Any:
        found = original(team_id, cycle_id, stages)
        ic = [n for n in found if n.target_level == "staff"][:nominations]
        return ic + [n for n in found if n.target_level != "staff"]

    board.docket.repo.nominations_in = limited  # type: ignore[method-assign]
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        session.expire_all()
        started = time.perf_counter()
        built = board.digests.build(TEAM, panel, cycle)
        elapsed = time.perf_counter() - started
    finally:
        event.remove(engine, "before_cursor_execute", count)
        session.close()
    assert len(built.entries) == nominations, (len(built.entries), nominations)
    return len(statements), elapsed


def time_build(engine: Any, framework: Any, repeats: int = 5) -> tuple[float, Any]:
    times = []
    built = None
    for _ in range(repeats):
        session, board = board_for(engine, framework)
        panel = board.docket.panels.named(TEAM, "IC panel")
        cycle = board.cycles.named(TEAM, "2026 H1")
        started = time.perf_counter()
        built = board.digests.build(TEAM, panel, cycle)
        times.append(time.perf_counter() - started)
        session.close()
    return statistics.median(times), built


def render_packets(framework: Any, built: Any) -> tuple[float, int]:
    from messages.panels import packet

    names = {e.case.nomination.nominee: f"Person {i}" for i, e in enumerate(built.entries)}
    started = time.perf_counter()
    size = 0
    for entry in built.entries:
        size += len(packet(framework, entry, names, today=NOW.date()).content)
    return time.perf_counter() - started, size


def post_digest(database: Path, nominations: int, rate: float, burst: int) -> dict[str, Any]:
    """Enqueue the digest in-process, then let the real outbox sender deliver it to a rate-limited fake Slack."""
    from bot.runtime.services import build_services
    from bot.runtime.settings import Settings
    from storage.models import OutboxMessage

    with FakeSlack() as fake:
        for user in PANELISTS:
            fake.add_user(user, f"{user.lower()}@example.com", user)
        fake.add_channel("C0PANEL", "ic-panel", private=True, members=PANELISTS)
        fake.limit_rate("chat.postMessage", rate, burst=burst)
        env = bench_env(fake, database)
        services = build_services(Settings.from_env(env))  # the sender runs on the wall clock: the digest's rows are due
        from bot.panels.board import Board
        from storage.unit_of_work import unit_of_work

        with unit_of_work(services.engine) as work:
            board = Board.open(services.framework, work.session, lambda: NOW)
            count = board.digests.post(
                TEAM, board.docket.panels.named(TEAM, "IC panel"), board.cycles.named(TEAM, "2026 H1"), "bench"
            )
        with Session(services.engine) as session:
            enqueued = len(session.exec(select(OutboxMessage.id)).all())
        started = time.perf_counter()
        rounds = 0
        while rounds < 100_000:
            handled = services.sender.run_once()
            rounds += 1
            with Session(services.engine) as session:
                left = len(
                    session.exec(select(OutboxMessage.id).where(col(OutboxMessage.status).in_(("pending", "sending")))).all()
                )
            if not left:
                break
            if not handled:
                time.sleep(0.2)  # thread replies wait for their parent; retries wait out their backoff
        elapsed = time.perf_counter() - started
        with Session(services.engine) as session:
            statuses = dict(_status_counts(session))
        posts = [c for c in fake.calls("chat.postMessage") if c.carried_out]
        keys = [((c.args.get("metadata") or {}).get("event_payload") or {}).get("key") for c in posts]
        parent_ts = {c.answer.get("ts") for c in posts if not c.args.get("thread_ts")}
        replies = [c for c in posts if c.args.get("thread_ts")]
        files = [f for f in fake.files.values() if f["shared_in"]]
        limited = [c for c in fake.calls("chat.postMessage") if c.rate_limited]
        services.close(timeout=5)
    return {
        "nominations": count, "enqueued": enqueued, "seconds": elapsed, "posts": len(posts), "distinct_keys": len(set(keys)),
        "replies_threaded": all(c.args["thread_ts"] in parent_ts for c in replies), "replies": len(replies),
        "files": len(files), "distinct_files": len({(f["name"], *f["shared_in"]) for f in files}), "rate_limited": len(limited),
        "statuses": statuses,
        "posts_per_second": len(posts) / elapsed if elapsed else 0.0,
    }  # fmt: skip


def _status_counts(session: Session) -> list[tuple[str, int]]:
    from sqlalchemy import func

    from storage.models import OutboxMessage

    return list(session.exec(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nominations", type=int, default=500, help="nominations before the panel (default 500)")
    parser.add_argument("--rate", type=float, default=50.0, help="chat.postMessage calls a second the fake allows (default 50)")
    parser.add_argument("--burst", type=int, default=50)
    parser.add_argument("--skip-posting", action="store_true")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    from bot.framework.loader import load_framework
    from storage.engine import make_engine

    framework = load_framework(None)
    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as fake:
        database = Path(tmp) / "panels.db"
        ladder_db_upgrade(bench_env(fake, database))
        engine = make_engine(f"sqlite:///{database}")
        started = time.perf_counter()
        populate(engine, args.nominations, framework)
        print(f"populated {args.nominations * 2} nominations × {REVIEWS} reviews in {time.perf_counter() - started:.1f} s")
        count_statements(engine, framework, 5)  # warm-up: imports, the ORM's compiled statements
        counts = {n: count_statements(engine, framework, n) for n in sorted({5, min(50, args.nominations), args.nominations})}
        small = count_statements(engine, framework, min(50, args.nominations))[1]
        build_seconds, built = time_build(engine, framework)
        render_seconds, size = render_packets(framework, built)
        engine.dispose()
        posting = None if args.skip_posting else post_digest(database, args.nominations, args.rate, args.burst)

    print("\nstatements per digest:", ", ".join(f"{n} nominations: {s} statements" for n, (s, _) in counts.items()))
    print(
        f"digest build: {args.nominations} nominations median {build_seconds * 1000:.0f} ms; 50 nominations {small * 1000:.0f} ms (ratio {build_seconds / small:.1f}x)"
    )
    print(f"packets: {args.nominations} rendered in {render_seconds:.2f} s ({size / 1e6:.1f} MB of Markdown)")
    results = [
        ("digest SQL statements constant", "equal for 5/50/500", " / ".join(str(s) for s, _ in counts.values()), len({s for s, _ in counts.values()}) == 1),
        (f"digest of {args.nominations} built", "< 1 s", f"{build_seconds * 1000:.0f} ms", build_seconds < 1.0),
        (f"{args.nominations} packets rendered", "< 30 s", f"{render_seconds:.2f} s", render_seconds < 30.0),
    ]  # fmt: skip
    if posting is not None:
        packets = args.nominations * len(PANELISTS)
        expected = 1 + args.nominations + len(PANELISTS) + packets
        print(
            f"posting at {args.rate:g}/s: {posting['enqueued']} outbox messages; {posting['posts']} posts "
            f"({posting['replies']} thread replies), {posting['files']} files, {posting['rate_limited']} calls answered 429 and retried, "
            f"{posting['seconds']:.1f} s ({posting['posts_per_second']:.1f} posts/s); statuses {posting['statuses']}"
        )
        once = (
            posting["enqueued"] == expected and posting["posts"] == posting["distinct_keys"] == expected - packets
            and posting["files"] == posting["distinct_files"] == packets and posting["replies_threaded"]
            and posting["posts_per_second"] <= args.rate * 1.05 + args.burst / max(posting["seconds"], 1)
        )  # fmt: skip
        results.append(
            ("digest posted through the outbox", "each once, threaded, within the rate", f"{posting['posts']} posts + {posting['files']} files of {expected}", once)
        )  # fmt: skip
    print_table(results)


if __name__ == "__main__":
    main()

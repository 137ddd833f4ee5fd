"""Benchmark for issue #18's retention: the clock's daily run over a database with years of history.

Seeds a database (SQLite by default, or --database-url postgresql://…/db, which must be empty) with, per kind, as
many rows past the policy's cut-off as within it: processed Slack events, sent outbox rows (plus pending ones, never
touched), check-in drafts, and decided nominations each with 5 peer review requests, 3 panel scores, a decision, an
applied level change and 10 audit events. Then runs the policy as the clock does (bounded) until nothing is due,
timing every batch (one transaction: how long it holds SQLite's write lock, or its rows on PostgreSQL).

Targets:
1. Everything due is removed and nothing else (counts before and after, per table).
2. The longest batch (one transaction) < 1 s, so the app's requests never wait long behind it.
3. Batches per kind bounded: one run takes at most BATCHES_PER_RUN batches of each kind.

Run:  .venv/bin/python bench/bench_retention.py [--rows 100000] [--nominations 2000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

from bench.bench_outbox import machine, print_table  # noqa: E402
from bot.framework.model import RetentionPolicy  # noqa: E402
from bot.retention import runner  # noqa: E402
from bot.retention.policy import due  # noqa: E402
from storage.engine import make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import (  # noqa: E402
    AuditEvent,
    CheckinDraft,
    LevelChange,
    Nomination,
    OutboxMessage,
    Panel,
    PanelDecision,
    PanelScore,
    ProcessedEvent,
    PromotionCycle,
    ReviewRequest,
)
from storage.repositories.retention import RetentionRepository  # noqa: E402

TEAM = "T0TEST"
NOW = datetime(2027, 6, 15, 3, 0, tzinfo=UTC)
POLICY = RetentionPolicy()
CHUNK = 5_000


def cutoffs() -> dict[str, datetime]:
    return {d.kind: d.cutoff for d in due(POLICY, NOW) if d.cutoff is not None}


def _insert(connection: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        connection.execute(insert(model), rows[start : start + CHUNK])


def seed(engine: Any, rows: int, nominations: int) -> None:
    cut = cutoffs()

    def around(kind: str, n: int) -> datetime:
        """Half the rows past the cut-off, half within it, spread over 60 days either side."""
        return cut[kind] + (-1 if n % 2 == 0 else 1) * timedelta(minutes=1 + (n * 7919) % (60 * 24 * 60))

    with engine.begin() as connection:
        _insert(
            connection,
            ProcessedEvent,
            [{"team_id": TEAM, "event_id": f"Ev{n:08d}", "received_at": around("processed_events", n)} for n in range(rows)],
        )
        _insert(
            connection,
            OutboxMessage,
            [
                {
                    "team_id": TEAM, "key": f"checkin:U{n:06d}:{n}", "purpose": "checkin_prompt", "recipient": f"U{n:06d}",
                    "payload": {"message": "checkin_prompt", "context": {}}, "status": "pending" if n % 50 == 0 else "sent",
                    "respect_dnd": False, "due_at": around("sent_messages", n), "attempts": 1,
                    "sent_at": None if n % 50 == 0 else around("sent_messages", n), "created_at": around("sent_messages", n),
                }
                for n in range(rows)
            ],
        )  # fmt: skip
        _insert(
            connection,
            CheckinDraft,
            [
                {
                    "team_id": TEAM,
                    "user_id": f"U{n:06d}",
                    "answers": {"went_well": "x"},
                    "updated_at": around("checkin_drafts", n),
                }
                for n in range(rows // 5)
            ],
        )
        cycle = connection.execute(
            insert(PromotionCycle).values(
                team_id=TEAM,
                name="2019",
                name_key="2019",
                opens_on=date(2019, 1, 1),
                appeal_days=10,
                review_cap=5,
                status="closed",
                created_by="",
                created_at=NOW,
            )
        ).inserted_primary_key[0]
        panel = connection.execute(
            insert(Panel).values(
                team_id=TEAM,
                name="IC",
                name_key="ic",
                kind="review",
                chair="U0CHAIR",
                scope={},
                created_by="",
                created_at=NOW,
                updated_at=NOW,
            )
        ).inserted_primary_key[0]
        first = None
        nomination_rows = []
        for n in range(nominations):
            at = around("decided_nominations", n)
            nomination_rows.append(
                {
                    "team_id": TEAM, "cycle_id": cycle, "nominee": f"U{n:06d}", "nominator": "U0BOSS", "from_level": "senior",
                    "target_level": "staff", "track_switch": False, "stage": "published", "case": {"c": "evidence " * 40},
                    "portfolio": [], "reviewers": [], "created_at": at, "stage_changed_at": at,
                }
            )  # fmt: skip
        _insert(connection, Nomination, nomination_rows)
        first = connection.execute(select(func.min(Nomination.id))).scalar_one()
        children: dict[Any, list[dict[str, Any]]] = {
            ReviewRequest: [],
            PanelScore: [],
            PanelDecision: [],
            LevelChange: [],
            AuditEvent: [],
        }
        for n in range(nominations):
            i, at = first + n, around("decided_nominations", n)
            children[ReviewRequest] += [
                {"team_id": TEAM, "nomination_id": i, "reviewer": f"UR{r}", "cycle_id": cycle, "status": "submitted", "ratings": {}, "examples": {}, "conflicts": [], "comment": "a review " * 30, "decline_reason": "", "replaced": False, "requested_at": at, "updated_at": at}
                for r in range(5)
            ]  # fmt: skip
            children[PanelScore] += [
                {"team_id": TEAM, "nomination_id": i, "panel_id": panel, "panelist": f"UJ{j}", "ratings": {}, "recommendation": "promote", "rationale": "why " * 30, "flags": [], "submitted_at": at, "updated_at": at}
                for j in range(3)
            ]  # fmt: skip
            children[PanelDecision].append(
                {"team_id": TEAM, "nomination_id": i, "panel_id": panel, "round": "review", "outcome": "promote", "effective_on": at.date(), "feedback": {}, "next_steps": {}, "summary": "", "decided_by": "U0CHAIR", "deciders": [], "decided_at": at, "published_at": at}
            )  # fmt: skip
            children[LevelChange].append(
                {"team_id": TEAM, "user_id": f"U{n:06d}", "nomination_id": i, "from_track": "ic", "from_level": "senior", "to_track": "ic", "to_level": "staff", "effective_on": at.date(), "recorded_at": at, "applied_at": at}
            )  # fmt: skip
            children[AuditEvent] += [
                {"team_id": TEAM, "object_kind": "nomination", "object_id": i, "action": "step", "actor": "U0X", "detail": {}, "at": at}
                for _ in range(10)
            ]  # fmt: skip
        for model, values in children.items():
            _insert(connection, model, values)


def counts(engine: Any) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            t.name: connection.execute(select(func.count()).select_from(t)).scalar_one() for t in SQLModel.metadata.sorted_tables
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="processed events and outbox rows each (default 100000)")
    parser.add_argument("--nominations", type=int, default=2_000, help="decided nominations (default 2000)")
    parser.add_argument("--database-url", help="an empty database (default: a new SQLite file)")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)
        engine = make_engine(url)
        started = time.perf_counter()
        seed(engine, args.rows, args.nominations)
        print(f"seeded {url.split(':')[0]} in {time.perf_counter() - started:.1f} s")
        before = counts(engine)
        preview = {o.due.kind: o.rows for o in runner.preview(engine, POLICY, NOW)}

        batches: list[tuple[float, int, str]] = []  # seconds, run, kind
        real_work, real_remove = runner.unit_of_work, RetentionRepository.remove
        kind_of_batch = [""]
        runs = 0

        def remove(self: RetentionRepository, kind: str, *a: Any, **k: Any) -> Any:
            kind_of_batch[0] = kind
            return real_remove(self, kind, *a, **k)

        @contextlib.contextmanager
        def timed(*a: Any, **k: Any) -> Iterator[Any]:
            began = time.perf_counter()
            with real_work(*a, **k) as work:
                yield work
            if not k.get("reads_only"):
                batches.append((time.perf_counter() - began, runs, kind_of_batch[0]))

        runner.unit_of_work = timed  # type: ignore[assignment]
        RetentionRepository.remove = remove  # type: ignore[method-assign]
        started = time.perf_counter()
        while True:
            outcomes = runner.apply(engine, POLICY, NOW)
            runs += 1
            if not any(o.more for o in outcomes):
                break
        elapsed = time.perf_counter() - started
        runner.unit_of_work, RetentionRepository.remove = real_work, real_remove  # type: ignore[method-assign]
        per_run_and_kind = Counter((run, kind) for _, run, kind in batches)
        most_batches = max(per_run_and_kind.values())
        longest = max(batches)
        after = counts(engine)

        expected = dict(before)
        for rows in preview.values():
            for table, n in rows.items():
                if not table.startswith("level_change"):
                    expected[table] -= n
        removed = sum(before.values()) - sum(after.values())
        print(f"{runs} clock run(s), {len(batches)} batches, {removed:,} rows removed in {elapsed:.1f} s")
        print_table(
            [
                ("1. due rows removed, nothing else", "after == before - dry run", f"{removed:,} removed; {'equal' if after == expected else 'DIFFERENT'}", after == expected),
                ("2. longest batch (one transaction)", "< 1 s", f"{longest[0]:.3f} s ({longest[2]}; median {sorted(batches)[len(batches) // 2][0]:.3f} s)", longest[0] < 1.0),
                ("3. batches of one kind in one run", f"<= {runner.BATCHES_PER_RUN}", f"{most_batches} ({runs} runs to remove everything)", most_batches <= runner.BATCHES_PER_RUN),
            ]
        )  # fmt: skip
        engine.dispose()


if __name__ == "__main__":
    main()

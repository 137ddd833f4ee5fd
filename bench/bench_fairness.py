"""Benchmark for issue #18: the fairness report of one cycle of 10,000 people and 2,000 nominations.

1. The report (load the cycle's facts, build the report over 5 built-in and 6 held attributes, render Markdown and
   CSV) against a baseline measured in the same run, interleaved: the same rows read from the database and nothing
   done with them. Target: the report in < 2 s.
2. SQL statements the loading takes, counted with a SQLAlchemy ``before_cursor_execute`` listener, for a cycle of
   1,000 people and 200 nominations and for the 10,000: the same count.

The databases are SQLite files in a temporary folder (``--database-url`` for another, e.g. PostgreSQL), filled in
bulk: people on every level below the top, group data for each (some unknown, some "prefer not to say" with HR's
answer behind it), timezones, level history, nominations with published decisions, appeals, stretch work, mentoring.

Run:  .venv/bin/python bench/bench_fairness.py [--people 10000] [--nominations 2000] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_outbox import machine, print_table  # noqa: E402
from sqlalchemy import Engine, event, insert  # noqa: E402

from bot.fairness.collector import collector_paused  # noqa: E402
from bot.fairness.load import load_cycle_facts  # noqa: E402
from bot.fairness.report import build_report  # noqa: E402
from bot.framework.loader import load_framework  # noqa: E402
from messages.fairness_report import report_csv, report_markdown  # noqa: E402
from storage.engine import make_engine, reading  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import (  # noqa: E402
    Appeal,
    CheckinSchedule,
    LevelChange,
    Mentorship,
    Nomination,
    PanelDecision,
    Person,
    PersonGroup,
    PromotionCycle,
    StretchAssignment,
    StretchInterest,
)
from storage.repositories.fairness import FairnessRows  # noqa: E402

TEAM = "T0BENCH"
CYCLE = "2026 H1"
OPENS, CLOSED = date(2026, 1, 5), datetime(2026, 6, 30, 17, tzinfo=UTC)
NOW = datetime(2026, 7, 15, tzinfo=UTC)
HELD = {
    "gender": ("woman", "man", "non-binary", "prefer_not_to_say"),
    "ethnicity": ("Asian", "Black", "Mixed", "White", "Other", "Arab"),
    "location": ("London", "Remote", "Berlin", "New York", "Remote (EU)"),
    "working_pattern": ("full-time", "part-time", "compressed hours"),
    "caring": ("yes", "no"),
    "disability": ("yes", "no", "prefer_not_to_say"),
}
ZONES = ("Europe/London", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney", None)


def full(model: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with every column the model fills by default (a bulk insert does not run the models' default factories)."""
    return [model(**row).model_dump(exclude={"id"}) for row in rows]


def seed(url: str, people: int, nominations: int, rng: random.Random) -> Engine:
    upgrade(url)
    engine = make_engine(url)
    framework = load_framework(None)
    below_top = [(track.id, level.id) for track in framework.tracks for level in track.levels[:-1]]
    tops = [(track.id, track.levels[-1].id) for track in framework.tracks]
    users = [f"U{i:07d}" for i in range(people)]
    created = datetime(2019, 1, 1, tzinfo=UTC)
    rows: dict[Any, list[dict[str, Any]]] = {m: [] for m in (Person, PersonGroup, CheckinSchedule, LevelChange)}
    placed = {}
    for i, user in enumerate(users):
        track, level = rng.choice(tops) if i % 50 == 0 else rng.choice(below_top)
        placed[user] = (track, level)
        since = date(2019, 1, 1) + timedelta(days=rng.randrange(2500))
        rows[Person].append(dict(team_id=TEAM, user_id=user, name=user, track=track, level=level, level_since=since,
                                 created_at=created + timedelta(days=rng.randrange(2400))))  # fmt: skip
        for attribute, values in HELD.items():
            if rng.random() < 0.85:
                rows[PersonGroup].append(dict(team_id=TEAM, user_id=user, attribute=attribute, value=rng.choice(values),
                                              source="self" if rng.random() < 0.3 else "hr"))  # fmt: skip
        zone = rng.choice(ZONES)
        if zone:
            rows[CheckinSchedule].append(dict(team_id=TEAM, user_id=user, timezone=zone))
    with engine.begin() as connection:
        for model, batch in rows.items():
            if batch:
                connection.execute(insert(model), full(model, batch))
        cycle_id = connection.execute(
            insert(PromotionCycle).returning(PromotionCycle.id),
            full(
                PromotionCycle,
                [dict(team_id=TEAM, name=CYCLE, name_key=CYCLE.casefold(), opens_on=OPENS, status="closed", closed_at=CLOSED)],
            )[0],
        ).scalar_one()
        nominees = rng.sample([u for u in users if placed[u] not in tops], nominations)
        nomination_ids = connection.execute(
            insert(Nomination).returning(Nomination.id, Nomination.nominee),
            full(Nomination, [dict(team_id=TEAM, cycle_id=cycle_id, nominee=u, nominator="U0BOSS", from_level=placed[u][1],
                  target_level="next", stage="published", submitted_at=datetime(2026, 2, 1, tzinfo=UTC)) for u in nominees]),
        ).all()  # fmt: skip
        decisions, appeals, changes = [], [], []
        for nomination_id, nominee in nomination_ids:
            outcome = rng.choice(("promote", "promote", "not_yet", "defer"))
            decisions.append(dict(team_id=TEAM, nomination_id=nomination_id, round="review", outcome=outcome,
                                  decided_by="U0CHAIR", deciders=["U0CHAIR"], published_at=datetime(2026, 4, 10, tzinfo=UTC)))  # fmt: skip
            if outcome == "promote":
                track, level = placed[nominee]
                changes.append(dict(team_id=TEAM, user_id=nominee, nomination_id=nomination_id, from_track=track,
                                    from_level=level, to_track=track, to_level=level, effective_on=date(2026, 5, 1)))  # fmt: skip
            elif rng.random() < 0.2:
                appeals.append(dict(team_id=TEAM, nomination_id=nomination_id, appellant=nominee, status="decided"))
                decisions.append(dict(team_id=TEAM, nomination_id=nomination_id, round="appeal",
                                      outcome=rng.choice(("upheld", "promote")), decided_by="U0APPEAL",
                                      published_at=datetime(2026, 5, 10, tzinfo=UTC)))  # fmt: skip
        connection.execute(insert(PanelDecision), full(PanelDecision, decisions))
        if appeals:
            connection.execute(insert(Appeal), full(Appeal, appeals))
        if changes:
            connection.execute(insert(LevelChange), full(LevelChange, changes))
        work = connection.execute(
            insert(StretchAssignment).returning(StretchAssignment.id),
            full(StretchAssignment, [dict(team_id=TEAM, submission_key="bench", poster="U0BOSS", title="t",
                                          starts_on=OPENS, ends_on=date(2026, 3, 1), contact="U0BOSS")])[0],
        ).scalar_one()  # fmt: skip
        takers = rng.sample(users, people // 20)
        connection.execute(insert(StretchInterest), full(StretchInterest, [dict(team_id=TEAM, assignment_id=work, user_id=u, status="taken",
                                                          taken_at=datetime(2026, 3, 1, tzinfo=UTC)) for u in takers]))  # fmt: skip
        mentees = rng.sample(users, people // 20)
        connection.execute(insert(Mentorship), full(Mentorship, [dict(team_id=TEAM, mentee=u, mentor="U0MENTOR", status="accepted",
                                                     cadence="biweekly", decided_at=datetime(2026, 2, 1, tzinfo=UTC))
                                                for u in mentees]))  # fmt: skip
    return engine


def report_once(engine: Engine) -> tuple[int, int]:
    framework = load_framework(None)
    facts = load_cycle_facts(engine, framework, TEAM, CYCLE, NOW)
    report = build_report(facts, framework, now=NOW)
    return len(report_markdown(report)), len(report_csv(report))


def rows_once(engine: Engine) -> int:
    """The baseline: the rows the report reads, read and dropped (the same queries, on one snapshot with the collector
    paused as the loader reads them, and no work done with them)."""
    with collector_paused(), reading(engine).connect() as connection, connection.begin():  # as the loader reads
        rows = FairnessRows(connection)
        cycles = [c.id for c in rows.cycles(TEAM)]
        read = [rows.people(TEAM), rows.level_changes(TEAM), rows.groups(TEAM), rows.timezones(TEAM)]
        read += [rows.nominations(TEAM, cycles), rows.decisions(TEAM, cycles), rows.appeals(TEAM, cycles)]
        read += [rows.scores(TEAM, cycles), rows.stretch_taken(TEAM), rows.mentorships_started(TEAM)]
        return sum(len(r) for r in read)


def statements(engine: Engine) -> int:
    counted: list[str] = []

    def count(*args: Any) -> None:
        counted.append(args[2])

    reader = reading(engine)  # what the loader reads through (a listener on the engine does not reach it once made)
    event.listen(reader, "before_cursor_execute", count)
    try:
        report_once(engine)
    finally:
        event.remove(reader, "before_cursor_execute", count)
    return len(counted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--nominations", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each, interleaved (default 5)")
    parser.add_argument("--database-url", help="an empty database for the large cycle (default: a SQLite file)")
    parser.add_argument("--small-database-url", help="an empty database for the 1,000-person cycle")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    rng = random.Random(18)
    with tempfile.TemporaryDirectory() as folder:
        small_url = args.small_database_url or f"sqlite:///{folder}/small.db"
        large_url = args.database_url or f"sqlite:///{folder}/large.db"
        started = time.perf_counter()
        small = seed(small_url, args.people // 10, args.nominations // 10, rng)
        large = seed(large_url, args.people, args.nominations, rng)
        print(f"seeded {args.people // 10:,} and {args.people:,} people in {time.perf_counter() - started:.1f} s")
        report_once(small), report_once(large), rows_once(large)  # warm: imports, templates, connections, pages
        report_times, row_times = [], []
        for _ in range(args.runs):
            began = time.perf_counter()
            read = rows_once(large)
            row_times.append(time.perf_counter() - began)
            began = time.perf_counter()
            md, csv = report_once(large)
            report_times.append(time.perf_counter() - began)
        few, many = statements(small), statements(large)
        small.dispose()
        large.dispose()
    best, median, worst = min(report_times), statistics.median(report_times), max(report_times)
    baseline = statistics.median(row_times)
    print(f"baseline (read the {read:,} rows, nothing else): median {baseline:.3f} s over {args.runs} runs")
    print(f"report ({md:,} characters of Markdown, {csv:,} of CSV): min {best:.3f} s, median {median:.3f} s, "
          f"max {worst:.3f} s; {median / baseline:.1f}× the baseline")  # fmt: skip
    print(f"SQL statements: {few} at {args.people // 10:,} people, {many} at {args.people:,}")
    print_table(
        [
            ("report, 10,000 people", "< 2 s (worst run)", f"{worst:.3f} s", worst < 2.0),
            ("SQL statements", "same at 1,000 and 10,000", f"{few} and {many}", few == many),
        ]
    )


if __name__ == "__main__":
    main()

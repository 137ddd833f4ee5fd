"""Benchmark for issue #18: erase a person with five years of history, against a baseline measured in the same run.

The organisation (tests/person_history.py): a few hundred people, each checking in monthly for five years (with an
audit entry and an outbox message each time), and the person erased holding a row in every table — 60 check-ins,
nominations of them (decided, with reviews, scores, decision and appeal; one still open), nominations they made,
reviews they wrote, scores they gave, decisions they took, evidence, mentoring, stretch work, group data, outbox
messages and audit entries; others' check-ins mention them by name and Slack id.

Timed: `erase_person` in one unit of work, committed (what `ladder person erase` does once its services are up),
each run on a fresh copy of the same database. Baseline, interleaved on the same copy just before: a plain read of the
rows the erasure reads — the person's own rows by their indexed columns, and every row of every table whose text or
JSON mentions them (the same scan erasure does, without writing). Target: erase < 1 s (the median of the runs; the
worst is reported beside it, with this process's CPU time, which on a shared machine shows what the work cost).

Run:  .venv/bin/python bench/bench_erase.py [--people 300] [--years 5] [--runs 5] [--postgres]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_outbox import machine, print_table  # noqa: E402
from sqlalchemy import Engine, create_engine, func, select, text  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402

from bot.rights.erase import erase_person  # noqa: E402
from storage.engine import make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.repositories.person_data import PersonData, _mentioning, needles_for, searchable_columns  # noqa: E402
from storage.unit_of_work import unit_of_work  # noqa: E402
from tests.person_history import EMAIL, NAME, SUBJECT, TEAM, seed_history  # noqa: E402

PG = "postgresql://postgres@127.0.0.1:5432"
TARGET_SECONDS = 1.0


def plain_read(engine: Engine) -> int:
    """The baseline: the rows erasure reads, read and nothing more."""
    data_rows = 0
    with unit_of_work(engine, reads_only=True) as work:
        session = work.session
        data = PersonData(session)
        data_rows += len(data.checkins(TEAM, SUBJECT)) + len(data.nominations(TEAM, SUBJECT))
        data_rows += len(data.reviews_written(TEAM, SUBJECT)) + len(data.evidence(TEAM, SUBJECT))
        data_rows += len(data.scores_given(TEAM, SUBJECT)) + len(data.mentorships(TEAM, SUBJECT))
        fragments = needles_for(SUBJECT, NAME, EMAIL).searched()
        for table in SQLModel.metadata.sorted_tables:
            columns = searchable_columns(table)
            if not columns:
                continue
            keys = list(table.primary_key.columns)
            postgres = engine.dialect.name == "postgresql"
            query = _mentioning(table, TEAM, keys + columns, columns, fragments, postgres)
            data_rows += len(session.execute(query).all())
    return data_rows


def erase(engine: Engine) -> int:
    with unit_of_work(engine) as work:
        result = erase_person(work.session, TEAM, SUBJECT, by="cli", now=lambda: datetime.now(UTC))
    return sum(result.removed.values()) + sum(result.pseudonymised.values())


def timed(work: Callable[[], int]) -> tuple[float, int]:
    start, cpu = time.perf_counter(), time.process_time()
    rows = work()
    CPU.append(time.process_time() - cpu)
    return time.perf_counter() - start, rows


CPU: list[float] = []
"""This process's CPU seconds for each timed call (SQLite's work included; PostgreSQL's server not): on a shared,
busy machine, what the work itself cost."""


def total_rows(engine: Engine) -> int:
    with Session(engine) as session:
        return sum(session.execute(select(func.count()).select_from(t)).scalar_one() for t in SQLModel.metadata.sorted_tables)


class SqliteCopies:
    def __init__(self, folder: Path) -> None:
        self.template = folder / "template.db"
        self.folder = folder
        self.url = f"sqlite:///{self.template}"

    def fresh(self, n: int) -> str:
        copy = self.folder / f"run{n}.db"
        shutil.copyfile(self.template, copy)
        return f"sqlite:///{copy}"


class PostgresCopies:
    def __init__(self) -> None:
        self.admin = create_engine(f"{PG}/postgres", isolation_level="AUTOCOMMIT")
        self.name = "ladder_bench_erase"
        self._drop(self.name)
        with self.admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{self.name}"'))
        self.url = f"{PG}/{self.name}"
        self.copies: list[str] = []

    def fresh(self, n: int) -> str:
        name = f"{self.name}_{n}"
        self._drop(name)
        with self.admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"'))
        self.copies.append(name)
        return f"{PG}/{name}"

    def _drop(self, name: str) -> None:
        with self.admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        for name in [*self.copies, self.name]:
            self._drop(name)
        self.admin.dispose()


def run(kind: str, copies: SqliteCopies | PostgresCopies, args: argparse.Namespace) -> tuple[list[float], list[float], int, int]:
    upgrade(copies.url)
    template = make_engine(copies.url)
    started = time.perf_counter()
    seed_history(template, people=args.people, years=args.years)
    stored = total_rows(template)
    template.dispose()
    print(f"{kind}: seeded {stored} rows in {time.perf_counter() - started:.1f} s")
    erase_times, read_times, changed = [], [], 0
    for n in range(args.runs):
        engine = make_engine(copies.fresh(n))
        with engine.connect() as warm:  # the pool's first connection is not what either side measures
            warm.execute(text("SELECT 1"))
        read_seconds, read_rows = timed(lambda engine=engine: plain_read(engine))  # type: ignore[misc]
        erase_seconds, changed = timed(lambda engine=engine: erase(engine))  # type: ignore[misc]
        engine.dispose()
        read_times.append(read_seconds)
        erase_times.append(erase_seconds)
        print(
            f"  run {n + 1}: plain read {read_seconds * 1000:.0f} ms (cpu {CPU[-2] * 1000:.0f} ms, {read_rows} rows), "
            f"erase {erase_seconds * 1000:.0f} ms (cpu {CPU[-1] * 1000:.0f} ms, {changed} rows)"
        )
    return erase_times, read_times, stored, changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=300, help="people besides the one erased (default 300, at least 12)")
    parser.add_argument("--years", type=int, default=5, help="years of monthly history (default 5)")
    parser.add_argument("--runs", type=int, default=5, help="erasures timed, each on a fresh copy (default 5)")
    parser.add_argument("--postgres", action="store_true", help=f"also on PostgreSQL at {PG}")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    results: list[tuple[str, str, str, bool]] = []
    kinds: list[tuple[str, Callable[[], SqliteCopies | PostgresCopies]]] = []
    folder = Path(tempfile.mkdtemp(prefix="bench_erase_"))
    kinds.append(("SQLite", lambda: SqliteCopies(folder)))
    if args.postgres:
        kinds.append(("PostgreSQL", PostgresCopies))
    try:
        for kind, make in kinds:
            copies = make()
            try:
                erase_times, read_times, stored, changed = run(kind, copies, args)
            finally:
                if isinstance(copies, PostgresCopies):
                    copies.close()
            median, worst = statistics.median(erase_times), max(erase_times)
            baseline = statistics.median(read_times)
            results.append(
                (
                    f"{kind}: erase, {args.years} years, {args.people + 1} people ({stored} rows)",
                    f"< {TARGET_SECONDS:.0f} s",
                    f"median {median * 1000:.0f} ms (cpu {statistics.median(CPU[-2 * args.runs + 1 :: 2]) * 1000:.0f} ms), "
                    f"worst {worst * 1000:.0f} ms ({changed} rows changed); plain read {baseline * 1000:.0f} ms "
                    f"({median / baseline:.1f}x)",
                    median < TARGET_SECONDS,
                )
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print_table(results)


if __name__ == "__main__":
    main()

"""Benchmark for issue #17: the search over a framework's own words (bot/questions/search.py).

Framework: tests/frameworks.py large_framework_text (5 tracks x 40 levels = 200 levels, 12 competencies, a paragraph
per expectation: 3,200 passages), plus a promotion section, loaded once.

Measured, in this process:
- build: `FrameworkSearch(framework)`, the in-memory FTS5 index built once per framework load, --builds times
  (median and worst). Target: < 200 ms.
- search: `FrameworkSearch.search(question)` for questions the fixed intents cannot place (answered from the text,
  said not to be, hostile FTS5 syntax, Japanese), each --rounds times. Target: p99 < 20 ms.
- ask: `Answerer.ask` for a mix of everyday questions (a level, a comparison, the ladder, time, a target level) and
  questions answered from the text, --rounds times each, and how many indexes were built meanwhile. Targets: no index
  built per question (0 builds), p99 < 20 ms.

Run:  .venv/bin/python bench/bench_search.py [--builds 15] [--rounds 200] [--tracks 5] [--levels 40]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_outbox import print_table  # noqa: E402  (the same PASS/FAIL table as the other benches)
from bot.framework.loader import check_framework_text  # noqa: E402
from bot.questions.answers import Answerer  # noqa: E402
from bot.questions.search import FrameworkSearch  # noqa: E402
from tests.frameworks import large_framework_text  # noqa: E402

BUILD_TARGET_MS = 200.0
SEARCH_TARGET_MS = 20.0
ASK_TARGET_MS = 20.0

SECTION = """sections:
  - title: Promotion process
    kind: promotion
    text: >-
      Promotions are decided twice a year by a calibration committee. Your manager writes the case with you, from
      evidence of the last six months; the committee reads it against the next level's expectations.
"""

SEARCHED = [
    "how are promotions decided by the calibration committee",
    "what evidence does a panel read",
    "what's the weather in Lisbon",
    "how do I become a tech lead",
    'NEAR("promotion" decided) OR * AND ^place: {text}',
    "昇進の基準は何ですか",
    "six-month trial",
    "word " * 200,
]

ASKED = [
    "what does Platform step 20 mean",
    "what's the difference between Platform step 10 and Platform step 11",
    "show me the ladder",
    "how long from Platform step 3 to Platform step 9",
    "how do I get promoted to Product step 30",
    "how does Competency number 3 change from Data step 4 to Data step 5",
    "how are promotions decided",
    "what evidence does a panel read",
    "what's the weather in Lisbon",
]


def machine() -> str:
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def timed_ms(work, *args) -> float:  # noqa: ANN001
    started = time.perf_counter()
    work(*args)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--builds", type=int, default=15, help="index builds timed (default 15)")
    parser.add_argument("--rounds", type=int, default=200, help="times each question is asked (default 200)")
    parser.add_argument("--tracks", type=int, default=5, help="tracks of the framework (default 5)")
    parser.add_argument("--levels", type=int, default=40, help="levels per track (default 40)")
    args = parser.parse_args()
    print(f"machine: {machine()}")

    text = large_framework_text(args.tracks, args.levels) + SECTION
    result = check_framework_text(text)
    if result.framework is None:
        raise SystemExit("the benchmark's framework does not load: " + "; ".join(map(str, result.problems[:3])))
    framework = result.framework
    search = FrameworkSearch(framework)  # warm-up: the sqlite3 module, the tokenizers
    print(
        f"framework: {len(framework.levels)} levels, {len(framework.competencies)} competencies, "
        f"{len(search.passages):,} passages, {sum(len(p.text) for p in search.passages):,} characters"
    )

    builds = [timed_ms(FrameworkSearch, framework) for _ in range(args.builds)]
    pages = (
        search._database.execute("PRAGMA page_count").fetchone()[0] * search._database.execute("PRAGMA page_size").fetchone()[0]
    )
    print(
        f"\nindex build: median {statistics.median(builds):.1f} ms, worst {max(builds):.1f} ms ({args.builds} builds); "
        f"the in-memory database holds {pages / 2**20:.1f} MiB"
    )

    searched: list[float] = []
    print(f"\nsearch, {args.rounds} times each:")
    for question in SEARCHED:
        times = [timed_ms(search.search, question) for _ in range(args.rounds)]
        searched += times
        hits = search.search(question)
        found = hits[0].passage.place if hits else "(the framework does not say)"
        print(f"  p50 {percentile(times, 0.5):6.2f} ms  p99 {percentile(times, 0.99):6.2f} ms  {question[:50]!r} -> {found}")

    counted: list[int] = []
    original = FrameworkSearch._build

    def counting_build(self: FrameworkSearch):  # noqa: ANN202
        counted.append(1)
        return original(self)

    FrameworkSearch._build = counting_build  # type: ignore[method-assign]
    try:
        answerer = Answerer(framework)
        asked: list[float] = []
        print(f"\nAnswerer.ask, {args.rounds} times each (a fresh parse each time: the parser's cache is cleared):")
        for question in ASKED:
            times = []
            for _ in range(args.rounds):
                answerer.parser._parse_cached.cache_clear()
                times.append(timed_ms(lambda q: answerer.answer(answerer.parser.parse(q)), question))  # not the memo
            asked += times
            template = answerer.ask(question).template
            print(
                f"  p50 {percentile(times, 0.5):6.2f} ms  p99 {percentile(times, 0.99):6.2f} ms  {question[:60]!r} -> {template}"
            )
    finally:
        FrameworkSearch._build = original  # type: ignore[method-assign]
    per_question_builds = len(counted) - 1  # the one Answerer(framework) made

    results = [
        (
            f"index build, {len(framework.levels)} levels",
            f"< {BUILD_TARGET_MS:.0f} ms",
            f"median {statistics.median(builds):.1f} ms, worst {max(builds):.1f} ms",
            max(builds) < BUILD_TARGET_MS,
        ),
        (
            "search per question",
            f"p99 < {SEARCH_TARGET_MS:.0f} ms",
            f"p50 {percentile(searched, 0.5):.2f} ms, p99 {percentile(searched, 0.99):.2f} ms",
            percentile(searched, 0.99) < SEARCH_TARGET_MS,
        ),
        (
            "Answerer.ask per question",
            f"p99 < {ASK_TARGET_MS:.0f} ms",
            f"p50 {percentile(asked, 0.5):.2f} ms, p99 {percentile(asked, 0.99):.2f} ms",
            percentile(asked, 0.99) < ASK_TARGET_MS,
        ),
        (
            "indexes built while answering",
            "0 (once per framework load)",
            f"{per_question_builds} in {len(asked):,} questions",
            per_question_builds == 0,
        ),
    ]
    print_table(results)


if __name__ == "__main__":
    main()

"""Benchmark for `ladder framework import` (issues #6 and #17): a 200-level workbook and the largest published ladder.

1. A workbook of 5 tracks (one sheet each) x 40 levels (200 levels) x 20 competencies, every expectation a sentence,
   levels as columns, with a Summary and a Scope row.
2. The largest ladder in ../shared/ladders (the folder whose importable files - workbooks, CSV, Markdown, HTML - are
   largest together), all its files imported as one framework, as published.

Each is timed two ways: in process (reading, placing, writing the YAML and checking it: the import's own work), and
as a fresh `ladder framework import` process (what a person waits for, Python's start and imports included), beside
`python -c pass`. Target: < 1 s each for the process. Prints PASS or FAIL per target.

Run:  .venv/bin/python bench/bench_import.py [--runs 5] [--ladders ../shared/ladders]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

BIN = Path(sys.executable).parent
TARGET_SECONDS = 1.0
IMPORTABLE = {".xlsx", ".xlsm", ".ods", ".csv", ".tsv", ".md", ".markdown", ".html", ".htm"}


def make_workbook(path: Path, tracks: int = 5, levels: int = 40, competencies: int = 20) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for t in range(tracks):
        sheet = book.create_sheet(f"Track {t + 1}")
        sheet.append(["Competency", *[f"Track {t + 1} level {n + 1}" for n in range(levels)]])
        sheet.append(["Summary", *[f"What level {n + 1} of track {t + 1} means, in a sentence or two." for n in range(levels)]])
        sheet.append(["Scope", *[f"Scope at level {n + 1}" for n in range(levels)]])
        for c in range(competencies):
            sheet.append(
                [
                    f"Competency {c + 1}",
                    *[f"• What competency {c + 1} looks like at level {n + 1}\n• and a second point" for n in range(levels)],
                ]
            )
    book.save(path)


def largest_ladder(root: Path) -> tuple[str, list[Path]]:
    """The folder under ``root`` whose importable files are largest together, and those files."""
    found = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in IMPORTABLE and p.name != "SOURCE.md")
        found.append((sum(p.stat().st_size for p in files), folder.name, files))
    size, name, files = max(found)
    return name, files


def in_process(files: list[Path], runs: int) -> tuple[float, str]:
    from bot.framework.loader import check_framework_text
    from bot.framework.reading.errors import UnreadableFile
    from bot.framework.reading.files import import_files

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        try:
            draft = import_files(files)
        except UnreadableFile as exc:
            return float("nan"), f"not imported: {exc}"
        check = check_framework_text(draft.yaml(), "bench.yaml")
        times.append(time.perf_counter() - started)
    levels = sum(len(t.levels) for t in draft.tracks)
    verdict = "checks clean" if not check.errors else f"{len(check.errors)} check error(s)"
    return statistics.median(times), f"{len(draft.tracks)} track(s), {levels} levels, {verdict}"


def wall(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ})
    return time.perf_counter() - started


def measure(label: str, files: list[Path], workdir: Path, runs: int) -> bool:
    own, found = in_process(files, runs)
    command = [str(BIN / "ladder"), "framework", "import", *map(str, files)]
    wall(command, workdir)  # fills the bytecode cache, as any installed package has
    process = [wall(command, workdir) for _ in range(runs)]
    ok = own == own and statistics.median(process) < TARGET_SECONDS  # own != own: NaN, not imported
    print(f"{label}: {found}")
    print(f"  in process (read, place, YAML, check): median {own:.3f} s")
    print(
        f"  ladder framework import, cold process: median {statistics.median(process):.3f} s, max {max(process):.3f} s "
        f"(target < {TARGET_SECONDS:.0f} s): {'PASS' if ok else 'FAIL'}"
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ladders", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "ladders")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, {platform.platform()}"
    )
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        book = workdir / "matrix.xlsx"
        make_workbook(book)
        label = f"200-level workbook (5 sheets x 40 levels x 20 competencies, {book.stat().st_size / 1024:.0f} KB)"
        results.append(measure(label, [book], workdir, args.runs))
        if args.ladders.is_dir():
            name, files = largest_ladder(args.ladders)
            size = sum(p.stat().st_size for p in files) / 1024
            results.append(
                measure(f"largest published ladder: {name} ({len(files)} files, {size:.0f} KB)", files, workdir, args.runs)
            )
        else:
            print(f"{args.ladders}: not found; the published ladders were not measured")
    bases = [wall([sys.executable, "-c", "pass"], Path.cwd()) for _ in range(args.runs)]
    print(f"python -c pass: median {statistics.median(bases):.3f} s")
    print("PASS" if all(results) else "FAIL")


if __name__ == "__main__":
    main()

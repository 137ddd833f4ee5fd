"""Benchmark for issue #6: `ladder framework import` of a large competency matrix, cold.

The workbook: 6 tracks (one sheet each) x 40 levels x 20 competencies, every expectation a
sentence, levels as columns. Each run is a fresh `ladder framework import` process (imports,
openpyxl parsing, placing, YAML, the check of the result), timed wall-clock, beside
`python -c pass` in the same run. Target: < 2 s.

Run:  .venv/bin/python bench/bench_import.py [--runs 5]
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


def make_workbook(path: Path, tracks: int = 6, levels: int = 40, competencies: int = 20) -> None:
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


def wall(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ})
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, {platform.platform()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        book = workdir / "matrix.xlsx"
        make_workbook(book)
        size_kb = book.stat().st_size / 1024
        command = [str(BIN / "ladder"), "framework", "import", str(book)]
        wall(command, workdir)  # fills the bytecode cache, as any installed package has
        imports = [wall(command, workdir) for _ in range(args.runs)]
        bases = [wall([sys.executable, "-c", "pass"], workdir) for _ in range(args.runs)]
    print(f"workbook: 6 sheets x 40 levels x 20 competencies ({size_kb:.0f} KB)")
    print(f"ladder framework import, cold: median {statistics.median(imports):.3f} s, max {max(imports):.3f} s (target < 2 s)")
    print(f"python -c pass: median {statistics.median(bases):.3f} s")


if __name__ == "__main__":
    main()

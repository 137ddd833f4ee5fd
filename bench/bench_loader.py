"""Benchmark for issue #16: the framework loader on hostile files and on a real-sized framework, each in its own process.

Files (written to a temporary folder):
- bomb.yaml: "billion laughs", nine levels of nine aliases (600 bytes; 9**9 values once expanded);
- dense.yaml: 4 MiB of tiny values (the most a file under the size cap can hold without aliases);
- long_text.yaml: a reviewer's file (113 KB): a 19,990-character text aliased by 50 expectations of 1,800 levels;
- long_alias.yaml: a reviewer's file (3 MB): a 3,000,000-character alias and 10 aliases of it;
- large.yaml: a 200-level framework (tests/frameworks.py, 5 tracks x 40 levels, a paragraph per competency).

Loaders (`check_framework_text`, each from the whole `bot` package of its revision, extracted with `git archive`):
- new: the working tree;
- before: --before-rev, the loader this round of issue #16 started from (values counted, characters not);
- old: --baseline-rev, the loader before issue #16 (no bounds at all);
- plain: `yaml.load(text, Loader=yaml.CSafeLoader)`, libyaml's parse with no checks at all (the floor).

Every measurement is a fresh process: it imports the loader, loads a tiny framework once (so pydantic's validators
are built), reads its resident memory, loads the file once (timed, wall clock and CPU time: the CPU time is the
steadier figure on a shared machine), and reports its peak resident memory (VmHWM)
minus the memory before. A process still running after --timeout seconds is killed (its peak is then the largest
VmRSS sampled every 20 ms), and every process is capped at --memory-cap MiB of address space so the old loader's
bomb cannot take the machine. Targets: the hostile files refused in < 1 s with < 50 MB growth; large.yaml as fast as
the loader before issue #16.

Run:  .venv/bin/python bench/bench_loader.py [--runs 5] [--baseline-rev ca7554b6a9df7e08edbee5bc5579f781d6fa096c]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.framework.loader import MAX_FILE_BYTES  # noqa: E402
from tests.frameworks import large_framework_text, long_alias_list_text, long_text_aliased_text  # noqa: E402

BOMB = "\n".join(
    [f"a: &a [{', '.join(['lol'] * 9)}]"]
    + [f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]" for prev, name in zip("abcdefgh", "bcdefghi", strict=True)]
)

MEASURE = r"""
import json, sys, time
from pathlib import Path

def status(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(field)

kind, path, tree = sys.argv[1], sys.argv[2], sys.argv[3]
tiny = "name: Tiny\ntracks:\n  - id: t\n    name: T\n    levels:\n      - id: one\n        title: One\n"
if kind == "plain":
    import yaml
    load = lambda text: yaml.load(text, Loader=yaml.CSafeLoader)
else:
    sys.path.insert(0, tree)  # the `bot` package of the loader's revision
    from bot.framework import loader
    assert loader.__file__.startswith(tree), loader.__file__
    load = lambda text: loader.check_framework_text(text, path)
load(tiny)
text = Path(path).read_text(encoding="utf-8")
before = status("VmRSS")
started, cpu = time.perf_counter(), time.process_time()
result = load(text)
seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
outcome = "loaded"
if kind != "plain":
    outcome = "loaded" if result.framework is not None else "refused: " + (result.lines() or ["?"])[0]
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "growth_mb": status("VmHWM") - before, "outcome": outcome}))
"""


def measure(kind: str, path: Path, tree: Path, timeout: float, memory_cap_mb: int) -> dict[str, object]:
    def cap() -> None:
        limit = memory_cap_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", MEASURE, kind, str(path), str(tree)],
        cwd=tree,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=cap,
    )
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, _rss_mb(process.pid))
        if time.perf_counter() - started > timeout:
            process.kill()
            process.wait()
            return {"outcome": f"killed after {timeout:.0f} s, still loading", "seconds": None, "peak_mb": peak}
        time.sleep(0.02)
    out, err = process.communicate()
    if process.returncode != 0:
        last = (err.strip().splitlines() or ["?"])[-1]
        return {"outcome": f"failed after {time.perf_counter() - started:.1f} s: {last}", "seconds": None, "peak_mb": peak}
    return json.loads(out)


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def dense_text() -> str:
    items = (MAX_FILE_BYTES - 16) // 2
    return "[" + ",".join(["1"] * items) + "]\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="processes per loader for the 200-level file")
    parser.add_argument(
        "--baseline-rev", default="ca7554b6a9df7e08edbee5bc5579f781d6fa096c", help="git revision of the loader before the bounds"
    )
    parser.add_argument(
        "--before-rev",
        default="7ba52c466aa47c76e1c454191a97de61bdee7a16",
        help="git revision of the loader before the bound on characters",
    )
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds before a measurement is killed")
    parser.add_argument("--memory-cap", type=int, default=2048, help="MiB of address space each measurement may use")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.platform()}; load average {os.getloadavg()[0]:.2f}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        trees = {"new": ROOT, "plain": ROOT, "old": _tree(folder, args.baseline_rev), "before": _tree(folder, args.before_rev)}
        files = {
            "bomb.yaml": BOMB,
            "dense.yaml": dense_text(),
            "long_text.yaml": long_text_aliased_text(),
            "long_alias.yaml": long_alias_list_text(),
            "large.yaml": large_framework_text(),
        }
        for name, text in files.items():
            (folder / name).write_text(text)
        print(", ".join(f"{name}: {len(text.encode()):,} bytes" for name, text in files.items()))
        hostile = {"bomb.yaml": ("new", "old"), "dense.yaml": ("new", "old")}
        hostile |= {name: ("new", "before", "old") for name in ("long_text.yaml", "long_alias.yaml")}
        for name, kinds in hostile.items():
            for kind in kinds:
                result = measure(kind, folder / name, trees[kind], args.timeout, args.memory_cap)
                print(f"{name} {kind}: {_describe(result)}")
        times: dict[str, list[float]] = {"new": [], "old": [], "plain": []}
        cpu: dict[str, list[float]] = {"new": [], "old": [], "plain": []}
        growth: dict[str, list[float]] = {"new": [], "old": [], "plain": []}
        for _ in range(args.runs):
            for kind in times:  # interleaved, so each loader sees the same machine noise
                result = measure(kind, folder / "large.yaml", trees[kind], args.timeout, args.memory_cap)
                if result["seconds"] is None or not str(result["outcome"]).startswith("loaded"):
                    raise SystemExit(f"large.yaml {kind}: {_describe(result)}")
                times[kind].append(float(result["seconds"]))
                cpu[kind].append(float(result["cpu_seconds"]))
                growth[kind].append(float(result["growth_mb"]))
        for kind in times:
            print(
                f"large.yaml {kind}: median {statistics.median(times[kind]) * 1000:.1f} ms "
                f"(min {min(times[kind]) * 1000:.1f}, max {max(times[kind]) * 1000:.1f}), "
                f"CPU median {statistics.median(cpu[kind]) * 1000:.1f} ms, "
                f"memory growth median {statistics.median(growth[kind]):.1f} MB"
            )
        for label, figures in (("wall", times), ("CPU", cpu)):
            new, old, plain = (statistics.median(figures[k]) for k in ("new", "old", "plain"))
            print(
                f"large.yaml {label}: new / old = {new / old:.2f}x; new / plain libyaml = {new / plain:.2f}x "
                f"(old / plain = {old / plain:.2f}x)"
            )


def _tree(folder: Path, revision: str) -> Path:
    """The `bot` package as it was at ``revision``, extracted beside the files."""
    tree = folder / f"bot-{revision[:12]}"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", revision, "bot"], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def _describe(result: dict[str, object]) -> str:
    seconds = f"{float(result['seconds']) * 1000:.1f} ms" if result.get("seconds") is not None else "-"
    if "growth_mb" in result:
        memory = f"memory growth {float(result['growth_mb']):.1f} MB"
    else:
        memory = f"peak RSS {float(result['peak_mb']):.0f} MB"
    return f"{result['outcome']} in {seconds}, {memory}"


if __name__ == "__main__":
    main()

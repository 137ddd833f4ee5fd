"""Benchmark for issue #6: `GET /ladder` for a large framework, served hot, against `GET /healthz` in the same run.

The framework is the 6-track x 40-level x 20-competency matrix of bench_import.py, imported with
`ladder framework import`. `ladder serve` runs with LADDER_PAGES=on; after a warm-up, 2,000
requests each to /ladder and /healthz alternate on new connections (as a browser or a load
balancer makes them). Target: p99 of /ladder within 2x the p99 of /healthz.

Run:  .venv/bin/python bench/bench_pages.py [--requests 2000]
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_import import make_workbook  # noqa: E402
from bench.bench_slack import BIN, free_port, percentile, serve_env, wait_healthy  # noqa: E402
from tests.fake_slack import FakeSlack  # noqa: E402


def timed_get(port: int, path: str) -> tuple[float, int]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Connection": "close"})
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    if response.status != 200:
        raise SystemExit(f"GET {path}: {response.status} {body[:200]!r}")
    return elapsed, len(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, {platform.platform()}"
    )
    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as fake:
        workdir = Path(tmp)
        make_workbook(workdir / "matrix.xlsx")
        subprocess.run(
            [str(BIN / "ladder"), "framework", "import", str(workdir / "matrix.xlsx"), "-o", str(workdir / "big.yaml")],
            check=True,
            capture_output=True,
        )
        port = free_port()
        env = serve_env(
            fake, workdir, LADDER_FRAMEWORK=str(workdir / "big.yaml"), LADDER_PAGES="on", HOST="127.0.0.1", PORT=str(port)
        )
        with open(workdir / "serve.log", "w") as log:
            server = subprocess.Popen([str(BIN / "ladder"), "serve"], env=env, cwd=workdir, stderr=log)
            try:
                wait_healthy(port, "/healthz")
                for _ in range(50):
                    timed_get(port, "/ladder")
                    timed_get(port, "/healthz")
                samples: dict[str, list[float]] = {"/ladder": [], "/healthz": []}
                sizes = {}
                for _ in range(args.requests):
                    for path in samples:
                        elapsed, sizes[path] = timed_get(port, path)
                        samples[path].append(elapsed)
            finally:
                server.terminate()
                server.wait(timeout=30)
    p99 = {path: percentile(values, 0.99) * 1000 for path, values in samples.items()}
    p50 = {path: percentile(values, 0.50) * 1000 for path, values in samples.items()}
    print(f"framework: 6 tracks x 40 levels x 20 competencies; {args.requests} requests each, alternating")
    for path in samples:
        print(f"  GET {path:9}: p50 {p50[path]:.2f} ms  p99 {p99[path]:.2f} ms  ({sizes[path] / 1024:.0f} KB)")
    print(f"  p99 ratio /ladder / /healthz: {p99['/ladder'] / p99['/healthz']:.2f}   (target <= 2)")


if __name__ == "__main__":
    main()

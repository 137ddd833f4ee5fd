"""Benchmarks for issue #2, measured against baselines in the same run (these machines are noisy).

1. `/ladder what does Staff mean` over HTTP, 1,000 signed requests, against `ladder serve`
   and against a bare Bolt app that acks a fixed text, served by the same supervisor and waitress settings.
   Requests alternate between the two servers so both see the same machine noise.
   Target: p50 and p99 ratio (ladder / bare) <= 1.3.
2. Resident memory of `ladder serve` (supervisor + worker) after those requests. Target < 150 MB.
3. `ladder ask "what does Staff mean"` from a cold start, beside `python -c pass`. Target < 1 s.

Run:  .venv/bin/python bench/bench_slack.py [--requests 1000] [--framework FILE] [--question TEXT ...]

With --framework, `ladder serve` answers from that file (an imported ladder, say) and the questions asked in turn are
the --question texts (default: "what does Staff mean"); issue #17's target for them is a ratio <= 1.2.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_slack import FakeSlack  # noqa: E402  (the same fake Slack the tests use)
from tests.slack_requests import sign  # noqa: E402

SECRET = "bench-signing-secret"
TOKEN = "xoxb-test-token"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_env(fake: FakeSlack, workdir: Path, **extra: str) -> dict[str, str]:
    """The environment `ladder serve` runs with in the benchmarks: the fake Slack, SQLite in ``workdir``, INFO logs.

    The web server alone (LADDER_CLOCK=off, as beside a separate `ladder clock`): the clock is measured by
    bench/bench_outbox.py, and the baseline has none."""
    return {
        **os.environ,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.url,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
        "LOG_LEVEL": "INFO",
        "LADDER_CLOCK": "off",
        **extra,
    }


def wait_healthy(port: int, path: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("POST" if path == "/slack/events" else "GET", path)
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"server on port {port} did not start")


def slash_body(text: str) -> bytes:
    return urllib.parse.urlencode(
        {
            "token": "x",
            "team_id": "T0TEST",
            "team_domain": "bench",
            "channel_id": "C0GENERAL",
            "channel_name": "general",
            "user_id": "U0ASKER",
            "user_name": "asker",
            "command": "/ladder",
            "text": text,
            "api_app_id": "A0LADDER",
            "is_enterprise_install": "false",
            "response_url": "http://127.0.0.1:9/response",
            "trigger_id": "1.2.3",
        }
    ).encode()


def timed_request(port: int, body: bytes, expect: bytes = b"text") -> float:
    """One request on a new connection, as Slack's delivery makes it; connect time included. An answer without
    ``expect`` in it ends the benchmark."""
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Connection": "close", **sign(SECRET, body)}
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", "/slack/events", body=body, headers=headers)
    response = conn.getresponse()
    payload = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    if response.status != 200 or expect not in payload:
        raise SystemExit(f"unexpected answer on port {port}: {response.status} {payload[:300]!r}")
    return elapsed


def rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        proc = int(status.parent.name)
        if proc == pid or _descends_from(proc, pid):
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total


def _descends_from(proc: int, ancestor: int) -> bool:
    while proc > 1:
        try:
            proc = int(Path(f"/proc/{proc}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            return False
        if proc == ancestor:
            return True
    return False


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def bench_http(
    requests: int,
    fake: FakeSlack,
    workdir: Path,
    framework: str | None = None,
    questions: tuple[str, ...] = ("what does Staff mean",),
) -> dict[str, float]:
    env = serve_env(fake, workdir, **({"LADDER_FRAMEWORK": str(Path(framework).resolve())} if framework else {}))
    ladder_port, bare_port = free_port(), free_port()
    log = open(workdir / "serve.log", "w")  # production logs one JSON line per request; so does the benchmark
    ladder = subprocess.Popen([str(BIN / "ladder"), "serve", "--port", str(ladder_port)], env=env, cwd=workdir, stderr=log)
    bare = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "bare_bolt.py"), str(bare_port)], env=env, cwd=workdir, stderr=log
    )
    try:
        wait_healthy(ladder_port, "/healthz")
        wait_healthy(bare_port, "/slack/events")
        bodies = [slash_body(question) for question in questions]
        ports = {"ladder": ladder_port, "bare": bare_port}
        for port in ports.values():  # warm-up: first requests pay for imports and template compilation
            for n in range(20):
                timed_request(port, bodies[n % len(bodies)])
        samples: dict[str, list[float]] = {"ladder": [], "bare": []}
        for n in range(requests):
            for name in ("bare", "ladder"):
                samples[name].append(timed_request(ports[name], bodies[n % len(bodies)]))
        memory_mb = rss_kib(ladder.pid) / 1024
        bare_memory_mb = rss_kib(bare.pid) / 1024
    finally:
        for process in (ladder, bare):
            process.terminate()
            process.wait(timeout=15)
        log.close()
    result = {}
    for name, values in samples.items():
        result[f"{name}_p50_ms"] = percentile(values, 0.50) * 1000
        result[f"{name}_p99_ms"] = percentile(values, 0.99) * 1000
        result[f"{name}_mean_ms"] = statistics.fmean(values) * 1000
    result["p50_ratio"] = result["ladder_p50_ms"] / result["bare_p50_ms"]
    result["p99_ratio"] = result["ladder_p99_ms"] / result["bare_p99_ms"]
    result["ladder_rss_mb"] = memory_mb
    result["bare_rss_mb"] = bare_memory_mb
    return result


def bench_cold_start(runs: int, workdir: Path) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL", "LADDER_"))}

    def wall(command: list[str]) -> float:
        started = time.perf_counter()
        subprocess.run(command, env=env, cwd=workdir, check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - started

    ask = [str(BIN / "ladder"), "ask", "what does Staff mean"]
    baseline = [sys.executable, "-c", "pass"]
    wall(ask)  # first run fills the bytecode cache, as any installed package has
    asks, bases = [], []
    for _ in range(runs):
        asks.append(wall(ask))
        bases.append(wall(baseline))
    return {
        "ask_median_s": statistics.median(asks),
        "ask_max_s": max(asks),
        "python_median_s": statistics.median(bases),
        "ask_over_python": statistics.median(asks) / statistics.median(bases),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--cold-runs", type=int, default=10)
    parser.add_argument("--framework", help="the framework file ladder serve answers from (default: the shipped one)")
    parser.add_argument("--question", action="append", help="a question to ask (repeat for several, asked in turn)")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, {platform.platform()}"
    )
    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as fake:
        workdir = Path(tmp)
        http_result = bench_http(args.requests, fake, workdir, args.framework, tuple(args.question or ("what does Staff mean",)))
        cold = bench_cold_start(args.cold_runs, workdir)
    print(f"/ladder over HTTP, {args.requests} requests each, interleaved; framework {args.framework or 'shipped default'}:")
    print(f"  bare Bolt ack : p50 {http_result['bare_p50_ms']:.2f} ms  p99 {http_result['bare_p99_ms']:.2f} ms")
    print(f"  ladder serve  : p50 {http_result['ladder_p50_ms']:.2f} ms  p99 {http_result['ladder_p99_ms']:.2f} ms")
    print(f"  ratio         : p50 {http_result['p50_ratio']:.2f}  p99 {http_result['p99_ratio']:.2f}   (target <= 1.3)")
    print(
        f"resident memory after the run: ladder serve {http_result['ladder_rss_mb']:.1f} MB (target < 150), bare Bolt app {http_result['bare_rss_mb']:.1f} MB"
    )
    print(
        f"ladder ask cold start: median {cold['ask_median_s']:.3f} s, max {cold['ask_max_s']:.3f} s (target < 1 s); "
        f"python -c pass {cold['python_median_s']:.3f} s; ratio {cold['ask_over_python']:.1f}"
    )


if __name__ == "__main__":
    main()

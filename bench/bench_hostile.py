"""Benchmarks for issue #5 (hostile traffic), each against a baseline measured in the same run.

1. `/ladder what does Staff mean`, 2,000 signed requests from 20 concurrent clients, against
   `ladder serve` with and without 100 slow connections held open (half send their headers and
   hold back the body, half dribble a byte at a time; any the server cuts off is reopened at
   once, so 100 are held throughout). The two conditions alternate in blocks of 250 requests so
   both see the same machine noise. Target: p99 ratio (held / not held) <= 1.5.
2. The worker's memory while 4 x 50 MB bodies are sent at once and refused. Baseline: the
   worker's resident memory just before. Target: growth < 20 MB.
3. How long the server keeps a connection that sends nothing after its headers, and one that dribbles a byte of
   its body every --dribble-every seconds for --dribble-for seconds (beyond LADDER_REQUEST_TIMEOUT, 10 s) and then
   stops: whether it is still open when it stops, and when it is closed after its first and its last byte.

Run:  .venv/bin/python bench/bench_hostile.py [--requests 2000] [--clients 20] [--slow 100] [--dribble-for 30]
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_slack import BIN, SECRET, free_port, percentile, serve_env, slash_body, wait_healthy  # noqa: E402
from tests.fake_slack import FakeSlack  # noqa: E402
from tests.slack_requests import sign  # noqa: E402

BLOCK = 250
ASK_TIMEOUT = 30.0


def ask(port: int, body: bytes) -> float:
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Connection": "close", **sign(SECRET, body)}
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=ASK_TIMEOUT)
    conn.request("POST", "/slack/events", body=body, headers=headers)
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    if response.status != 200 or b"Staff" not in payload:
        raise SystemExit(f"unexpected answer {response.status}: {payload[:200]!r}")
    return time.perf_counter() - started


class SlowClients:
    """Keeps ``count`` slow connections open against ``port`` until stopped, reopening any the server closes."""

    def __init__(self, port: int, count: int) -> None:
        self.port, self.count = port, count
        self.sockets: list[socket.socket | None] = [None] * count
        self.cut_off = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _open(self, index: int) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        sock.setblocking(False)
        headers = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
        sock.send(headers if index % 2 == 0 else b"P")  # even: headers sent, body held; odd: dribbling from the first byte
        return sock

    def start(self) -> None:
        for index in range(self.count):
            self.sockets[index] = self._open(index)
        self._thread.start()

    def _run(self) -> None:
        dribble = b"OST /slack/events HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: " + b"a" * 10_000
        positions = [0] * self.count
        while not self._stop.wait(0.1):
            for index, sock in enumerate(self.sockets):
                alive = True
                try:
                    if sock.recv(4096) == b"":
                        alive = False
                except BlockingIOError:
                    pass
                except OSError:
                    alive = False
                if alive and index % 2:
                    try:
                        sock.send(dribble[positions[index] % len(dribble) : positions[index] % len(dribble) + 1])
                        positions[index] += 1
                    except OSError:
                        alive = False
                if not alive:
                    self.cut_off += 1
                    sock.close()
                    self.sockets[index] = self._open(index)
                    positions[index] = 0

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        for sock in self.sockets:
            sock.close()


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def bench_load(port: int, requests: int, clients: int, slow: int) -> dict[str, float]:
    body = slash_body("what does Staff mean")
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(lambda _n: ask(port, body), range(100)))  # warm-up
        samples: dict[str, list[float]] = {"quiet": [], "held": []}
        elapsed = {"quiet": 0.0, "held": 0.0}
        holders = SlowClients(port, slow)
        cut_off = 0
        for block in range(2 * requests // BLOCK):
            condition = "quiet" if block % 2 == 0 else "held"
            if condition == "held":
                holders = SlowClients(port, slow)
                holders.start()
                time.sleep(0.5)  # let them settle in: all 100 are open and sending
            started = time.perf_counter()
            samples[condition] += pool.map(lambda _n: ask(port, body), range(BLOCK))
            elapsed[condition] += time.perf_counter() - started
            if condition == "held":
                holders.stop()
                cut_off += holders.cut_off
    result = {f"{c}_{q}_ms": percentile(v, p) * 1000 for c, v in samples.items() for q, p in (("p50", 0.5), ("p99", 0.99))}
    result["p99_ratio"] = result["held_p99_ms"] / result["quiet_p99_ms"]
    result["p50_ratio"] = result["held_p50_ms"] / result["quiet_p50_ms"]
    result["requests_each"] = len(samples["quiet"])
    result.update({f"{c}_rps": len(samples[c]) / elapsed[c] for c in samples})
    result["slow_cut_off"] = cut_off
    return result


def bench_big_bodies(port: int, worker: int, bodies: int, megabytes: int) -> dict[str, float]:
    before = rss_kib(worker)
    peak = before
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, rss_kib(worker))
            time.sleep(0.002)

    def send() -> str:
        chunk = b"x" * (1024 * 1024)
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sock.sendall(
                f"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {megabytes * 1024 * 1024}\r\n\r\n".encode()
            )
            try:
                for _ in range(megabytes):
                    sock.sendall(chunk)
            except OSError:
                pass  # refused and closed before the whole body was through
            sock.settimeout(10)
            try:
                return sock.recv(64).decode(errors="replace").split("\r\n", 1)[0]
            except OSError as exc:
                return f"closed ({type(exc).__name__})"

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    with ThreadPoolExecutor(max_workers=bodies) as pool:
        answers = list(pool.map(lambda _n: send(), range(bodies)))
    time.sleep(0.2)
    stop.set()
    sampler.join()
    return {"before_mb": before / 1024, "peak_mb": peak / 1024, "growth_mb": (peak - before) / 1024, "answers": answers}


def bench_silence(port: int, dribble_for: float, every: float) -> dict[str, float | bool]:
    """Seconds until the server closes a connection that holds back its body, and one that dribbles it (see 3.)."""

    def closed_after(sock: socket.socket, since: float, limit: float = 60.0) -> float:
        sock.settimeout(limit)
        try:
            while sock.recv(4096):
                pass
        except OSError:
            pass
        return time.monotonic() - since

    headers = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
    silent = socket.create_connection(("127.0.0.1", port), timeout=5)
    silent.sendall(headers)
    silent_since = time.monotonic()
    result: dict[str, float | bool] = {}
    done = threading.Thread(target=lambda: result.__setitem__("silent_closed_s", closed_after(silent, silent_since)))
    done.start()
    dribbler = socket.create_connection(("127.0.0.1", port), timeout=5)
    dribbler.sendall(headers)
    first = time.monotonic()
    still_open = True
    while time.monotonic() - first < dribble_for:
        time.sleep(every)
        try:
            dribbler.send(b" ")
        except OSError:
            still_open = False
            break
    last = time.monotonic()
    result["dribbler_open_when_it_stopped"] = still_open
    result["dribbler_closed_after_last_byte_s"] = closed_after(dribbler, last)
    result["dribbler_closed_after_first_byte_s"] = time.monotonic() - first
    done.join()
    silent.close()
    dribbler.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000, help="requests per condition")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--slow", type=int, default=100)
    parser.add_argument("--dribble-for", type=float, default=30.0, help="seconds the dribbling client keeps sending")
    parser.add_argument("--dribble-every", type=float, default=1.0)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, {platform.platform()}"
    )
    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as fake:
        workdir = Path(tmp)
        port = free_port()
        env = serve_env(fake, workdir, HOST="127.0.0.1", PORT=str(port))
        with open(workdir / "serve.log", "w") as log:
            server = subprocess.Popen([str(BIN / "ladder"), "serve"], env=env, cwd=workdir, stderr=log)
            try:
                wait_healthy(port, "/healthz")
                load = bench_load(port, args.requests, args.clients, args.slow)
                memory = bench_big_bodies(port, worker_pid(server.pid), bodies=4, megabytes=50)
                silence = bench_silence(port, args.dribble_for, args.dribble_every)
            finally:
                server.terminate()
                server.wait(timeout=30)
    print(
        f"/ladder, {load['requests_each']:.0f} requests per condition, {args.clients} concurrent clients, alternating blocks of {BLOCK}:"
    )
    print(
        f"  no slow connections      : p50 {load['quiet_p50_ms']:.2f} ms  p99 {load['quiet_p99_ms']:.2f} ms  {load['quiet_rps']:.0f} requests/s"
    )
    print(
        f"  {args.slow} slow connections held : p50 {load['held_p50_ms']:.2f} ms  p99 {load['held_p99_ms']:.2f} ms  {load['held_rps']:.0f} requests/s"
    )
    print(f"  ratio (held / not held)  : p50 {load['p50_ratio']:.2f}  p99 {load['p99_ratio']:.2f}   (target p99 <= 1.5)")
    print(f"  slow connections cut off by the server (and reopened): {load['slow_cut_off']:.0f}")
    print(
        f"4 x 50 MB bodies at once: worker {memory['before_mb']:.1f} MB before, peak {memory['peak_mb']:.1f} MB, "
        f"growth {memory['growth_mb']:.1f} MB (target < 20); answers: {memory['answers']}"
    )

    print(
        f"a connection holding back its body: closed {silence['silent_closed_s']:.1f} s after its last byte; one dribbling "
        f"a byte every {args.dribble_every:g} s for {args.dribble_for:g} s: "
        f"{'still open' if silence['dribbler_open_when_it_stopped'] else 'closed'} when it stopped, closed "
        f"{silence['dribbler_closed_after_last_byte_s']:.1f} s after its last byte "
        f"({silence['dribbler_closed_after_first_byte_s']:.1f} s after its first)"
    )


if __name__ == "__main__":
    main()

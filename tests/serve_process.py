"""`ladder serve` as a subprocess, the way production runs it, with its log captured line by line."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.app_server import SIGNING_SECRET, ladder_env
from tests.slack_requests import SlackSender

LADDER = str(Path(sys.executable).parent / "ladder")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def family(pid: int) -> list[int]:
    """A process and every process below it (none of those that are gone)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return [pid] + [found for child in children for found in family(int(child))]


def get(port: int, path: str, timeout: float = 5) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


class LadderProcess:
    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.port = int(env["PORT"])
        self.url = f"http://127.0.0.1:{self.port}"
        self.slack = SlackSender(self.url, SIGNING_SECRET)
        self._log_path = cwd / f"ladder-{self.port}.log"
        self._log = open(self._log_path, "w")
        self.process = subprocess.Popen(
            [LADDER, "serve"], env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=self._log, text=True
        )

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"ladder serve exited with {self.process.returncode}: {self.log_text()}")
            try:
                get(self.port, "/livez", timeout=1)
                return
            except OSError:
                time.sleep(0.05)
        pytest.fail(f"ladder serve did not start: {self.log_text()}")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def log_text(self) -> str:
        return self._log_path.read_text()

    def log_lines(self) -> list[dict[str, Any]]:
        """Every line the server wrote, each parsed as JSON (a line that is not JSON fails the test)."""
        lines = []
        for line in self.log_text().splitlines():
            try:
                lines.append(json.loads(line))
            except json.JSONDecodeError:
                pytest.fail(f"a log line is not JSON: {line!r}")
        return lines

    def wait_for_log(self, predicate: Any, timeout: float = 10) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.log_lines():
                if predicate(line):
                    return line
            time.sleep(0.05)
        pytest.fail(f"no such log line within {timeout}s: {self.log_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


@pytest.fixture
def serve(fake_slack, tmp_path) -> Iterator[Any]:
    """``serve(database_url, **env)`` starts ``ladder serve`` against the fake Slack and returns a running :class:`LadderProcess`."""
    started: list[LadderProcess] = []

    def start(database_url: str | None = None, **overrides: str) -> LadderProcess:
        env = {
            **os.environ,
            **ladder_env(fake_slack.url, database_url or f"sqlite:///{tmp_path / 'ladder.db'}"),
            "PORT": str(free_port()),
            "HOST": "127.0.0.1",
            "LADDER_CLOCK": "off",  # these tests are about the web server; tests/test_clock.py runs the clock beside it
            **overrides,
        }
        ladder = LadderProcess(env, tmp_path)
        started.append(ladder)
        ladder.wait_ready()
        return ladder

    yield start
    for ladder in started:
        ladder.stop()

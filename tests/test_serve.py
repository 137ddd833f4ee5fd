"""`ladder serve` as production runs it: gunicorn on $PORT, Slack at /slack/events, /healthz."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.app_server import SIGNING_SECRET, ladder_env
from tests.slack_requests import SlackSender

LADDER = str(Path(sys.executable).parent / "ladder")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read().decode()


@pytest.fixture
def serve(fake_slack, tmp_path):
    processes = []

    def start(database_url: str) -> int:
        port = _free_port()
        env = {**os.environ, **ladder_env(fake_slack.url, database_url), "PORT": str(port)}
        process = subprocess.Popen(
            [LADDER, "serve"], env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        processes.append(process)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"ladder serve exited: {process.stderr.read()}")
            try:
                _get(port, "/healthz")
                return port
            except OSError:
                time.sleep(0.1)
        pytest.fail("ladder serve did not start")

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=15)
        process.stdout.close()
        process.stderr.close()


def test_serve_answers_slack_and_health_checks(serve, tmp_path):
    port = serve(f"sqlite:///{tmp_path / 'ladder.db'}")
    assert _get(port, "/healthz")[0] == 200
    sender = SlackSender(f"http://127.0.0.1:{port}", SIGNING_SECRET)
    status, body, _ = sender.slash_command("what does Staff mean")
    assert status == 200 and "Staff Engineer" in json.loads(body)["text"]
    assert sender.slash_command("staff", bad_signature=True)[0] == 401
    assert _get(port, "/nothing-here")[0] == 404


def test_healthz_is_503_while_the_database_is_down(serve):
    port = serve("postgresql://postgres@127.0.0.1:1/ladder")
    status, body = _get(port, "/healthz")
    assert status == 503 and json.loads(body)["database"].startswith("unreachable")


def test_each_request_is_logged_as_one_line_without_its_text(fake_slack, tmp_path):
    port = _free_port()
    env = {**os.environ, **ladder_env(fake_slack.url, f"sqlite:///{tmp_path / 'ladder.db'}"), "PORT": str(port)}
    process = subprocess.Popen(
        [LADDER, "serve"], env=env, cwd=tmp_path, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(port, "/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.1)
        SlackSender(f"http://127.0.0.1:{port}", SIGNING_SECRET).slash_command(
            "a secret question about Staff", user_id="U0PRIVATE"
        )
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=15)
    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line.get("logger") == "ladder.requests"]
    assert len(requests) == 1
    entry = requests[0]
    assert (entry["team"], entry["user"], entry["surface"], entry["outcome"]) == ("T0TEST", "U0PRIVATE", "command:/ladder", "ok")
    assert isinstance(entry["ms"], float)
    assert "secret question" not in stderr and "Staff Engineer" not in stderr

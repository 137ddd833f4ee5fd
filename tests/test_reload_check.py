"""`kill -HUP` of `ladder serve`: the new configuration is checked by a new generation's first worker while the supervisor
goes on supervising the serving workers and answering signals; that worker loads with the signals' default actions and
for a limited time, and the old generation stops only once the new one serves."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.framework.loader import default_framework_path
from tests.serve_process import free_port, get


def _children(pid: int) -> set[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(child) for child in path.read_text().split()} if path.exists() else set()


def _state(pid: int) -> str | None:
    """The process's state letter (Z: defunct), None when it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def _wait_for(condition, timeout: float = 20, what: str = "") -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout} s: {what}")


def test_a_check_that_never_ends_leaves_the_supervisor_supervising_and_answering_signals(serve, tmp_path):
    """The check reads a framework file that never arrives (a pipe nobody writes to, as a hung network mount would):
    the supervisor still replaces a killed worker, the check dies of SIGTERM like any process, and SIGTERM stops the
    supervisor with its check."""
    ladder_file = tmp_path / "ladder.yaml"
    ladder_file.write_text(default_framework_path().read_text())
    ladder = serve(LADDER_FRAMEWORK=str(ladder_file))
    supervisor = ladder.process.pid
    (worker,) = _children(supervisor)
    ladder_file.unlink()
    os.mkfifo(ladder_file)

    os.kill(supervisor, signal.SIGHUP)
    _wait_for(lambda: len(_children(supervisor)) == 2, what="the check starts beside the worker")
    (check,) = _children(supervisor) - {worker}

    os.kill(worker, signal.SIGKILL)  # the supervisor reaps it and starts another while the check waits
    _wait_for(lambda: len(_children(supervisor) - {check, worker}) == 1, what="a new worker")
    assert _state(worker) is None  # reaped, not left defunct
    status, body, _ = ladder.slack.slash_command("what does Staff mean")
    assert status == 200 and "Staff Engineer" in json.loads(body)["text"]

    os.kill(check, signal.SIGTERM)  # the check has the default action, not the supervisor's handler that queues it
    refused = ladder.wait_for_log(lambda line: line["msg"].startswith("reload refused"))
    assert refused["msg"] == "reload refused: the check of the new configuration was stopped; still serving the previous one"
    assert _state(check) is None

    workers = _children(supervisor)
    os.kill(supervisor, signal.SIGHUP)
    _wait_for(lambda: len(_children(supervisor)) == 2, what="the second check starts")
    (second_check,) = _children(supervisor) - workers
    started = time.monotonic()
    ladder.process.send_signal(signal.SIGTERM)
    ladder.process.wait(timeout=20)
    assert time.monotonic() - started < 15  # the graceful timeout is 10 s; a frozen supervisor ignored SIGTERM
    _wait_for(lambda: _state(second_check) is None, timeout=5, what="the check stopped with the supervisor")


SERVER = r"""
import sys, time
from bot.runtime import logs
from bot.runtime.server import Supervisor, listen

logs.configure("INFO")
seconds = float(sys.argv[2])

def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]

def load(generation):
    if generation:  # a reload's first worker takes this long to load the new configuration
        time.sleep(seconds)
    return app

sys.exit(Supervisor(listen("127.0.0.1", int(sys.argv[1])), load, reload_timeout=1.0).run())
"""


def _server(tmp_path: Path, check_seconds: float) -> tuple[subprocess.Popen[str], int, Path]:
    port, log = free_port(), tmp_path / "server.log"
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(port), str(check_seconds)],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
        text=True,
    )
    _wait_for(lambda: _answers(port), what="the server starts")
    return process, port, log


def _answers(port: int) -> bool:
    try:
        return get(port, "/", timeout=1)[0] == 200
    except OSError:
        return False


def _messages(log: Path) -> list[str]:
    return [json.loads(line)["msg"] for line in log.read_text().splitlines() if line.startswith("{")]


def test_a_check_past_its_time_limit_is_stopped_and_the_reload_refused(tmp_path):
    process, port, log = _server(tmp_path, check_seconds=30)
    try:
        (worker,) = _children(process.pid)
        os.kill(process.pid, signal.SIGHUP)
        _wait_for(lambda: len(_children(process.pid)) == 2, what="the check starts")
        (check,) = _children(process.pid) - {worker}
        _wait_for(lambda: any(m.startswith("reload refused") for m in _messages(log)), timeout=10, what="the refusal")
        assert "reload refused: checking the new configuration took longer than 1 s; still serving the previous one" in (
            _messages(log)
        )
        _wait_for(lambda: _state(check) is None, timeout=5, what="the check killed and reaped")
        assert _children(process.pid) == {worker} and _answers(port)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)


def test_a_check_that_passes_in_time_reloads_and_a_hup_during_a_check_checks_again(tmp_path):
    process, port, log = _server(tmp_path, check_seconds=0.5)
    try:
        (worker,) = _children(process.pid)
        os.kill(process.pid, signal.SIGHUP)
        time.sleep(0.1)
        os.kill(process.pid, signal.SIGHUP)  # while the first check runs: checked again once it ends, then reloaded
        _wait_for(lambda: worker not in _children(process.pid) and len(_children(process.pid)) == 1, what="the reload")
        assert _answers(port)
        messages = _messages(log)
        assert "reload asked while the last one is being checked; checking again once that check ends" in messages
        assert messages.count("reload asked: checking the new configuration") == 2
        assert not any(m.startswith("reload refused") for m in messages)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)

"""`ladder serve` as production runs it: a supervisor of waitress worker processes, Slack at /slack/events, /healthz, /livez."""

from __future__ import annotations

import json

from tests.app_server import BOT_TOKEN, SIGNING_SECRET
from tests.serve_process import get


def test_serve_answers_slack_and_health_checks(serve):
    ladder = serve()
    assert get(ladder.port, "/healthz")[0] == 200
    assert get(ladder.port, "/livez") == (200, '{"status": "ok"}')
    status, body, _ = ladder.slack.slash_command("what does Staff mean")
    assert status == 200 and "Staff Engineer" in json.loads(body)["text"]
    assert ladder.slack.slash_command("staff", bad_signature=True)[0] == 401
    assert get(ladder.port, "/nothing-here")[0] == 404
    assert get(ladder.port, "/slack/events")[0] == 405


def test_healthz_is_503_while_the_database_is_down_and_livez_stays_200(serve):
    ladder = serve("postgresql://postgres@127.0.0.1:1/ladder")
    status, body = get(ladder.port, "/healthz")
    assert status == 503 and json.loads(body)["database"].startswith("unreachable")
    assert get(ladder.port, "/livez")[0] == 200


def test_serve_binds_to_host(serve):
    ladder = serve(HOST="127.0.0.1")
    assert get(ladder.port, "/livez")[0] == 200


def test_each_request_is_logged_as_one_line_without_its_text(serve):
    ladder = serve()
    ladder.slack.slash_command("a secret question about Staff", user_id="U0PRIVATE")
    ladder.stop()
    lines = ladder.log_lines()
    requests = [line for line in lines if line.get("logger") == "ladder.requests"]
    assert len(requests) == 1
    entry = requests[0]
    assert (entry["team"], entry["user"], entry["surface"], entry["outcome"]) == ("T0TEST", "U0PRIVATE", "command:/ladder", "ok")
    assert isinstance(entry["ms"], float)
    log = ladder.log_text()
    assert "secret question" not in log and "Staff Engineer" not in log
    assert BOT_TOKEN not in log and SIGNING_SECRET not in log


def test_a_changed_framework_takes_effect_on_hup_and_a_broken_one_is_refused(serve, tmp_path):
    import os
    import signal
    import time

    from bot.framework.loader import default_framework_path

    ladder_file = tmp_path / "ladder.yaml"
    ladder_file.write_text(default_framework_path().read_text())
    ladder = serve(LADDER_FRAMEWORK=str(ladder_file))

    def staff_title() -> str:
        status, body, _ = ladder.slack.slash_command("what does L6 mean")
        assert status == 200, body
        return json.loads(body)["text"].split(":", 1)[0]

    def reloaded_to(expected: str) -> bool:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if staff_title() == expected:
                return True
            time.sleep(0.1)
        return False

    assert staff_title() == "Staff Engineer"
    ladder_file.write_text(ladder_file.read_text().replace("title: Staff Engineer", "title: Staff Software Engineer", 1))
    os.kill(ladder.process.pid, signal.SIGHUP)
    assert reloaded_to("Staff Software Engineer")

    ladder_file.write_text("name: broken\ntracks: []\n")
    os.kill(ladder.process.pid, signal.SIGHUP)
    refused = ladder.wait_for_log(lambda line: line["msg"].startswith("reload refused"))
    assert refused["level"] == "ERROR"
    assert any("tracks: must not be empty" in " ".join(line.get("details") or []) for line in ladder.log_lines())
    assert staff_title() == "Staff Software Engineer" and ladder.process.poll() is None  # still serving the previous file


def test_a_worker_restarted_after_a_refused_reload_serves_the_last_good_framework(serve, tmp_path):
    import os
    import signal
    import time

    from bot.framework.loader import default_framework_path

    ladder_file = tmp_path / "ladder.yaml"
    ladder_file.write_text(default_framework_path().read_text())
    ladder = serve(LADDER_FRAMEWORK=str(ladder_file))
    ladder_file.write_text("name: broken\ntracks: []\n")
    os.kill(ladder.process.pid, signal.SIGHUP)
    ladder.wait_for_log(lambda line: line["msg"].startswith("reload refused"))
    (worker,) = ladder.workers()
    os.kill(worker, signal.SIGKILL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and ladder.workers() in ([], [worker]):
        time.sleep(0.05)
    status, body, _ = ladder.slack.slash_command("what does Staff mean")
    assert status == 200 and "Staff Engineer" in json.loads(body)["text"]
    assert ladder.process.poll() is None
    ladder.stop()
    ladder.log_lines()  # every line JSON, the refused reload's problems included


def test_two_workers_are_replaced_by_a_reload_and_answer_throughout(serve, tmp_path):
    import os
    import signal
    import time

    from bot.framework.loader import default_framework_path

    ladder_file = tmp_path / "ladder.yaml"
    ladder_file.write_text(default_framework_path().read_text())
    ladder = serve(LADDER_FRAMEWORK=str(ladder_file), WEB_CONCURRENCY="2")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(ladder.workers()) < 2:
        time.sleep(0.05)
    old = set(ladder.workers())
    assert len(old) == 2
    ladder_file.write_text(ladder_file.read_text().replace("title: Staff Engineer", "title: Staff Software Engineer", 1))
    os.kill(ladder.process.pid, signal.SIGHUP)
    titles = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (old.isdisjoint(ladder.workers()) and len(ladder.workers()) == 2):
        status, body, _ = ladder.slack.slash_command("what does L6 mean")  # every request answered while workers change
        assert status == 200, body
        titles.append(json.loads(body)["text"].split(":", 1)[0])
    assert old.isdisjoint(ladder.workers()) and len(ladder.workers()) == 2
    assert titles[-1] == "Staff Software Engineer" and set(titles) <= {"Staff Engineer", "Staff Software Engineer"}


def test_workers_stop_when_their_supervisor_is_killed(serve):
    import os
    import signal
    import time
    from pathlib import Path

    ladder = serve()
    (worker,) = ladder.workers()
    os.kill(ladder.process.pid, signal.SIGKILL)
    ladder.process.wait()

    def running() -> bool:  # a zombie (exited, not yet reaped by whoever adopted it) is not running
        try:
            return Path(f"/proc/{worker}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and running():
        time.sleep(0.1)
    assert not running(), "a worker without its supervisor serves on unsupervised"

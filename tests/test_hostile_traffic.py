"""`ladder serve` under hostile and faulty traffic, driven from outside as an attacker or a broken network would.

Every case is bounded in count and time and talks only to loopback.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.fake_slack import FakeSlack
from tests.serve_process import free_port, get
from tests.slack_requests import sign

pytestmark = pytest.mark.slow
SECRET_TEXT = "my-private-career-question-7d1f"


def _post_headers(length: int, extra: str = "") -> bytes:
    return (
        f"POST /slack/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        f"Content-Length: {length}\r\n{extra}\r\n"
    ).encode()


def _closed_by_server(sock: socket.socket, within: float) -> bool:
    """Whether the server closed this connection (possibly after an error answer) within ``within`` seconds."""
    sock.settimeout(within)
    try:
        while sock.recv(65536):
            pass
        return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_slow_and_idle_clients_do_not_starve_real_ones_and_are_cut_off(serve):
    ladder = serve(LADDER_REQUEST_TIMEOUT="2")
    held: list[socket.socket] = []
    stop = threading.Event()
    try:
        for number in range(100):
            sock = socket.create_connection(("127.0.0.1", ladder.port), timeout=5)
            if number % 10:  # and one in ten sends nothing at all
                sock.sendall(_post_headers(10_000) + b"{" if number % 2 else b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")
            held.append(sock)

        def dribble() -> None:  # half the connections keep sending a byte at a time
            while not stop.wait(0.2):
                for sock in held[1::2]:
                    try:
                        sock.send(b" ")
                    except OSError:
                        pass

        threading.Thread(target=dribble, daemon=True).start()
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=10) as pool:
            answers = list(pool.map(lambda _n: ladder.slack.slash_command("what does Staff mean")[0], range(30)))
            health = list(pool.map(lambda _n: get(ladder.port, "/healthz")[0], range(10)))
        assert answers == [200] * 30 and health == [200] * 10
        assert time.monotonic() - started < 2.0  # answered while 100 connections are held, not after they are dropped
        # Those that went silent are cut off once silent for LADDER_REQUEST_TIMEOUT (waitress's channel_timeout) ...
        assert all(_closed_by_server(sock, within=6) for sock in held[0::2])
        stop.set()  # ... and so is each dribbler once it stops: the bound is on silence, not on a request's total time
        assert all(_closed_by_server(sock, within=6) for sock in held[1::2])
    finally:
        stop.set()
        for sock in held:
            sock.close()


def test_a_body_larger_than_slack_sends_is_refused_before_it_is_read(serve):
    ladder = serve()
    with socket.create_connection(("127.0.0.1", ladder.port), timeout=5) as sock:
        sock.sendall(_post_headers(50 * 1024 * 1024))  # announce 50 MB, send none of it
        answer = sock.recv(4096).decode()
    assert answer.startswith("HTTP/1.1 413")
    with socket.create_connection(("127.0.0.1", ladder.port), timeout=5) as sock:  # and one that sends 5 MB
        sock.sendall(_post_headers(5 * 1024 * 1024))
        try:
            sock.sendall(b"x" * 5 * 1024 * 1024)
        except OSError:
            pass  # the server may close before the body is through: it refused it without reading
        assert sock.recv(4096).decode().startswith("HTTP/1.1 413")
    with socket.create_connection(("127.0.0.1", ladder.port), timeout=5) as sock:  # asking for "100 Continue" first:
        sock.sendall(_post_headers(50 * 1024 * 1024, "Expect: 100-continue\r\n"))
        answer = sock.recv(4096).decode()
        if answer.startswith("HTTP/1.1 100"):  # waitress 3.0 invites the body, then refuses it at the limit
            try:
                sock.sendall(b"x" * 5 * 1024 * 1024)
            except OSError:
                pass
            answer = answer.partition("\r\n\r\n")[2] or sock.recv(4096).decode()
        assert answer.startswith("HTTP/1.1 413")
    with socket.create_connection(("127.0.0.1", ladder.port), timeout=5) as sock:  # no Content-Length: chunks past the limit
        sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        try:
            for _ in range(5):
                sock.sendall(b"100000\r\n" + b"x" * 0x100000 + b"\r\n")
        except OSError:
            pass
        assert sock.recv(4096).decode().startswith("HTTP/1.1 413")
    with socket.create_connection(("127.0.0.1", ladder.port), timeout=5) as sock:
        sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n")
        assert sock.recv(4096).decode().split()[1] in ("400", "431")
    with socket.create_connection(("127.0.0.1", ladder.port), timeout=5) as sock:
        sock.sendall(b"\x16\x03\x01 not http at all\r\n\r\n")
        assert sock.recv(4096).decode(errors="replace").split()[1] == "400"
    assert get(ladder.port, "/healthz")[0] == 200
    ladder.stop()
    ladder.log_lines()  # every line JSON; waitress refuses these itself, before the app (which logs its own refusals)


def test_head_answers_carry_no_body(serve):
    ladder = serve()
    with socket.create_connection(("127.0.0.1", ladder.port), timeout=5) as sock:
        sock.sendall(b"HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, rest = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and rest.startswith(b"HTTP/1.1 200"), answer


def test_refused_and_unhandled_requests_leave_no_text_in_the_log(serve):
    ladder = serve()
    body = json.dumps(
        {"type": "event_callback", "team_id": "T0TEST", "event_id": "EvSecret", "event": {"type": "message", "text": SECRET_TEXT}}
    ).encode()
    good = sign("test-signing-secret", body)
    cases = [
        {"X-Slack-Signature": "v0=" + "0" * 64, "X-Slack-Request-Timestamp": good["X-Slack-Request-Timestamp"]},  # forged
        sign("test-signing-secret", body, int(time.time()) - 600),  # stale
        sign("wrong-secret", body),  # a rotated secret
        {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": good["X-Slack-Signature"]},
        {"X-Slack-Request-Timestamp": good["X-Slack-Request-Timestamp"], "X-Slack-Signature": "v0=\xe9\xe9"},
        {},
    ]
    for headers in cases:
        assert ladder.slack.raw(body, {"Content-Type": "application/json", **headers})[0] == 401
    unhandled = json.dumps(
        {
            "type": "event_callback",
            "team_id": "T0TEST",
            "event_id": "Ev2",
            "event": {"type": "reaction_added", "text": SECRET_TEXT},
        }
    ).encode()
    assert ladder.slack.raw(unhandled, {"Content-Type": "application/json", **sign("test-signing-secret", unhandled)})[0] in (
        200,
        404,
    )
    ladder.stop()
    lines = ladder.log_lines()  # every line JSON
    assert SECRET_TEXT not in ladder.log_text()
    refused = [line for line in lines if line.get("msg") == "slack request refused"]
    assert [line["status"] for line in refused] == [401] * 6


def test_workers_boot_and_serve_while_slack_is_down_and_recover_when_it_is_back(serve, tmp_path):
    slack_port = free_port()  # nothing listens here yet: Slack's API is down
    ladder = serve(SLACK_API_URL=f"http://127.0.0.1:{slack_port}/api/")
    (first_worker,) = ladder.workers()
    os.kill(first_worker, signal.SIGKILL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (not ladder.workers() or ladder.workers() == [first_worker]):
        time.sleep(0.05)
    assert ladder.process.poll() is None, "the supervisor must not exit because Slack is unreachable"
    assert get(ladder.port, "/healthz", timeout=20)[0] == 200  # waits in the listen queue while the new worker boots
    status, body, _ = ladder.slack.slash_command("what does Staff mean")  # answered in the HTTP response: needs no Web API
    assert status == 200 and "Staff Engineer" in json.loads(body)["text"]
    assert ladder.slack.slash_command("staff", bad_signature=True)[0] == 401
    assert ladder.slack.app_mention("<@U0BOT> what does Staff mean", channel="C0DOWN")[0] == 200
    with FakeSlack(port=slack_port) as slack_is_back:  # the outbox's retries deliver once Slack answers again
        (posted,) = slack_is_back.wait_for("chat.postMessage", timeout=15)
    assert posted.args["channel"] == "C0DOWN"
    assert ladder.process.poll() is None
    ladder.stop()
    lines = ladder.log_lines()  # the supervisor's line about the killed worker is JSON too
    errors = [line for line in lines if line["level"] == "ERROR" and line["logger"] != "ladder.server"]
    assert all(line.get("team") == "T0TEST" and line.get("event") for line in errors), errors
    assert f"worker {first_worker} was sent SIGKILL; starting another" in [line["msg"] for line in lines]


def test_a_deleted_or_unreadable_database_file_makes_health_fail_and_is_never_recreated(serve, tmp_path):
    path = tmp_path / "ladder.db"
    ladder = serve(f"sqlite:///{path}")
    assert get(ladder.port, "/healthz")[0] == 200
    path.unlink()
    for wal in tmp_path.glob("ladder.db-*"):
        wal.unlink()
    status, body = _eventually_unhealthy(ladder.port)
    assert status == 503 and json.loads(body)["status"] == "unavailable"
    assert ladder.slack.app_mention("<@U0BOT> staff")[0] >= 500  # the event is not acknowledged: Slack will redeliver it
    assert not path.exists()
    path.write_bytes(b"not a database " * 1000)
    assert _eventually_unhealthy(ladder.port)[0] == 503
    assert get(ladder.port, "/livez")[0] == 200


def _eventually_unhealthy(port: int) -> tuple[int, str]:
    """/healthz answers from a check at most half a second old."""
    deadline = time.monotonic() + 3
    while True:
        status, body = get(port, "/healthz")
        if status != 200 or time.monotonic() > deadline:
            return status, body
        time.sleep(0.1)


def _signed(body: bytes, content_type: str, **header_overrides: str) -> tuple[bytes, dict[str, str]]:
    """Headers of a request signed now: Slack's signatures are good for five minutes, so each is made when it is sent
    (built at import, a busy suite reached this test after they had gone stale, and got 401 for 400)."""
    return body, {"Content-Type": content_type, **sign("test-signing-secret", body), **header_overrides}


def _unsigned(body: bytes, content_type: str, **headers: str) -> tuple[bytes, dict[str, str]]:
    return body, {"Content-Type": content_type, **headers}


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
DEEP = b"[" * 100_000 + b"]" * 100_000


def malformed() -> dict[str, tuple[tuple[bytes, dict[str, str]], set[int]]]:
    """Each malformed request by name, with the statuses allowed for it; signed ones signed now."""
    return {
        "unsigned malformed json": (_unsigned(b'{"type": ', JSON), {401}),
        "unsigned invalid utf-8": (
            _unsigned(b"\xff\xfe\xfa", JSON, **{"X-Slack-Request-Timestamp": "1", "X-Slack-Signature": "v0=00"}),
            {401},
        ),
        "unsigned deep nesting": (_unsigned(DEEP, JSON), {401}),
        "non-numeric timestamp": (
            _unsigned(b"{}", JSON, **{"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=1"}),
            {401},
        ),
        "huge timestamp": (
            _unsigned(b"{}", JSON, **{"X-Slack-Request-Timestamp": "9" * 400, "X-Slack-Signature": "v0=1"}),
            {401},
        ),
        "signed malformed json": (_signed(b'{"type": ', JSON), {400}),
        "signed invalid utf-8": (_signed(b"\xff\xfe\xfa", JSON), {400}),
        "signed deep nesting": (_signed(DEEP, JSON), {400}),
        "signed json array": (_signed(b"[1, 2]", JSON), {400, 404}),
        "signed json string": (_signed(b'"hello"', JSON), {400, 404}),
        "signed form with bad payload": (_signed(b"payload=%7Bnot-json", FORM), {400}),
        "signed form with array payload": (_signed(b"payload=%5B%5D", FORM), {400, 404}),
        "event as a string": (
            _signed(
                json.dumps({"type": "event_callback", "team_id": "T0TEST", "event_id": "Ev9", "event": "app_mention"}).encode(),
                JSON,
            ),
            {200, 400, 404},
        ),
        "event as a list": (
            _signed(json.dumps({"type": "event_callback", "team_id": "T0TEST", "event_id": "Ev10", "event": []}).encode(), JSON),
            {200, 400, 404},
        ),
        "event with non-string fields": (
            _signed(
                json.dumps(
                    {
                        "type": "event_callback",
                        "team_id": "T0TEST",
                        "event_id": "Ev11",
                        "event": {"type": "app_mention", "text": 5, "channel": [], "user": {}},
                    }
                ).encode(),
                JSON,
            ),
            {200, 400},
        ),
        "team as a string": (
            _signed(
                json.dumps({"type": "event_callback", "team": "T0", "event_id": 7, "event": {"type": "app_mention"}}).encode(),
                JSON,
            ),
            {200, 400, 404},
        ),
        "type as a number": (_signed(json.dumps({"type": 5}).encode(), JSON), {400, 404}),
        "actions empty": (
            _signed(
                b"payload="
                + json.dumps({"type": "block_actions", "team": {"id": "T0TEST"}, "user": {"id": "U1"}, "actions": []}).encode(),
                FORM,
            ),
            {200, 400, 404},
        ),
        "actions not a list": (
            _signed(
                b"payload="
                + json.dumps({"type": "block_actions", "team": {"id": "T0TEST"}, "user": {"id": "U1"}, "actions": "x"}).encode(),
                FORM,
            ),
            {200, 400, 404},
        ),
        "view submission without a view": (
            _signed(
                b"payload=" + json.dumps({"type": "view_submission", "team": {"id": "T0TEST"}, "user": {"id": "U1"}}).encode(),
                FORM,
            ),
            {200, 400, 404},
        ),
        "view without a type": (
            _signed(
                b"payload="
                + json.dumps(
                    {"type": "view_submission", "team": {"id": "T0TEST"}, "user": {"id": "U1"}, "view": {"callback_id": "x"}}
                ).encode(),
                FORM,
            ),
            {200, 400, 404},
        ),
        "workflow step edit without its step": (
            _signed(
                b"payload="
                + json.dumps(
                    {"type": "workflow_step_edit", "team": {"id": "T0TEST"}, "user": {"id": "U1"}, "callback_id": "x"}
                ).encode(),
                FORM,
            ),
            {200, 400, 404},
        ),
        "command with no text": (_signed(b"command=%2Fladder&team_id=T0TEST&user_id=U1", FORM), {200}),
        "command fields repeated": (
            _signed(b"command=%2Fladder&command=%2Fother&team_id=T0TEST&team_id=T2&user_id=U1&text=a&text=b", FORM),
            {200, 400, 404},
        ),
        "empty body": (_signed(b"", FORM), {400, 404}),
    }


def test_malformed_payloads_get_a_4xx_or_a_quiet_ack_never_a_500(serve):
    ladder = serve()
    requests = malformed()
    for name, ((body, headers), allowed) in requests.items():
        status = ladder.slack.raw(body, headers)[0]
        assert status in allowed, f"{name}: {status}"
    assert get(ladder.port, "/healthz")[0] == 200
    ladder.stop()
    lines = ladder.log_lines()
    assert not [line for line in lines if line["level"] == "ERROR" or "exc" in line], "no tracebacks for garbage"
    assert len([line for line in lines if line.get("logger") == "ladder.requests"]) == len(requests)


def test_answers_survive_slack_faltering_and_failures_are_accounted_for(serve, fake_slack):
    ladder = serve()
    fake_slack.rate_limit_next("chat.postMessage", retry_after=1)
    fake_slack.break_next("chat.postMessage", "http_500")
    assert ladder.slack.app_mention("<@U0BOT> what does Staff mean", channel="C0RETRY")[0] == 200
    delivered = [c for c in fake_slack.wait_for("chat.postMessage", count=3, timeout=15) if c.carried_out]
    assert [c.args["channel"] for c in delivered] == ["C0RETRY"]

    fake_slack.reset()
    fake_slack.break_next("chat.postMessage", "reset")
    fake_slack.expect_refusals("missing_scope")  # the retry may not read a public channel to look for it (no channels:history)
    assert ladder.slack.app_mention("<@U0BOT> what does Staff mean", channel="C0RESET", user="U0RESET")[0] == 200
    unconfirmed = ladder.wait_for_log(lambda line: "unconfirmed" in line["msg"])
    assert (unconfirmed["team"], unconfirmed["user"], unconfirmed["channel"]) == ("T0TEST", "U0RESET", "C0RESET")
    assert unconfirmed["event"].startswith("Ev")
    time.sleep(0.5)
    assert len([c for c in fake_slack.calls("chat.postMessage") if c.carried_out]) == 1  # posted once, not repeated

    fake_slack.reset()
    fake_slack.fail_next("chat.postMessage", "not_in_channel")
    assert ladder.slack.app_mention("<@U0BOT> what does Staff mean", channel="C0GONE", user="U0GONE")[0] == 200
    failed = ladder.wait_for_log(lambda line: line["msg"] == "outbox message failed for good")
    assert (failed["level"], failed["team"], failed["user"], failed["reason"]) == ("ERROR", "T0TEST", "U0GONE", "not_in_channel")
    (apology,) = [c for c in fake_slack.wait_for("chat.postMessage", count=2) if c.args["channel"] == "U0GONE"]
    assert apology.carried_out
    _, health = get(ladder.port, "/healthz")
    counts = json.loads(health)["deliveries"]
    assert counts["failed"] == 1 and counts["unconfirmed"] == 1 and counts["sent"] >= 2 and counts["apologised"] == 1


def test_a_rate_limited_channel_does_not_delay_answers_to_others(serve, fake_slack):
    ladder = serve()
    fake_slack.rate_limit_next("chat.postMessage", times=1, retry_after=4)
    assert ladder.slack.app_mention("<@U0BOT> staff", channel="C0SLOW")[0] == 200
    fake_slack.wait_for("chat.postMessage")  # the 429
    started = time.monotonic()
    for channel in ("C0A", "C0B", "C0C", "C0D", "C0E"):
        assert ladder.slack.app_mention("<@U0BOT> staff", channel=channel)[0] == 200
    calls = fake_slack.wait_for("chat.postMessage", count=6, timeout=5)
    assert time.monotonic() - started < 2
    assert sorted(c.args["channel"] for c in calls if c.carried_out) == ["C0A", "C0B", "C0C", "C0D", "C0E"]
    slow = fake_slack.wait_for("chat.postMessage", count=7, timeout=10)[-1]
    assert slow.args["channel"] == "C0SLOW" and slow.carried_out
    assert time.monotonic() - started >= 3.5  # not before its Retry-After


def test_answers_still_waiting_when_the_server_stops_stay_in_the_outbox(serve, fake_slack, tmp_path):
    from sqlmodel import Session, select

    from storage.engine import make_engine
    from storage.models import OutboxMessage

    ladder = serve()
    fake_slack.rate_limit_next("chat.postMessage", times=5, retry_after=30)
    assert ladder.slack.app_mention("<@U0BOT> staff", user="U0WAIT", channel="C0WAIT")[0] == 200
    fake_slack.wait_for("chat.postMessage")
    started = time.monotonic()
    ladder.stop()
    assert time.monotonic() - started < 12  # within the graceful timeout (10 s)
    engine = make_engine(f"sqlite:///{tmp_path / 'ladder.db'}")
    try:
        with Session(engine) as session:
            [waiting] = session.exec(select(OutboxMessage).where(OutboxMessage.purpose == "question_answer")).all()
    finally:
        engine.dispose()
    assert (waiting.recipient, waiting.status) == ("C0WAIT", "pending")  # not lost: the next sender sends it
    assert not [line for line in ladder.log_lines() if line["level"] == "ERROR" and line.get("user") == "U0WAIT"]


@pytest.mark.parametrize(
    ("env", "status", "says"),
    [
        ({"LOG_LEVEL": "LOUD"}, 2, "LOG_LEVEL must be one of"),
        ({"LADDER_FRAMEWORK": "/nonexistent/ladder.yaml"}, 1, "career framework"),
    ],
)
def test_start_up_failures_of_serve_are_json_lines(fake_slack, tmp_path, env, status, says):
    import subprocess

    from tests.app_server import ladder_env
    from tests.serve_process import LADDER

    full = {**os.environ, **ladder_env(fake_slack.url, f"sqlite:///{tmp_path / 'l.db'}"), "PORT": str(free_port()), **env}
    done = subprocess.run([LADDER, "serve"], env=full, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == status
    lines = [json.loads(line) for line in done.stderr.splitlines()]
    assert any(says in line["msg"] and line["level"] == "ERROR" for line in lines), done.stderr

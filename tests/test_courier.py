"""The courier against the fake Slack over HTTP: retries, Retry-After per channel, no duplicates, accounting.

Time is a controlled clock: the courier runs with no worker threads, and `run_due()` delivers in
the test's thread whatever is due, so a 20-second Retry-After is a clock step, not a wait.
"""

from __future__ import annotations

import logging

import pytest
from slack_sdk import WebClient

from bot.runtime.courier import Courier, Delivery, Verdict, classify

TOKEN = "xoxb-test-token"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def courier(fake_slack, clock) -> Courier:
    client = WebClient(token=TOKEN, base_url=fake_slack.url, timeout=5, retry_handlers=[])
    return Courier(lambda _team: client, workers=0, clock=clock, budget_seconds=600)


def answer(channel: str, text: str = "an answer", **extra: object) -> Delivery:
    return Delivery(
        "chat.postMessage",
        {"channel": channel, "text": text, **extra},
        team_id="T0TEST",
        user_id="U0ASKER",
        event_id="Ev1",
        apology={"text": "Sorry, I could not answer that."},
    )


def posts(fake_slack, channel: str | None = None) -> list[str]:
    """Texts Slack actually posted (whatever the bot heard back)."""
    return [
        c.args.get("text") for c in fake_slack.calls("chat.postMessage") if c.carried_out and channel in (None, c.args["channel"])
    ]


def test_delivers_at_once_when_slack_answers(courier, fake_slack):
    courier.send(answer("C1"))
    assert courier.run_due() == 1
    assert posts(fake_slack) == ["an answer"]
    assert courier.counts["delivered"] == 1 and courier.pending() == 0


def test_retry_after_is_honoured_without_delaying_other_channels(courier, fake_slack, clock):
    fake_slack.rate_limit_next("chat.postMessage", retry_after=20)
    courier.send(answer("C1", "first in C1"))
    courier.send(answer("C1", "second in C1"))
    courier.run_due()  # C1 is told to wait 20 s
    courier.send(answer("C2", "in C2"))
    courier.run_due()
    assert posts(fake_slack) == ["in C2"]  # the other channel did not wait
    clock.advance(19)
    courier.run_due()
    assert posts(fake_slack, "C1") == []  # not before Retry-After
    clock.advance(1)
    courier.run_due()
    assert posts(fake_slack, "C1") == ["first in C1", "second in C1"]  # in order, once each
    assert courier.counts["rate_limited"] == 1 and courier.counts["delivered"] == 3


@pytest.mark.parametrize("failure", ["http_500", "internal_error", "service_unavailable"])
def test_transient_failures_are_retried_with_backoff(courier, fake_slack, clock, failure):
    if failure == "http_500":
        fake_slack.break_next("chat.postMessage", "http_500", times=2)
    else:
        fake_slack.fail_next("chat.postMessage", failure)
        fake_slack.fail_next("chat.postMessage", failure)
    courier.send(answer("C1"))
    courier.run_due()
    assert posts(fake_slack) == []
    clock.advance(0.7)  # the first backoff is 0.8-1.2 s
    assert courier.run_due() == 0
    clock.advance(0.6)
    courier.run_due()
    clock.advance(2.5)  # the second is 1.6-2.4 s
    courier.run_due()
    assert posts(fake_slack) == ["an answer"]
    assert courier.counts["retried"] == 2 and courier.counts["delivered"] == 1


def test_a_reset_after_slack_accepted_is_not_posted_twice(courier, fake_slack, clock, caplog):
    fake_slack.break_next("chat.postMessage", "reset")
    courier.send(answer("C1"))
    with caplog.at_level(logging.WARNING, logger="ladder.deliveries"):
        courier.run_due()
        clock.advance(120)
        courier.run_due()
    assert posts(fake_slack) == ["an answer"]
    assert courier.counts["unconfirmed"] == 1
    (record,) = [r for r in caplog.records if r.name == "ladder.deliveries"]
    assert (record.team, record.user, record.event, record.channel) == ("T0TEST", "U0ASKER", "Ev1", "C1")


def test_a_connection_that_never_reached_slack_is_retried(fake_slack, clock):
    fake_slack.stop()  # nothing listens on that port now: connecting fails before anything is sent
    down = WebClient(token=TOKEN, base_url=fake_slack.url, timeout=2, retry_handlers=[])
    courier = Courier(lambda _team: down, workers=0, clock=clock, max_attempts=3)
    courier.send(answer("C1"))
    courier.run_due()
    assert courier.counts["retried"] == 1 and courier.pending() == 1


def test_an_answer_slack_refuses_is_logged_counted_and_apologised_for(courier, fake_slack, caplog):
    fake_slack.fail_next("chat.postMessage", "msg_blocks_too_long")
    courier.send(answer("C1", thread_ts="1.2"))
    with caplog.at_level(logging.ERROR, logger="ladder.deliveries"):
        courier.run_due()
        courier.run_due()
    (error,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert (error.team, error.user, error.event, error.error) == ("T0TEST", "U0ASKER", "Ev1", "msg_blocks_too_long")
    (apology,) = fake_slack.calls("chat.postEphemeral")
    assert apology.args["user"] == "U0ASKER" and apology.args["channel"] == "C1" and apology.args["thread_ts"] == "1.2"
    assert courier.counts["failed"] == 1 and courier.counts["apologised"] == 1


def test_when_the_channel_is_the_problem_the_apology_is_a_direct_message(courier, fake_slack):
    fake_slack.fail_next("chat.postMessage", "not_in_channel")
    courier.send(answer("C1"))
    courier.run_due()
    courier.run_due()
    assert [c.args["channel"] for c in fake_slack.calls("chat.postMessage")] == ["C1", "U0ASKER"]


def test_an_outage_longer_than_a_few_retries_is_waited_out_within_the_budget(courier, fake_slack, clock):
    fake_slack.break_next("chat.postMessage", "http_500", times=9)  # about four minutes of backoff
    courier.send(answer("C1"))
    for _ in range(30):
        courier.run_due()
        clock.advance(30)
    assert posts(fake_slack) == ["an answer"] and courier.counts["failed"] == 0


def test_a_send_after_close_is_accounted_for(courier, fake_slack, caplog):
    courier.close(timeout=0)
    with caplog.at_level(logging.ERROR, logger="ladder.deliveries"):
        courier.send(answer("C1"))
    assert courier.counts["failed"] == 1 and caplog.records[0].user == "U0ASKER"


def test_retries_stop_at_the_budget_and_are_accounted_for(courier, fake_slack, clock):
    fake_slack.break_next("chat.postMessage", "http_500", times=100)
    courier.send(answer("C1"))
    for _ in range(20):
        courier.run_due()
        clock.advance(70)
    assert courier.counts["failed"] == 1 and courier.pending() == 0
    assert posts(fake_slack) == []


def test_worker_threads_deliver_in_the_background(fake_slack):
    client = WebClient(token=TOKEN, base_url=fake_slack.url, timeout=5, retry_handlers=[])
    courier = Courier(lambda _team: client, workers=2)
    for channel in ("C1", "C2", "C3"):
        courier.send(answer(channel))
    assert courier.wait_idle(timeout=10)
    assert sorted(c.args["channel"] for c in fake_slack.calls("chat.postMessage")) == ["C1", "C2", "C3"]
    courier.close(timeout=1)


def test_classification_of_non_slack_errors():
    assert classify(None).verdict is Verdict.DELIVERED
    assert classify(ConnectionResetError()).verdict is Verdict.AMBIGUOUS
    assert classify(TimeoutError()).verdict is Verdict.AMBIGUOUS
    assert classify(ValueError("bug")).verdict is Verdict.PERMANENT

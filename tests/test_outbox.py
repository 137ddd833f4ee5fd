"""The outbox: every due message reaches Slack exactly once, whatever Slack answers."""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from bot.runtime.clients import slack_client
from bot.runtime.outbox_sender import OutboxSender
from storage.models import OutboxMessage
from tests.checkin_world import World, organisation

MONDAY_TEN_LONDON = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)


@pytest.fixture
def world(fake_slack, tmp_path, database_url):
    with organisation(fake_slack, tmp_path, database_url, MONDAY_TEN_LONDON - timedelta(hours=12)) as world:
        world.tick()  # timezones learnt, first prompts planned (Monday 10:00 local)
        world.clock.set(MONDAY_TEN_LONDON)
        yield world


def sender_on_test_time(world: World) -> OutboxSender:
    """The app's sender on the test's clock (no thread ever sleeps: a 429 puts the message back until Retry-After)."""
    services = world.services
    client = slack_client(world.ladder.settings, token=world.ladder.settings.slack_bot_token, retries=False)
    return OutboxSender(services.engine, lambda _team: client, services.sender._composer, world.clock)  # noqa: SLF001


def outbox(world: World) -> dict[str, OutboxMessage]:
    with Session(world.services.engine) as session:
        return {m.recipient: m for m in session.exec(select(OutboxMessage))}


def carried_out_keys(world: World) -> list[str]:
    return [
        c.args["metadata"]["event_payload"]["key"]
        for c in world.slack.calls("chat.postMessage")
        if c.carried_out and c.args.get("metadata")
    ]


def test_429_puts_the_message_back_for_retry_after_without_sleeping_and_delivers_each_once(world):
    from bot.runtime.clock import tick

    tick(world.services)
    world.slack.rate_limit_next("chat.postMessage", times=2, retry_after=7)
    before = world.clock()
    sender = sender_on_test_time(world)
    sender.drain()  # returns: nothing waits in a thread for Retry-After, and the other channels' messages went
    assert world.clock() == before and sender.counts["rate_limited"] == 2
    limited = [m for m in outbox(world).values() if m.status == "pending" and m.recipient != "UCHI"]
    assert len(limited) == 2 and all(m.attempts == 0 and m.due_at == before + timedelta(seconds=7) for m in limited)
    world.clock.advance(timedelta(seconds=7))
    sender.drain()
    keys = carried_out_keys(world)
    assert len(keys) == len(set(keys)) and set(keys) == {m.key for m in outbox(world).values() if m.due_at <= world.clock()}
    assert {k.split(":")[1] for k in keys} >= {"UANA", "UMAX", "UADMIN"}  # London, 10:00 (and earlier timezones)
    assert all(m.status == "sent" and m.ts for m in outbox(world).values() if m.due_at <= world.clock())
    # Sydney's Monday prompt fell due while "the clock was down" (15 March 23:00 UTC): it waits for Tuesday 10:00 there
    assert outbox(world)["UCHI"].due_at == datetime(2026, 3, 16, 23, 0, tzinfo=UTC)


def test_a_5xx_is_retried_with_backoff_and_a_broken_answer_is_not_sent_twice(world):
    from bot.runtime.clock import tick

    tick(world.services)
    world.slack.break_next("chat.postMessage", "http_500")
    world.slack.break_next("chat.postMessage", "reset")  # Slack posts it, the answer never arrives
    sender = sender_on_test_time(world)
    sender.drain()
    pending = [m for m in outbox(world).values() if m.status == "pending" and m.recipient != "UCHI"]
    assert len(pending) == 2 and all(m.due_at > world.clock() for m in pending)  # backing off
    world.clock.advance(timedelta(minutes=5))
    sender.drain()
    keys = carried_out_keys(world)
    assert len(keys) == len(set(keys)) == len(outbox(world)) - 1  # the post whose answer was lost was found in Slack's history
    assert all(m.status == "sent" for m in outbox(world).values() if m.recipient != "UCHI")
    assert sender.counts["recovered"] == 1 and sender.counts["retried"] == 2


def test_permanent_refusals_are_failed_with_the_reason_and_listed_for_admins(world, monkeypatch):
    from bot.cli import main
    from bot.runtime.clock import tick

    world.slack.disable_user("UMAX")
    world.slack.fail_next("chat.postMessage", "invalid_blocks")
    tick(world.services)
    sender_on_test_time(world).drain()
    failed = {m.recipient: m.error for m in outbox(world).values() if m.status == "failed"}
    assert failed["UMAX"] == "user_disabled" and "invalid_blocks" in failed.values()
    world.clock.advance(timedelta(days=1))
    sender_on_test_time(world).drain()
    assert len([c for c in world.slack.calls("chat.postMessage") if c.args.get("channel") == "UMAX"]) == 1  # never retried
    monkeypatch.setenv("DATABASE_URL", world.ladder.settings.database_url)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["outbox", "failed"]) == 0
    assert "to UMAX: user_disabled" in out.getvalue()


def test_a_message_whose_subject_is_gone_is_not_sent(world):
    from bot.growth.service import MENTOR_REQUEST
    from storage.repositories.outbox import Outbox
    from storage.unit_of_work import unit_of_work

    with unit_of_work(world.services.engine) as work:
        Outbox(work.session).enqueue("T0TEST", "mentor-request:999", MENTOR_REQUEST, "UPAT",
                                     {"mentorship_id": 999}, due_at=world.clock())  # fmt: skip
    world.services.sender.drain()
    assert outbox(world)["UPAT"].status == "skipped" and "not sent" in outbox(world)["UPAT"].error
    assert world.dms_to("UPAT") == []

"""A sender checks its claim immediately before posting: a message another sender took over, or one it may no longer
send (its clock lost the lease), is not posted by it — each message reaches Slack once."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Callable

from hypothesis import given
from hypothesis import strategies as st
from slack_sdk import WebClient
from sqlalchemy import update
from sqlmodel import Session

from bot.runtime.clients import slack_client
from bot.runtime.clock import tick
from bot.runtime.outbox_sender import OutboxSender, call_timeout
from bot.runtime.services import build_services
from bot.runtime.settings import Settings
from storage.models import OutboxMessage
from tests.checkin_world import World
from tests.clock import TestClock
from tests.test_outbox import carried_out_keys, outbox, world  # noqa: F401 - the fixture


def sender(world: World, now: TestClock, before_each: Callable[[], None] = lambda: None) -> OutboxSender:
    """A sender on its own host clock; ``before_each`` runs as it turns to each message it claimed."""
    client = slack_client(world.ladder.settings, token=world.ladder.settings.slack_bot_token, retries=False)

    def client_for(_team: str) -> WebClient:
        before_each()
        return client

    return OutboxSender(world.services.engine, client_for, world.services.sender._composer, now)  # noqa: SLF001


def age_claims(world: World, by: timedelta) -> None:
    """Make every claim older by the database's clock (its claimed_at moved back), as if its sender had stalled that long."""
    with Session(world.services.engine) as session:
        session.execute(
            update(OutboxMessage).where(OutboxMessage.status == "sending").values(claimed_at=datetime.now(UTC) - by)
        )
        session.commit()


def test_a_message_another_sender_took_over_is_not_posted_by_the_one_that_claimed_it(world):
    tick(world.services)
    due = [m.key for m in outbox(world).values() if m.due_at <= world.clock()]
    assert len(due) >= 3
    other = sender(world, world.clock)

    def stall_then_take_over() -> None:  # the first claims are long stale by the database's clock; the other takes them
        if not carried_out_keys(world):
            age_claims(world, timedelta(minutes=2))
            other.drain()

    stalled = sender(world, world.clock, before_each=stall_then_take_over)

    stalled.run_once()  # claims a batch, then stalls; the other takes every claim over and posts each

    delivered = Counter(carried_out_keys(world))
    assert set(delivered) == set(due) and max(delivered.values()) == 1
    assert stalled.counts["sent"] == 0 and other.counts["sent"] == len(due)
    assert all(m.status == "sent" for m in outbox(world).values() if m.key in due)


def test_a_sender_whose_host_clock_runs_ahead_cannot_take_over_a_live_claim(world):
    """Claims are aged by the database's clock: a host two minutes ahead sees the first sender's claims as young as they
    are, takes none of them, and each message is posted once, by the sender that claimed it."""
    tick(world.services)
    due = [m.key for m in outbox(world).values() if m.due_at <= world.clock()]
    ahead = sender(world, TestClock(world.clock() + timedelta(minutes=2)))
    tried: list[int] = []
    first = sender(world, world.clock, before_each=lambda: tried.append(ahead.run_once()) if not tried else None)

    assert first.run_once() == len(due)

    assert tried == [0] and ahead.counts["sent"] == 0  # nothing of the first's was claimable
    delivered = Counter(carried_out_keys(world))
    assert set(delivered) == set(due) and max(delivered.values()) == 1 and first.counts["sent"] == len(due)


def test_a_claim_too_old_to_post_safely_goes_back_and_is_sent_once(world):
    tick(world.services)
    due = [m.key for m in outbox(world).values() if m.due_at <= world.clock()]
    aged: list[bool] = []

    def slow_start() -> None:  # the batch's first message took 20 s to reach (half the claim lease is 15 s)
        if not aged:
            age_claims(world, timedelta(seconds=20))
            aged.append(True)

    one = sender(world, world.clock, before_each=slow_start)
    assert one.run_once() == len(due)
    assert carried_out_keys(world) == []  # nothing posted on a claim another sender might take over meanwhile
    assert all(m.status == "pending" and m.attempts == 0 for m in outbox(world).values() if m.key in due)
    one.drain()
    delivered = Counter(carried_out_keys(world))
    assert set(delivered) == set(due) and max(delivered.values()) == 1


def test_a_sender_that_may_no_longer_send_posts_nothing_more(world):
    """The clock's sender runs only while its lease is held: once it is not, the rest of the batch goes back."""
    tick(world.services)
    due = [m.key for m in outbox(world).values() if m.due_at <= world.clock()]
    one = sender(world, world.clock)

    def lease_held() -> bool:  # held until the first message is posted; lost after
        if not carried_out_keys(world):
            return True
        one.stop()
        return False

    one.run_forever(poll_seconds=0, allowed=lease_held)

    assert len(carried_out_keys(world)) == 1
    assert sum(m.status == "pending" and m.attempts == 0 for m in outbox(world).values() if m.key in due) == len(due) - 1
    one.restart()
    assert one.drain() == len(due) - 1
    delivered = Counter(carried_out_keys(world))
    assert set(delivered) == set(due) and max(delivered.values()) == 1


@given(lease=st.floats(min_value=3, max_value=3600))
def test_a_senders_slack_call_ends_before_its_claim_may_be_taken_over(lease):
    """A message is posted only while half its claim's lease is left; the call that posts it gives up sooner, so no other
    sender takes the claim over (and looks for the message in Slack) while the post may still be on its way."""
    assert call_timeout(timedelta(seconds=lease)) < lease / 2


def test_the_delivery_client_times_out_within_the_claims_lease(tmp_path):
    settings = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "DATABASE_URL": f"sqlite:///{tmp_path}/l.db", "LADDER_CLOCK_LEASE": "10"})
    services = build_services(settings)
    try:
        assert services.sender._client_for("T1").timeout < 10 / 2  # noqa: SLF001
    finally:
        services.close(1)

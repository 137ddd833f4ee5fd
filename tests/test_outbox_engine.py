"""The sending engine (issue #19): claims that put the waiting first and let teams take turns, a 429 that pauses only
what Slack limited, DND asked once per person per day, and several sender threads that never post a message twice."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from bot.runtime.clients import slack_client
from bot.runtime.clock import tick
from bot.runtime.outbox_sender import OutboxSender
from bot.runtime.pacing import Pacer
from messages.question_kinds import ANSWER, DIRECT, answer_context
from storage.models import OutboxMessage
from storage.repositories.outbox import Outbox, last_served
from storage.unit_of_work import unit_of_work
from tests.checkin_world import TEAM, World
from tests.concurrency import at_once
from tests.test_outbox import carried_out_keys, outbox, world  # noqa: F401 - the fixture

NOW = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)
BULK, URGENT = "checkin_prompt", "question_answer"


def enqueue(engine, team: str, count: int, purpose: str = BULK, *, due: datetime = NOW, prefix: str = "") -> None:
    with unit_of_work(engine) as work:
        rows = [(f"{prefix or purpose}:{team}:{i}", purpose, f"U{i}", {}) for i in range(count)]
        Outbox(work.session).enqueue_many(team, rows, due_at=due)


def claim(engine, limit: int, **kwargs) -> list:
    with unit_of_work(engine) as work:
        return Outbox(work.session).claim_due(NOW, limit=limit, lease=LEASE, **kwargs)


def ask(world: World, user: str, n: int) -> str:
    """An answer to a direct message, written to the outbox as the request that heard the question writes it."""
    key = f"answer:{user}:{n}"
    with unit_of_work(world.services.engine) as work:
        context = answer_context("what is my level?", via=DIRECT, channel=user, thread_ts=None, asker=user, event=key)
        Outbox(work.session).enqueue(TEAM, key, ANSWER, user, context, due_at=world.clock())
    return key


# -- claims -----------------------------------------------------------------------------------------------------------


def test_urgent_kinds_are_claimed_before_the_fan_out(engine):
    enqueue(engine, "T1", 40, due=NOW - timedelta(minutes=5))  # a fan-out due earlier
    enqueue(engine, "T1", 1, URGENT, due=NOW)
    enqueue(engine, "T2", 1, URGENT, due=NOW - timedelta(seconds=1))

    claimed = claim(engine, 5, urgent={URGENT})

    assert [m.key for m in claimed[:2]] == [f"{URGENT}:T2:0", f"{URGENT}:T1:0"]  # first, oldest first
    assert [m.urgent for m in claimed] == [True, True, False, False, False]
    assert len(claim(engine, 100, urgent={URGENT})) == 37  # the rest of the fan-out, each once


def test_teams_take_turns_so_one_teams_fan_out_never_holds_up_another(engine):
    enqueue(engine, "T1", 60, due=NOW - timedelta(hours=1))  # a big fan-out, due long before the others
    enqueue(engine, "T2", 3, due=NOW - timedelta(minutes=1))
    enqueue(engine, "T3", 2, due=NOW)

    first = Counter(m.team_id for m in claim(engine, 7))

    assert first == {"T1": 3, "T2": 2, "T3": 2}  # each team's earliest, then each team's second, ...
    assert Counter(m.team_id for m in claim(engine, 7)) == {"T1": 6, "T2": 1}


def test_a_team_that_may_post_only_a_few_messages_now_has_only_as_many_of_its_fan_out_claimed(engine):
    enqueue(engine, "T1", 10)
    enqueue(engine, "T1", 2, URGENT)
    enqueue(engine, "T2", 2)
    enqueue(engine, "T3", 10)

    claimed = claim(engine, 20, urgent={URGENT}, caps={"T1": 0, "T3": 3})

    assert Counter((m.team_id, m.urgent) for m in claimed) == {("T1", True): 2, ("T2", False): 2, ("T3", False): 3}


def test_several_threads_claiming_at_once_never_take_a_message_twice(engine):
    for team in ("T1", "T2", "T3"):
        enqueue(engine, team, 70)

    def sender() -> list[int]:
        taken: list[int] = []
        while batch := claim(engine, 7):
            with unit_of_work(engine) as work:
                for message in batch:
                    Outbox(work.session).mark_sent(message, ts="1.0", channel="C", now=NOW)
            taken.extend(m.id for m in batch)
        return taken

    taken = [message_id for mine in at_once(*[sender] * 4) for message_id in mine]
    assert len(taken) == len(set(taken)) == 210
    with Session(engine) as session:
        assert set(session.exec(select(OutboxMessage.status))) == {"sent"}


# -- through the running app --------------------------------------------------------------------------------------------


def test_a_429_for_one_channel_pauses_that_channel_alone_while_other_channels_flow(world):
    tick(world.services)
    sender = world.services.sender  # the running app's own sender
    due = {m.key: m for m in outbox(world).values() if m.due_at <= world.clock()}
    assert len(due) >= 3
    world.slack.rate_limit_next("chat.postMessage", times=1, retry_after=30)

    sender.drain()  # returns at once: nothing sleeps for Retry-After

    held = [m for m in outbox(world).values() if m.key in due and m.status == "pending"]
    assert len(held) == 1 and held[0].attempts == 0 and held[0].due_at == world.clock() + timedelta(seconds=30)
    limited = held[0].recipient
    assert sorted(carried_out_keys(world)) == sorted(k for k in due if k != held[0].key)  # every other channel flowed
    other = next(m.recipient for m in outbox(world).values() if m.key in due and m.recipient != limited)

    waiting, flowing = ask(world, limited, 1), ask(world, other, 1)  # answers asked meanwhile
    sender.drain()
    assert flowing in carried_out_keys(world) and waiting not in carried_out_keys(world)  # the paused channel waits

    world.clock.advance(timedelta(seconds=30))
    sender.drain()
    delivered = Counter(carried_out_keys(world))
    assert set(delivered) == {*due, waiting, flowing} and max(delivered.values()) == 1
    assert sender.counts["rate_limited"] == 1


def test_do_not_disturb_is_asked_once_per_person_per_day(world):
    ends = world.clock() + timedelta(hours=3)
    world.slack.set_dnd("UANA", ends.timestamp())
    tick(world.services)
    sender = world.services.sender

    sender.drain()
    asked = [c.method for c in world.slack.calls() if c.method.startswith("dnd.")]
    assert asked == ["dnd.teamInfo"]  # the batch's people in one call, not one dnd.info each
    assert outbox(world)["UANA"].status == "pending" and outbox(world)["UANA"].due_at == ends
    assert outbox(world)["UMAX"].status == "sent"  # same timezone, not in DND

    world.clock.set(ends)
    sender.drain()
    assert outbox(world)["UANA"].status == "sent"
    assert [c.method for c in world.slack.calls() if c.method.startswith("dnd.")] == asked  # what Slack said still holds


def test_several_sender_threads_never_post_a_message_twice(world):
    client = slack_client(world.ladder.settings, token=world.ladder.settings.slack_bot_token, retries=False)
    sender = OutboxSender(
        world.services.engine, lambda _team: client, world.services.sender._composer, world.clock,  # noqa: SLF001
        pacer=Pacer.unlimited(world.clock.timestamp),
    )  # fmt: skip
    keys = [ask(world, user, n) for n in range(20) for user in ("UANA", "UBEN", "UMAX")]
    with Session(world.services.engine) as session:
        due = set(session.exec(select(OutboxMessage.key).where(OutboxMessage.due_at <= world.clock())))
    assert set(keys) <= due

    sender.start(4)
    try:
        world.slack.wait_for("chat.postMessage", count=len(due), timeout=60)
    finally:
        sender.stop()
        assert sender.join(30)

    delivered = Counter(carried_out_keys(world))
    assert set(delivered) == due and max(delivered.values()) == 1
    assert all(m.status == "sent" for m in outbox_rows(world) if m.key in due)


def outbox_rows(world: World) -> list[OutboxMessage]:
    with Session(world.services.engine) as session:
        return list(session.exec(select(OutboxMessage)))


def test_ladder_senders_sets_the_sender_threads_of_each_process():
    import pytest

    from bot.runtime.settings import InvalidSetting, Settings

    assert Settings.from_env({}).senders == 2
    assert Settings.from_env({"LADDER_SENDERS": "0"}).senders == 0  # this process sends nothing
    assert Settings.from_env({"LADDER_SENDERS": "8"}).senders == 8
    for bad in ("-1", "33", "two"):
        with pytest.raises(InvalidSetting, match="LADDER_SENDERS"):
            Settings.from_env({"LADDER_SENDERS": bad})


def test_a_sender_stopped_mid_batch_gives_back_what_it_claimed_and_did_not_post(world):
    from tests.test_outbox_claims import sender as sender_with_hook

    tick(world.services)
    due = {m.key for m in outbox_rows(world) if m.due_at <= world.clock()}
    assert len(due) >= 3
    stopping: list[OutboxSender] = []
    one = sender_with_hook(world, world.clock, before_each=lambda: stopping[0].stop() if carried_out_keys(world) else None)
    stopping.append(one)

    one.start(1)  # as a worker's sender thread; the worker shuts down once the first message is posted
    assert one.join(30)

    assert len(carried_out_keys(world)) == 1
    back = [m for m in outbox_rows(world) if m.key in due and m.key not in carried_out_keys(world)]
    assert back and all(m.status == "pending" and m.attempts == 0 for m in back)  # given back, as no attempt


def test_claim_after_claim_every_team_is_reached_in_its_turn_not_those_written_first_again(engine):
    """Each team's next message is its "turn 1" again in the next claim: were ties broken by when messages were written,
    the teams written first would be served claim after claim and the last written would wait for all of them."""
    for n in range(5):
        enqueue(engine, f"T{n}", 10, due=NOW - timedelta(minutes=10 - n))  # T0's written (and due) first, T4's last
    after: str | None = None
    rounds = []
    for _ in range(4):
        claimed = claim(engine, 2, after_team=after)
        rounds.append(sorted(m.team_id for m in claimed))
        after = last_served((m.team_id for m in claimed), after)

    assert rounds == [["T0", "T1"], ["T2", "T3"], ["T0", "T4"], ["T1", "T2"]]


def test_last_served_is_where_a_claims_round_of_teams_ended():
    assert last_served(["T2", "T7", "T5"], None) == "T7"
    assert last_served(["T8", "T9", "T1"], "T7") == "T1"  # past the last team, round to the first again
    assert last_served([], "T3") == "T3"

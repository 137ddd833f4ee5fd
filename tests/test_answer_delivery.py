"""Answers to @mentions and direct messages go through the outbox, like every other message Ladder sends.

The request that hears a question writes it to the outbox in its own transaction, with the event's claim; a sender
composes the answer when it sends it. What the courier did before, the outbox does: answers in one channel keep their
order, Slack's faltering is retried, an answer that cannot be delivered is accounted for and apologised for (through
the outbox too). Time is the test's clock: a retry's backoff is a clock step, never a wait.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from bot.runtime.slack_failures import Verdict, classify
from messages.question_kinds import ANSWER, APOLOGY
from storage.models import OutboxMessage
from storage.repositories.outbox import HELD, Outbox
from storage.unit_of_work import unit_of_work
from tests.checkin_world import organisation

START = datetime(2026, 3, 16, 10, tzinfo=UTC)
QUESTION = "<@U0BOT> what does Staff mean?"


@pytest.fixture
def world(fake_slack, tmp_path, database_url):
    with organisation(fake_slack, tmp_path, database_url, START) as world:
        yield world


def rows(world, purpose: str) -> list[OutboxMessage]:
    with Session(world.services.engine) as session:
        return list(session.exec(select(OutboxMessage).where(OutboxMessage.purpose == purpose).order_by(OutboxMessage.id)))


def posted(fake_slack, method: str = "chat.postMessage", channel: str | None = None) -> list:
    return [c for c in fake_slack.calls(method) if c.carried_out and channel in (None, c.args.get("channel"))]


def test_a_mention_is_an_outbox_row_written_with_the_events_claim_and_answered_by_a_sender(world, fake_slack):
    assert world.ladder.slack.app_mention(QUESTION, channel="C1", ts="1700000000.000100", event_id="EvQ1")[0] == 200
    [row] = rows(world, ANSWER)
    assert (row.key, row.recipient, row.status) == ("answer:EvQ1", "C1", "pending")
    assert posted(fake_slack) == []  # acknowledged; the answer is the outbox's to send
    assert world.ladder.slack.app_mention(QUESTION, channel="C1", ts="1700000000.000100", event_id="EvQ1", retry_num=1)[0] == 200
    assert len(rows(world, ANSWER)) == 1  # Slack's retry of the same event: acknowledged, nothing written
    world.drain()
    [answer] = posted(fake_slack)
    assert answer.args["thread_ts"] == "1700000000.000100" and "Staff" in answer.args["text"]
    assert answer.args["metadata"]["event_payload"]["key"] == "answer:EvQ1"  # so a recovered claim is never posted twice
    world.drain()
    assert len(posted(fake_slack)) == 1 and rows(world, ANSWER)[0].status == "sent"


def test_an_answer_about_the_asker_in_a_channel_is_shown_to_the_asker_alone(world, fake_slack):
    world.ladder.slack.app_mention("<@U0BOT> what's my next level?", user="UBEN", channel="C1", ts="1700000000.000200")
    world.drain()
    assert posted(fake_slack) == []
    [shown] = posted(fake_slack, "chat.postEphemeral")
    assert (shown.args["user"], shown.args["channel"], shown.args["thread_ts"]) == ("UBEN", "C1", "1700000000.000200")


def test_a_direct_message_is_answered_in_the_conversation(world, fake_slack):
    world.ladder.slack.direct_message("what's my next level?", user="UBEN", channel="DUBEN")
    world.drain()
    [answer] = posted(fake_slack, channel="DUBEN")  # their own conversation: the answer about them goes there
    assert "Senior" in answer.args["text"]


def test_answers_in_one_channel_keep_their_order(world, fake_slack):
    for n, level in enumerate(("Senior", "Staff", "Principal")):
        world.ladder.slack.app_mention(f"<@U0BOT> what does {level} mean?", channel="C1", ts=f"1700000000.00030{n}")
    world.drain()
    assert [c.args["thread_ts"] for c in posted(fake_slack, channel="C1")] == [f"1700000000.00030{n}" for n in range(3)]


@pytest.mark.parametrize("failure", ["http_500", "internal_error", "service_unavailable"])
def test_slack_faltering_is_retried_with_backoff(world, fake_slack, failure):
    if failure == "http_500":
        fake_slack.break_next("chat.postMessage", "http_500", times=2)
    else:
        fake_slack.fail_next("chat.postMessage", failure)
        fake_slack.fail_next("chat.postMessage", failure)
    world.ladder.slack.app_mention(QUESTION, channel="C1")  # Slack said it failed: the retry need not look for it first
    world.drain()
    assert posted(fake_slack) == [] and world.services.sender.counts["retried"] == 1
    world.clock.advance(timedelta(minutes=1))
    world.drain()
    world.clock.advance(timedelta(minutes=1))
    world.drain()
    assert len(posted(fake_slack)) == 1
    assert world.services.sender.counts["retried"] == 2 and world.services.sender.counts["failed"] == 0


def test_an_answer_slack_refuses_is_accounted_for_and_apologised_for_in_the_thread(world, fake_slack, caplog):
    fake_slack.fail_next("chat.postMessage", "msg_blocks_too_long")
    world.ladder.slack.app_mention(QUESTION, channel="C1", ts="1700000000.000400", event_id="EvQ4")
    world.drain()
    [failed] = rows(world, ANSWER)
    assert failed.status == "failed" and "msg_blocks_too_long" in (failed.error or "")
    [apology] = rows(world, APOLOGY)
    assert (apology.key, apology.status) == ("answer:EvQ4:apology", "sent")
    [sorry] = posted(fake_slack, "chat.postEphemeral")
    assert (sorry.args["user"], sorry.args["channel"], sorry.args["thread_ts"]) == ("U0ASKER", "C1", "1700000000.000400")
    assert world.services.sender.counts["failed"] == 1 and world.services.sender.counts["apologised"] == 1
    assert any(r.levelname == "ERROR" and getattr(r, "key", None) == "answer:EvQ4" for r in caplog.records)


def test_when_the_channel_is_the_problem_the_apology_is_a_direct_message(world, fake_slack):
    fake_slack.fail_next("chat.postMessage", "not_in_channel")
    world.ladder.slack.app_mention(QUESTION, channel="C1")
    world.drain()
    assert [c.args["channel"] for c in fake_slack.calls("chat.postMessage")] == ["C1", "U0ASKER"]
    assert posted(fake_slack, "chat.postEphemeral") == []


def test_an_apology_that_fails_is_not_apologised_for(world, fake_slack):
    fake_slack.fail_next("chat.postMessage", "msg_blocks_too_long")
    fake_slack.fail_next("chat.postEphemeral", "msg_blocks_too_long")
    world.ladder.slack.app_mention(QUESTION, channel="C1")
    world.drain()
    assert [r.status for r in rows(world, ANSWER) + rows(world, APOLOGY)] == ["failed", "failed"]
    assert world.services.sender.counts["apologised"] == 1


def test_a_reset_after_slack_accepted_is_not_posted_twice(world, fake_slack):
    fake_slack.break_next("chat.postMessage", "reset")
    world.ladder.slack.direct_message("what does Staff mean?", user="UBEN", channel="DUBEN")
    world.drain()
    world.clock.advance(timedelta(minutes=5))
    world.drain()
    assert len(posted(fake_slack)) == 1  # the retry looked in the conversation first (im:history), and found it there
    assert world.services.sender.counts["recovered"] == 1


def test_a_message_that_may_have_arrived_is_still_looked_for_after_being_put_back_unlooked(world, fake_slack):
    """Its look-up must wait (conversations.history's limit is reached), so it goes back to the outbox: when it comes
    round again it is still looked for, found, and not posted a second time."""
    fake_slack.break_next("chat.postMessage", "reset")
    world.ladder.slack.direct_message("what does Staff mean?", user="UBEN", channel="DUBEN")
    world.drain()
    world.clock.advance(timedelta(minutes=5))
    world.services.sender.pacer.limited(fake_slack.team_id, "conversations.history", None, 60)
    world.drain()
    assert len(posted(fake_slack)) == 1 and world.services.sender.counts["recovered"] == 0  # put back, not looked for
    world.clock.advance(timedelta(minutes=2))
    world.drain()
    assert len(posted(fake_slack)) == 1 and world.services.sender.counts["recovered"] == 1


def test_a_reset_in_a_channel_ladder_may_not_read_is_not_repeated_but_counted_unconfirmed(world, fake_slack):
    fake_slack.break_next("chat.postMessage", "reset")
    fake_slack.expect_refusals("missing_scope")  # no channels:history: Ladder cannot look in a public channel's thread
    world.ladder.slack.app_mention(QUESTION, channel="C1", ts="1700000000.000600")
    world.drain()
    world.clock.advance(timedelta(minutes=5))
    world.drain()
    assert len(posted(fake_slack)) == 1  # carried out once, before the connection broke; not posted again
    assert world.services.sender.counts["unconfirmed"] == 1 and rows(world, ANSWER)[0].status == "sent"


def test_a_sender_killed_mid_batch_leaves_in_doubt_only_the_message_it_was_posting(world, fake_slack):
    """A sender claims a batch, starts posting its first message and dies: only that one may have reached Slack. The
    rest are sent by the next sender without looking; the first, in a channel Ladder may not read, is not repeated."""
    fake_slack.expect_refusals("missing_scope")
    for n in range(3):
        assert world.ladder.slack.app_mention(QUESTION, channel="C1", ts=f"1700000000.00070{n}")[0] == 200
    with unit_of_work(world.services.engine) as work:
        outbox = Outbox(work.session)
        claimed = outbox.claim_due(world.services.now(), limit=10, lease=timedelta(seconds=30), urgent={ANSWER})
        assert len(claimed) == 3
        assert outbox.start_posting(claimed[0], lease=timedelta(seconds=30)) == HELD
    with Session(world.services.engine) as session:  # the dead sender's claims outlive their lease
        session.execute(update(OutboxMessage).values(claimed_at=datetime(2000, 1, 1, tzinfo=UTC)))
        session.commit()
    world.drain()
    assert len(posted(fake_slack, channel="C1")) == 2  # the two it never reached: sent, without looking first
    assert world.services.sender.counts["unconfirmed"] == 1  # the one it was posting: not posted twice
    assert len(fake_slack.calls("conversations.replies")) == 1
    assert [r.status for r in rows(world, ANSWER)] == ["sent"] * 3


def test_classification_of_non_slack_errors():
    assert classify(None).verdict is Verdict.DELIVERED
    assert classify(ConnectionResetError()).verdict is Verdict.AMBIGUOUS
    assert classify(TimeoutError()).verdict is Verdict.AMBIGUOUS
    assert classify(ValueError("bug")).verdict is Verdict.PERMANENT

"""Sending processes share each workspace's Slack limits (issue #19): each keeps a heartbeat row by the database's
clock, counts the live ones and paces a workspace to its share; a process that stops deletes its row, a dead one's ages
out. SQLite and PostgreSQL (the ``engine`` fixture runs each test on both)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from bot.runtime.outbox_sender import LIVE_WITHIN, OutboxSender
from bot.runtime.pacing import POST_MESSAGE, Limit, Pacer
from storage.models import SenderHeartbeat
from storage.repositories.sender_heartbeats import SenderHeartbeats
from storage.unit_of_work import unit_of_work


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def beat(engine, process: str) -> int:
    with unit_of_work(engine) as work:
        return SenderHeartbeats(work.session).beat(process, live_within=LIVE_WITHIN)


def last_seen(engine, process: str, ago: timedelta) -> None:
    """A process whose last beat was ``ago`` before now (it died then)."""
    with unit_of_work(engine) as work:
        work.session.add(SenderHeartbeat(process=process, seen_at=datetime.now(UTC) - ago))


def processes(engine) -> set[str]:
    with Session(engine) as session:
        return set(session.exec(select(SenderHeartbeat.process)))


def test_live_sending_processes_are_counted_and_a_dead_ones_row_ages_out(engine):
    assert beat(engine, "host-a:1") == 1
    assert beat(engine, "host-b:2") == 2
    assert beat(engine, "host-a:1") == 2  # a beat again is the same process
    last_seen(engine, "host-c:3", ago=LIVE_WITHIN * 2)  # died 30 s ago: no longer counted
    last_seen(engine, "host-d:4", ago=timedelta(hours=2))  # long gone: its row is deleted by the next beat
    assert beat(engine, "host-b:2") == 2
    assert processes(engine) == {"host-a:1", "host-b:2", "host-c:3"}
    with unit_of_work(engine) as work:
        SenderHeartbeats(work.session).stop("host-a:1")  # a process that stops deletes its row
    assert beat(engine, "host-b:2") == 1
    assert processes(engine) == {"host-b:2", "host-c:3"}


def sender(engine, clock: Ticks) -> OutboxSender:
    pacer = Pacer(clock, per_team=Limit(300, 30), headroom=1.0, reserve=0.0)
    return OutboxSender(engine, lambda _team: None, None, lambda: datetime.now(UTC), pacer=pacer)  # type: ignore[arg-type]


def test_two_sending_processes_each_pace_a_workspace_to_half_its_rate_and_one_left_to_all_of_it(engine):
    clock = Ticks()
    first, second = sender(engine, clock), sender(engine, clock)
    assert first.heartbeat() == 1  # alone: the whole of each workspace's limits
    assert second.heartbeat() == 2 and first.heartbeat() == 2
    for pacer in (first.pacer, second.pacer):  # 150 a minute each, bursts of 15: 300 and 30 together
        assert all(pacer.ask("T1", POST_MESSAGE, f"D{i}") == (0.0, True) for i in range(15))
        assert pacer.ask("T1", POST_MESSAGE, "D15") == (0.4, True)
    second.stop_beating()  # the second stops sending: its row goes, and the first takes the whole rate at its next beat
    assert processes(engine) == {first._process}  # noqa: SLF001
    assert first.heartbeat() == 1 and first.pacer.senders == 1
    clock.now += 10
    assert all(first.pacer.ask("T2", POST_MESSAGE, f"D{i}") == (0.0, True) for i in range(30))
    assert first.pacer.ask("T2", POST_MESSAGE, "D30") == (0.2, True)


def test_a_sender_loop_beats_before_it_claims_and_the_last_thread_to_stop_deletes_the_row(engine):
    running = sender(engine, Ticks())
    seen: list[set[str]] = []

    def allowed() -> bool:  # asked before the beat, then before the claim: the second time, the row is there
        seen.append(processes(engine))
        running.stop()  # one round only: the loop ends after it, in this thread
        return True

    running.run_forever(poll_seconds=0.01, allowed=allowed)
    assert seen[0] == set() and len(seen[1]) == 1  # its row, written before the claim
    assert processes(engine) == set()  # gone with the last thread

"""The clock's lease, judged by the database's clock: hosts whose clocks disagree by minutes never both hold it.

Each holder is given its own host clock (a :class:`tests.clock.TestClock`, minutes or hours apart from the others');
the database's clock is the real one. The lease lapsing is the row's expiry moved back by the database's own time,
never a wait.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, event, update

from bot.runtime.clock import LEASE_NAME, Lease
from storage.models import ClockLease
from storage.repositories.clock_lease import ClockLeases
from storage.unit_of_work import unit_of_work
from tests.clock import TestClock

TTL = timedelta(seconds=30)
BASE = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def holder(engine: Engine, name: str, skew: timedelta = timedelta(0)) -> tuple[Lease, TestClock]:
    """A lease holder on a host whose clock is ``skew`` away from the others'."""
    host = TestClock(BASE + skew)
    return Lease(engine, TTL, holder=name, host_clock=host.timestamp), host


def lapse(engine: Engine) -> None:
    """The lease as it is once its length has passed on the database's clock since it was last renewed."""
    with unit_of_work(engine) as work:
        leases = ClockLeases(work.session)
        work.session.execute(update(ClockLease).values(expires_at=leases.database_now(-timedelta(milliseconds=1))))


def remaining(engine: Engine) -> timedelta | None:
    with unit_of_work(engine, reads_only=True) as work:
        return ClockLeases(work.session).remaining(LEASE_NAME)


@pytest.mark.parametrize("skew", [timedelta(minutes=7), timedelta(hours=3), -timedelta(minutes=7), -timedelta(hours=3)])
def test_a_holder_whose_clock_is_minutes_off_neither_steals_nor_keeps_the_lease(engine, skew):
    first, first_host = holder(engine, "first")
    skewed, skewed_host = holder(engine, "skewed", skew)

    assert first.acquire() and first.held()
    for _ in range(5):  # the skewed host asks and asks; the first renews
        assert not skewed.acquire() and not skewed.held()
        first_host.advance(timedelta(seconds=5))
        skewed_host.advance(timedelta(seconds=5))
        assert first.acquire() and first.held()
    assert first.current_holder() == "first"

    lapse(engine)  # the first stopped renewing: its lease lapses, by the database's clock
    assert skewed.acquire() and skewed.held()
    assert not first.acquire() and not first.held()  # nor does the first keep it, whatever its clock says
    for _ in range(3):
        first_host.advance(timedelta(seconds=5))
        skewed_host.advance(timedelta(seconds=5))
        assert skewed.acquire() and not first.acquire()
    assert skewed.current_holder() == "skewed"


@pytest.mark.parametrize("skew", [timedelta(hours=5), -timedelta(hours=5)])
def test_the_lease_lasts_its_length_by_the_database_s_clock_whatever_the_holder_s_clock_says(engine, skew):
    lease, _ = holder(engine, "skewed", skew)
    assert lease.acquire()
    left = remaining(engine)
    assert left is not None and TTL - timedelta(seconds=5) < left <= TTL
    lease.release()
    assert remaining(engine) is None and lease.current_holder() is None and not lease.held()


def test_a_holder_that_cannot_renew_stops_holding_by_its_own_clock_before_the_database_lets_another_in(engine):
    lease, host = holder(engine, "only", -timedelta(minutes=7))
    assert lease.acquire()
    host.advance(TTL - timedelta(seconds=1))
    assert lease.held()
    host.advance(timedelta(seconds=1))
    assert not lease.held()  # a lease's length since it asked, by its own clock: it stops acting
    left = remaining(engine)
    assert left is not None and left > timedelta(0)  # while the database still counts it as the holder's


def test_the_lease_is_held_while_its_renewal_is_asked(engine):
    """The clock's sender reads ``held`` before each post while the clock renews: a renewal in flight is no gap."""
    lease, _ = holder(engine, "only")
    assert lease.acquire()
    during: list[bool] = []

    def look(*_: object) -> None:
        during.append(lease.held())

    event.listen(engine, "before_cursor_execute", look)
    try:
        assert lease.acquire()
    finally:
        event.remove(engine, "before_cursor_execute", look)
    assert during and all(during)


def test_two_holders_racing_for_a_lapsed_lease_never_both_take_it(engine):
    holders = [
        holder(engine, name, skew)[0] for name, skew in (("behind", -timedelta(minutes=4)), ("ahead", timedelta(minutes=4)))
    ]
    assert holders[0].acquire()
    for _ in range(10):
        lapse(engine)
        barrier = threading.Barrier(len(holders))
        taken: dict[str, bool] = {}

        threads = [threading.Thread(target=_race, args=(lease, barrier, taken)) for lease in holders]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(taken.values()) == [False, True], taken
        assert holders[0].current_holder() == next(name for name, won in taken.items() if won)


def _race(lease: Lease, barrier: threading.Barrier, taken: dict[str, bool]) -> None:
    barrier.wait()
    taken[lease.holder] = lease.acquire()

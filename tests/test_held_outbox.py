"""An inactive tenant's outbox (issue #20): its messages are held — never claimed, never failed, in their order — and go
once it is installed again; a claim its tenant lost meanwhile is put back without a Web API call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from storage.models import OutboxMessage
from storage.repositories.outbox import HELD, PENDING, UNINSTALLED, Outbox
from storage.repositories.tenants import Tenants
from storage.unit_of_work import unit_of_work

NOW = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)


def enqueue(engine, team: str, count: int) -> None:
    """``count`` messages, each due a minute after the one before: an order to keep."""
    with unit_of_work(engine) as work:
        for i in range(count):
            due = NOW - timedelta(minutes=count - i)
            Outbox(work.session).enqueue(team, f"m:{team}:{i}", "checkin_prompt", f"U{i}", {}, due_at=due)


def claim(engine, limit: int = 100) -> list:
    with unit_of_work(engine) as work:
        return Outbox(work.session).claim_due(NOW, limit=limit, lease=LEASE)


def install(engine, team: str) -> None:
    with unit_of_work(engine) as work:
        Tenants(work.session).installed(team, at=NOW - timedelta(days=1))


def uninstall(engine, team: str) -> None:
    with unit_of_work(engine) as work:
        Tenants(work.session).deactivated(team, reason="app_uninstalled", at=NOW)


def rows(engine, team: str) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).where(OutboxMessage.team_id == team).order_by(OutboxMessage.id)))


def test_an_inactive_tenants_messages_are_never_claimed_and_stay_pending_in_their_order(engine):
    install(engine, "T1")
    install(engine, "T2")
    enqueue(engine, "T1", 5)
    enqueue(engine, "T2", 3)
    enqueue(engine, "T3", 2)  # no tenant row: single-workspace mode, active
    before = {m.key: m.due_at for m in rows(engine, "T1")}
    uninstall(engine, "T1")

    claimed = claim(engine)

    assert sorted({m.team_id for m in claimed}) == ["T2", "T3"] and len(claimed) == 5
    held = rows(engine, "T1")
    assert [m.status for m in held] == [PENDING] * 5 and all(m.attempts == 0 and m.error is None for m in held)
    assert {m.key: m.due_at for m in held} == before

    install(engine, "T1")  # a reinstall: Tenants.installed makes it active again
    again = claim(engine, 2)
    assert [m.key for m in again] == ["m:T1:0", "m:T1:1"]  # the oldest first, as they were


def test_a_recovered_claim_of_an_inactive_tenant_waits_too(engine):
    install(engine, "T1")
    enqueue(engine, "T1", 2)
    assert len(claim(engine)) == 2
    uninstall(engine, "T1")
    with unit_of_work(engine) as work:  # the sender that held them died: their claims are long stale
        work.session.exec(OutboxMessage.__table__.update().values(claimed_at=NOW - timedelta(hours=1)))  # type: ignore[attr-defined]
    assert claim(engine) == []
    install(engine, "T1")
    assert sorted(m.key for m in claim(engine)) == ["m:T1:0", "m:T1:1"]


def test_the_statement_before_posting_refuses_a_claim_whose_tenant_became_inactive(engine):
    install(engine, "T1")
    install(engine, "T2")
    enqueue(engine, "T1", 1)
    enqueue(engine, "T2", 1)
    first, second = sorted(claim(engine), key=lambda m: m.team_id)
    uninstall(engine, "T1")
    with unit_of_work(engine) as work:
        assert Outbox(work.session).start_posting(first, lease=timedelta(days=365)) == UNINSTALLED
        assert Outbox(work.session).start_posting(second, lease=timedelta(days=365)) == HELD

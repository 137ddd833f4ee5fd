"""The outbox: every message Ladder must deliver, from the transaction that caused it to Slack's ``ts``.

A message moves pending → sending (claimed by one sender) → sent, or → failed with Slack's reason.
A claim older than the lease belongs to a sender that died mid-send: the next sender recovers it
and first asks Slack whether the message already arrived, so nothing is sent twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Collection, Iterable, Mapping, Sequence

from sqlalchemy import ColumnElement, and_, case, exists, func, literal, or_, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from storage.models import OutboxMessage, Tenant
from storage.repositories.clock_lease import ClockLeases
from storage.repositories.once import insert_many_once, insert_once
from storage.repositories.tenants import INACTIVE

PENDING, SENDING, SENT, FAILED, SKIPPED = "pending", "sending", "sent", "failed", "skipped"
"""SKIPPED: not sent on purpose (what it was about is gone, or check-ins were turned off since)."""
HELD, STALE, LOST, UNINSTALLED = "held", "stale", "lost", "uninstalled"
"""A claim's state as its sender sees it just before posting (:meth:`Outbox.start_posting`); UNINSTALLED: its tenant
became inactive meanwhile (the sender puts it back, no attempt: it waits, pending, for a reinstall)."""
POSTING = "posting: an attempt may have reached Slack"
"""The error a message carries from just before its sender calls Slack until the attempt is settled: a message recovered
from a dead sender with it may have arrived (it is looked for before it is sent again); one without it never left."""
TAKE_BACK = "take_back"
"""A message whose context names another message (``{"of": key}``) sent to someone who may no longer read it: the sender
deletes that document, or revises that message to what its recipient may read now (deleting it if nothing)."""


def _round_from(team: ColumnElement[Any], after_team: str | None) -> tuple[ColumnElement[Any], ...]:
    """Teams in order of their ids, those after ``after_team`` first, then from the first again."""
    if after_team is None:
        return (team,)
    return case((team > after_team, 0), else_=1), team


def last_served(teams: Iterable[str], after_team: str | None) -> str | None:
    """The team a claim's round of teams ended with (the next claim starts after it), ``after_team`` if it took none."""
    return max(teams, key=lambda team: (after_team is not None and team <= after_team, team), default=after_team)


@dataclass(frozen=True)
class Claimed:
    """A message a sender now holds. ``recovered``: an earlier sender held it and may have sent it."""

    id: int
    team_id: str
    key: str
    recipient: str
    payload: dict[str, Any]
    respect_dnd: bool
    recovered: bool
    attempts: int
    claim: str
    urgent: bool = False
    """Of a kind someone is waiting for (an answer, a Home refresh): claimed before the fan-out."""
    due_at: datetime | None = None
    """When it fell due: a message put back because its tenant became inactive keeps it, and so its place."""


class Outbox:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._dialect = session.get_bind().dialect.name

    def enqueue(
        self,
        team_id: str,
        key: str,
        message: str,
        recipient: str,
        context: dict[str, Any],
        *,
        due_at: datetime,
        respect_dnd: bool = False,
    ) -> bool:
        """Add a message unless one with this key exists: part of the caller's transaction, never a second row; True when
        this call added it.

        ``message`` names what to send (and is its purpose); it is rendered from ``context`` when it is sent.
        """
        row = OutboxMessage(
            team_id=team_id, key=key, purpose=message, recipient=recipient, payload={"message": message, "context": context},
            due_at=due_at, respect_dnd=respect_dnd,
        )  # fmt: skip
        return insert_once(self._session, row, ["team_id", "key"])

    def enqueue_many(self, team_id: str, messages: Sequence[tuple[str, str, str, dict[str, Any]]], *, due_at: datetime) -> int:
        """Several messages (key, message, recipient, context) in one statement; each key still written once. Returns how
        many this call wrote."""
        rows = [
            OutboxMessage(team_id=team_id, key=key, purpose=message, recipient=recipient, payload={"message": message, "context": context}, due_at=due_at)
            for key, message, recipient, context in messages
        ]  # fmt: skip
        return len(insert_many_once(self._session, rows, ["team_id", "key"], returning="key"))

    def claim_due(
        self,
        now: datetime,
        *,
        limit: int,
        lease: timedelta,
        urgent: Collection[str] = (),
        caps: Mapping[str, int] | None = None,
        after_team: str | None = None,
    ) -> list[Claimed]:
        """Take up to ``limit`` due messages (and claims that outlived their lease), in one statement.

        Messages of the ``urgent`` kinds (someone is waiting for them) come before the rest; within each, teams take
        turns — every team's earliest message, then every team's second, … — so one team's fan-out never holds up
        another's. Within a turn teams go in order of their ids, starting after ``after_team`` (where the sender's last
        claim ended: :func:`last_served`), so that claim after claim every team is reached in its turn, not those whose
        messages were written first again and again. A team in ``caps`` (its sender may post only that many messages to it just now) has at most that
        many of its other messages claimed (0: only its urgent ones), so what could not go is left unclaimed. A claim's age is the database's clock, never this host's: a sender whose clock runs ahead cannot
        take over a live claim. On PostgreSQL rows another sender is claiming are skipped (SKIP LOCKED); on SQLite the
        statement is the only writer.

        A tenant marked inactive (uninstalled, its bot token revoked) has nothing claimed: its messages stay as they are,
        in their order, until it is installed again (a team with no ``tenant`` row, single-workspace mode, is active)."""
        token = uuid.uuid4().hex
        stale = self._database_now(-lease)
        is_urgent = col(OutboxMessage.purpose).in_(tuple(urgent))
        first = case((is_urgent, 0), else_=1) if urgent else literal(1)
        ranked = (
            select(
                col(OutboxMessage.id).label("id"),
                col(OutboxMessage.team_id).label("team_id"),
                first.label("first"),
                func.row_number()
                .over(
                    partition_by=(col(OutboxMessage.team_id), first), order_by=(col(OutboxMessage.due_at), col(OutboxMessage.id))
                )
                .label("turn"),
            )
            .where(
                or_(
                    and_(col(OutboxMessage.status) == PENDING, col(OutboxMessage.due_at) <= now),
                    and_(col(OutboxMessage.status) == SENDING, col(OutboxMessage.claimed_at) < stale),
                ),
                ~_tenant_inactive(),
            )
            .subquery("ranked")
        )
        picked = aliased(OutboxMessage, name="picked")  # not the updated table: the pick is made once, not per row
        due = (
            select(col(picked.id))
            .join(ranked, ranked.c.id == col(picked.id))
            .order_by(
                ranked.c.first, ranked.c.turn, *_round_from(ranked.c.team_id, after_team), col(picked.due_at), col(picked.id)
            )
            .limit(limit)
        )
        if caps:
            due = due.where(or_(ranked.c.first == 0, ranked.c.turn <= case(dict(caps), value=ranked.c.team_id, else_=limit)))
        if self._dialect == "postgresql":
            due = due.with_for_update(skip_locked=True, of=picked)
        # Picked once, in a CTE: as an IN subquery PostgreSQL may run it again for each row it updates (each run locking
        # and returning the next rows), and take far more than ``limit``.
        chosen = due.cte("chosen").prefix_with("MATERIALIZED", dialect="postgresql")
        was_sending = col(OutboxMessage.status) == SENDING
        rows = self._session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(select(chosen.c.id)))
            .where(or_(col(OutboxMessage.status) == PENDING, and_(was_sending, col(OutboxMessage.claimed_at) < stale)))
            .values(status=SENDING, claimed_at=self._database_now(), claim=token, attempts=OutboxMessage.attempts + 1)
            .returning(
                col(OutboxMessage.id),
                col(OutboxMessage.team_id),
                col(OutboxMessage.key),
                col(OutboxMessage.recipient),
                col(OutboxMessage.payload),
                col(OutboxMessage.respect_dnd),
                col(OutboxMessage.attempts),
                col(OutboxMessage.purpose),
                col(OutboxMessage.due_at),
            )  # fmt: skip
        ).all()
        rows = sorted(rows, key=lambda r: (r.purpose not in urgent, r.due_at, r.id))  # RETURNING keeps no order
        return [
            Claimed(
                r.id,
                r.team_id,
                r.key,
                r.recipient,
                r.payload,
                r.respect_dnd,
                recovered=r.attempts > 1,
                attempts=r.attempts,
                claim=token,
                urgent=r.purpose in urgent,
                due_at=r.due_at,
            )
            for r in rows
        ]

    def mark_sent(
        self, message: Claimed, *, ts: str | None, channel: str | None, now: datetime, file_id: str | None = None
    ) -> None:
        self._set(message, status=SENT, ts=ts, channel=channel, sent_at=now, error=None, file_id=file_id)

    def mark_failed(self, message: Claimed, reason: str, *, status: str = FAILED) -> None:
        self._set(message, status=status, error=reason[:200])

    def release(self, message: Claimed, *, due_at: datetime, reason: str | None = None, attempted: bool = True) -> None:
        """Back to pending until ``due_at``: a retry after a transient failure, or a deferral (DND, pacing) that was no
        attempt. A deferral without a ``reason`` leaves the error as it was: a message an earlier sender may have posted
        (:data:`POSTING`) is still looked for in Slack before it is sent, however often it is put back first."""
        values: dict[str, Any] = {"status": PENDING, "due_at": due_at, "claimed_at": None, "claim": None}
        if attempted or reason is not None:
            values["error"] = reason[:200] if reason else None
        if not attempted:
            values["attempts"] = OutboxMessage.attempts - 1
        self._set(message, **values)

    def start_posting(self, message: Claimed, *, lease: timedelta) -> str:
        """Just before the sender calls Slack: HELD, and marked :data:`POSTING`, while the message is still this
        sender's claim and younger than half ``lease`` by the database's clock (what is left is time enough to post it
        before another sender may take it over: a sender's Slack call times out within a third of the lease) and its
        tenant is active; STALE when it is older; UNINSTALLED when its tenant became inactive since it was claimed; LOST
        when another sender took it over, or it was settled. Only a message marked here can have reached Slack."""
        young = col(OutboxMessage.claimed_at) > self._database_now(-lease / 2)
        mine = (
            col(OutboxMessage.id) == message.id,
            col(OutboxMessage.status) == SENDING,
            col(OutboxMessage.claim) == message.claim,
        )
        marked = self._session.exec(update(OutboxMessage).where(*mine, young, ~_tenant_inactive()).values(error=POSTING))
        if marked.rowcount:
            return HELD
        found = self._session.execute(select(col(OutboxMessage.id), _tenant_inactive()).where(*mine)).first()
        if found is None:
            return LOST
        return UNINSTALLED if found[1] else STALE

    def held_for(self, team_id: str) -> int:
        """Messages of ``team_id`` still to be sent (pending, or claimed): what an inactive tenant's reinstall sends."""
        return int(
            self._session.exec(
                select(func.count())
                .select_from(OutboxMessage)
                .where(col(OutboxMessage.team_id) == team_id, col(OutboxMessage.status).in_((PENDING, SENDING)))
            ).one()
        )

    def _database_now(self, plus: timedelta = timedelta(0)) -> ColumnElement[Any]:
        """The database's time (plus ``plus``) as SQL, comparable with ``claimed_at`` (as the clock's lease is judged)."""
        return ClockLeases(self._session).database_now(plus)

    def _set(self, message: Claimed, **values: Any) -> None:
        """Settle a message this sender still holds; a claim another sender has since taken over is left to it."""
        self._session.execute(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.id) == message.id,
                col(OutboxMessage.status) == SENDING,
                col(OutboxMessage.claim) == message.claim,
            )
            .values(**values)
        )

    def skip_pending(self, team_id: str, recipient: str, *, purpose: str, reason: str) -> int:
        """Messages of this purpose to this person that are no longer wanted (not yet claimed by a sender)."""
        result = self._session.exec(
            update(OutboxMessage)
            .where(col(OutboxMessage.team_id) == team_id, col(OutboxMessage.recipient) == recipient)
            .where(col(OutboxMessage.purpose) == purpose, col(OutboxMessage.status) == PENDING)
            .values(status=SKIPPED, error=reason)
        )
        return result.rowcount or 0

    def waiting_on_dnd(self, team_id: str, *, due_by: datetime, limit: int) -> list[str]:
        """People whose pending messages wait out their Do Not Disturb and fall due by ``due_by``, soonest first: whom a
        sender asks Slack about together (one dnd.teamInfo call for many)."""
        soonest = func.min(col(OutboxMessage.due_at))
        return list(
            self._session.exec(
                select(OutboxMessage.recipient)
                .where(
                    col(OutboxMessage.team_id) == team_id, col(OutboxMessage.status) == PENDING, col(OutboxMessage.respect_dnd)
                )
                .where(col(OutboxMessage.due_at) <= due_by)
                .group_by(col(OutboxMessage.recipient))
                .order_by(soonest)
                .limit(limit)
            ).all()
        )

    def counts(self, team_id: str | None = None) -> dict[str, int]:
        query = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        if team_id is not None:
            query = query.where(col(OutboxMessage.team_id) == team_id)
        return {status: count for status, count in self._session.exec(query)}

    def failed(self, team_id: str, limit: int = 20) -> Sequence[OutboxMessage]:
        return self._session.exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.team_id) == team_id, col(OutboxMessage.status) == FAILED)
            .order_by(col(OutboxMessage.due_at).desc())
            .limit(limit)
        ).all()

    def of_purposes(self, team_id: str, purposes: Sequence[str], *, since: datetime) -> Sequence[OutboxMessage]:
        """Messages of these purposes due since ``since`` that are on their way or delivered."""
        return self._session.exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.team_id) == team_id, col(OutboxMessage.purpose).in_(purposes))
            .where(col(OutboxMessage.status).in_((PENDING, SENDING, SENT)), col(OutboxMessage.due_at) >= since)
            .order_by(col(OutboxMessage.id))
        ).all()

    def by_key(self, team_id: str, key: str) -> OutboxMessage | None:
        return self._session.exec(
            select(OutboxMessage).where(col(OutboxMessage.team_id) == team_id, col(OutboxMessage.key) == key)
        ).first()


def _tenant_inactive() -> ColumnElement[bool]:
    """Whether the outbox row's tenant is marked inactive (a primary-key probe; no ``tenant`` row: active)."""
    return exists().where(col(Tenant.id) == col(OutboxMessage.team_id), col(Tenant.status) == INACTIVE)

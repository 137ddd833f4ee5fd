"""What the retention policy removes, counted and deleted in bounded batches, inside the caller's unit of work.

Each kind of record is chosen by one condition on its own columns (and, for a nomination, on its decisions and
appeal), in a stable order, at most ``limit`` rows a batch. One batch is one transaction in the caller's unit of
work, so an interrupted run leaves each batch whole or untouched, and a nomination is removed with all its
dependent rows at once, children first. On PostgreSQL the rows a batch takes are locked ``SKIP LOCKED``, so two
processes applying the policy at once take different rows; on SQLite a writing unit of work holds the database's
write lock, so they take turns. The condition is evaluated again inside the statement that deletes, so a row that
stopped being due (a draft saved again) is left alone. A :class:`TeamScope` says whose rows a policy governs: each
tenant that published a framework of its own applies its own ``retention:`` to its own rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import ColumnElement, Delete, Update, and_, delete, exists, false, func, not_, or_, select, true, tuple_, update
from sqlalchemy.sql import Select
from sqlmodel import Session, col

from bot.nominations.stages import DRAFT, PUBLISHED, WITHDRAWN
from storage.models import (
    Appeal,
    AuditEvent,
    Checkin,
    CheckinDraft,
    ConflictDeclaration,
    LevelChange,
    Nomination,
    OutboxMessage,
    PanelDecision,
    PanelScore,
    ProcessedEvent,
    ReviewRequest,
)
from storage.repositories.outbox import FAILED, SENT, SKIPPED

CHECKIN_DRAFTS = "checkin_drafts"
NOMINATION_DRAFTS = "nomination_drafts"
PROCESSED_EVENTS = "processed_events"
SENT_MESSAGES = "sent_messages"
DECIDED_NOMINATIONS = "decided_nominations"
CHECKINS = "checkins"
KINDS = (CHECKIN_DRAFTS, NOMINATION_DRAFTS, PROCESSED_EVENTS, SENT_MESSAGES, DECIDED_NOMINATIONS, CHECKINS)

CLOSED_STAGES = (PUBLISHED, WITHDRAWN)
"""A nomination in one of these stages is over: published (decided, the nominee told) or withdrawn."""
FINISHED = (SENT, SKIPPED, FAILED)
"""Outbox rows no sender will touch again; pending and claimed (sending) ones are never removed."""

NOMINATION_CHILDREN: tuple[tuple[str, Any], ...] = (
    ("panel_score", PanelScore),
    ("panel_decision", PanelDecision),
    ("appeal", Appeal),
    ("conflict_declaration", ConflictDeclaration),
    ("review_request", ReviewRequest),
)
"""Rows that belong to one nomination and go with it (deleted before it, for the foreign keys)."""


@dataclass(frozen=True)
class TeamScope:
    """Whose rows a policy governs: these tenants' only (``only``), or every tenant's but ``excluding``."""

    only: tuple[str, ...] | None = None
    excluding: tuple[str, ...] = ()

    def holds(self, team_id: Any) -> ColumnElement[bool]:
        """The condition on a table's ``team_id`` column."""
        if self.only is not None:
            return col(team_id).in_(self.only) if self.only else false()
        return col(team_id).not_in(self.excluding) if self.excluding else true()


EVERY_TEAM = TeamScope()


@dataclass
class Batch:
    """What one batch removed (table → rows), and whether the kind has nothing more due (as far as this batch saw)."""

    rows: dict[str, int] = field(default_factory=dict)
    done: bool = True
    after: int = 0
    """The last id this batch looked at, for kinds read in id order (where rows kept on purpose are stepped over)."""


class RetentionRepository:
    def __init__(self, session: Session, *, held_while_open: Sequence[str] = (), scope: TeamScope = EVERY_TEAM) -> None:
        """``held_while_open``: outbox purposes kept, however old, while a nomination they name (context
        ``nomination_id`` or ``nomination_ids``) is still open: what a take-back must still find to take back.
        ``scope``: whose rows are counted and removed (every tenant's unless it says otherwise)."""
        self._session = session
        self._held = tuple(held_while_open)
        self._scope = scope

    # -- what is due, per kind, of the tenants in scope ---------------------------------------------------------

    def _draft_due(self, cutoff: datetime) -> ColumnElement[bool]:
        return and_(_checkin_draft_due(cutoff), self._scope.holds(CheckinDraft.team_id))

    def _event_due(self, cutoff: datetime) -> ColumnElement[bool]:
        return and_(_event_due(cutoff), self._scope.holds(ProcessedEvent.team_id))

    def _checkin_due(self, cutoff: datetime) -> ColumnElement[bool]:
        return and_(_checkin_due(cutoff), self._scope.holds(Checkin.team_id))

    def _message_due(self, cutoff: datetime) -> ColumnElement[bool]:
        return and_(_message_due(cutoff), self._scope.holds(OutboxMessage.team_id))

    def _nomination_due(self, kind: str, cutoff: datetime) -> ColumnElement[bool]:
        return and_(_nomination_due(kind, cutoff), self._scope.holds(Nomination.team_id))

    @property
    def _postgres(self) -> bool:
        return self._session.get_bind().dialect.name == "postgresql"

    def _taking(self, query: Select) -> Select:
        """A batch's rows, locked so a second process applying the policy at once takes others (PostgreSQL)."""
        return query.with_for_update(skip_locked=True) if self._postgres else query

    # -- counting (the dry run) -------------------------------------------------------------------------------------

    def count(self, kind: str, cutoff: datetime) -> dict[str, int]:
        """Rows of this kind due at ``cutoff``, by table (a nomination's dependent rows too)."""
        if kind == CHECKIN_DRAFTS:
            return {"checkin_draft": self._scalar(select(func.count()).where(self._draft_due(cutoff)))}
        if kind == PROCESSED_EVENTS:
            return {"processed_event": self._scalar(select(func.count()).where(self._event_due(cutoff)))}
        if kind == CHECKINS:
            return {"checkin": self._scalar(select(func.count()).where(self._checkin_due(cutoff)))}
        if kind == SENT_MESSAGES:
            return {"outbox": self._count_messages(cutoff)}
        if kind in (NOMINATION_DRAFTS, DECIDED_NOMINATIONS):
            return self._count_nominations(self._nomination_due(kind, cutoff))
        raise ValueError(f"unknown kind of record: {kind}")

    def _scalar(self, query: Select) -> int:
        return int(self._session.execute(query).scalar_one())

    def _count_nominations(self, due: ColumnElement[bool]) -> dict[str, int]:
        ids = select(col(Nomination.id)).where(due).scalar_subquery()
        rows = {"nomination": self._scalar(select(func.count()).select_from(Nomination).where(due))}
        for table, model in NOMINATION_CHILDREN:
            rows[table] = self._scalar(select(func.count()).select_from(model).where(col(model.nomination_id).in_(ids)))
        rows["audit_event"] = self._scalar(
            select(func.count())
            .select_from(AuditEvent)
            .join(
                Nomination,
                and_(col(Nomination.id) == col(AuditEvent.object_id), col(Nomination.team_id) == col(AuditEvent.team_id)),
            )
            .where(col(AuditEvent.object_kind) == "nomination", due)
        )
        rows["level_change (unlinked, kept)"] = self._scalar(
            select(func.count()).select_from(LevelChange).where(col(LevelChange.nomination_id).in_(ids))
        )
        return rows

    def _count_messages(self, cutoff: datetime) -> int:
        plain = self._scalar(
            select(func.count()).where(self._message_due(cutoff), not_(col(OutboxMessage.purpose).in_(self._held)))
        )
        held, after = 0, 0
        while True:  # the few kinds of message held while their nomination is open, read a page at a time
            page = self._session.execute(
                select(col(OutboxMessage.id), col(OutboxMessage.team_id), col(OutboxMessage.payload))
                .where(self._message_due(cutoff), col(OutboxMessage.purpose).in_(self._held), col(OutboxMessage.id) > after)
                .order_by(col(OutboxMessage.id))
                .limit(1000)
            ).all()
            if not page:
                return plain + held
            held += len(self._not_held(page))
            after = page[-1].id

    # -- removing ------------------------------------------------------------------------------------------------

    def remove(self, kind: str, cutoff: datetime, limit: int, *, after: int = 0) -> Batch:
        """Remove at most ``limit`` rows of this kind due at ``cutoff`` (``limit`` nominations, each with its
        dependent rows). ``after``: for outbox rows, the id the previous batch of this run stopped at."""
        if kind == CHECKIN_DRAFTS:
            key = tuple_(col(CheckinDraft.team_id), col(CheckinDraft.user_id))
            picked: Select = select(col(CheckinDraft.team_id), col(CheckinDraft.user_id)).where(self._draft_due(cutoff))
            picked = picked.order_by(col(CheckinDraft.updated_at), col(CheckinDraft.team_id), col(CheckinDraft.user_id))
            return self._remove_simple("checkin_draft", CheckinDraft, key, picked, self._draft_due(cutoff), limit)
        if kind == PROCESSED_EVENTS:
            key = tuple_(col(ProcessedEvent.team_id), col(ProcessedEvent.event_id))
            picked = select(col(ProcessedEvent.team_id), col(ProcessedEvent.event_id)).where(self._event_due(cutoff))
            picked = picked.order_by(col(ProcessedEvent.received_at), col(ProcessedEvent.team_id), col(ProcessedEvent.event_id))
            return self._remove_simple("processed_event", ProcessedEvent, key, picked, self._event_due(cutoff), limit)
        if kind == CHECKINS:
            picked = select(col(Checkin.id)).where(self._checkin_due(cutoff)).order_by(col(Checkin.submitted_at), col(Checkin.id))
            return self._remove_simple("checkin", Checkin, col(Checkin.id), picked, self._checkin_due(cutoff), limit)
        if kind == SENT_MESSAGES:
            return self._remove_messages(cutoff, limit, after)
        if kind in (NOMINATION_DRAFTS, DECIDED_NOMINATIONS):
            return self._remove_nominations(self._nomination_due(kind, cutoff), limit)
        raise ValueError(f"unknown kind of record: {kind}")

    def _remove_simple(self, table: str, model: Any, key: Any, picked: Any, due: ColumnElement[bool], limit: int) -> Batch:
        """One statement: delete the first ``limit`` due rows (by ``picked``'s order), still due when deleted."""
        chosen = self._taking(picked.limit(limit))
        removed = self._deleted(delete(model).where(key.in_(chosen), due))
        return Batch({table: removed}, done=removed < limit)

    def _remove_messages(self, cutoff: datetime, limit: int, after: int) -> Batch:
        page = self._session.execute(
            self._taking(
                select(col(OutboxMessage.id), col(OutboxMessage.team_id), col(OutboxMessage.purpose), col(OutboxMessage.payload))
                .where(self._message_due(cutoff), col(OutboxMessage.id) > after)
                .order_by(col(OutboxMessage.id))
                .limit(limit)
            )
        ).all()
        if not page:
            return Batch({"outbox": 0}, done=True, after=after)
        held = [r for r in page if r.purpose in self._held]
        going = [r.id for r in page if r.purpose not in self._held] + [r.id for r in self._not_held(held)]
        removed = 0
        if going:
            removed = self._deleted(delete(OutboxMessage).where(col(OutboxMessage.id).in_(going), self._message_due(cutoff)))
        return Batch({"outbox": removed}, done=len(page) < limit, after=page[-1].id)

    def _not_held(self, rows: Sequence[Any]) -> list[Any]:
        """Of these held-purpose outbox rows, those naming no nomination that is still open."""
        named = {r.id: _nominations_named(r.payload) for r in rows}
        wanted = {(r.team_id, n) for r in rows for n in named[r.id]}
        open_ones: set[tuple[str, int]] = set()
        if wanted:
            open_ones = {
                (t, i)
                for t, i in self._session.execute(
                    select(col(Nomination.team_id), col(Nomination.id)).where(
                        tuple_(col(Nomination.team_id), col(Nomination.id)).in_(sorted(wanted)),
                        not_(col(Nomination.stage).in_(CLOSED_STAGES)),
                    )
                )
            }
        return [r for r in rows if not any((r.team_id, n) in open_ones for n in named[r.id])]

    def _remove_nominations(self, due: ColumnElement[bool], limit: int) -> Batch:
        """Up to ``limit`` due nominations, each with every row that belongs to it, in this one transaction."""
        picked = self._session.execute(
            self._taking(select(col(Nomination.id), col(Nomination.team_id)).where(due).order_by(col(Nomination.id)).limit(limit))
        ).all()
        rows: dict[str, int] = defaultdict(int, nomination=0)  # the kind's own rows first
        by_team: dict[str, list[int]] = defaultdict(list)
        for nomination_id, team_id in picked:
            by_team[team_id].append(nomination_id)
        for team_id, ids in sorted(by_team.items()):
            for table, model in NOMINATION_CHILDREN:
                rows[table] += self._deleted(delete(model).where(model.team_id == team_id, col(model.nomination_id).in_(ids)))
            rows["level_change (unlinked, kept)"] += self._deleted(
                update(LevelChange)
                .where(col(LevelChange.team_id) == team_id, col(LevelChange.nomination_id).in_(ids))
                .values(nomination_id=None)
            )
            rows["audit_event"] += self._deleted(
                delete(AuditEvent).where(
                    col(AuditEvent.team_id) == team_id,
                    col(AuditEvent.object_kind) == "nomination",
                    col(AuditEvent.object_id).in_(ids),
                )
            )
            rows["nomination"] += self._deleted(
                delete(Nomination).where(col(Nomination.team_id) == team_id, col(Nomination.id).in_(ids))
            )
        return Batch(dict(rows), done=len(picked) < limit)

    def _deleted(self, statement: Delete | Update) -> int:
        """Run an UPDATE or DELETE; how many rows it changed."""
        return int(self._session.exec(statement).rowcount or 0)


# -- what is due, per kind ---------------------------------------------------------------------------------------


def _checkin_draft_due(cutoff: datetime) -> ColumnElement[bool]:
    return col(CheckinDraft.updated_at) < cutoff


def _event_due(cutoff: datetime) -> ColumnElement[bool]:
    return col(ProcessedEvent.received_at) < cutoff


def _checkin_due(cutoff: datetime) -> ColumnElement[bool]:
    return col(Checkin.submitted_at) < cutoff


def _message_due(cutoff: datetime) -> ColumnElement[bool]:
    """Finished outbox rows: sent before the cut-off, or skipped or failed and due before it."""
    return or_(
        and_(col(OutboxMessage.status) == SENT, col(OutboxMessage.sent_at) < cutoff),
        and_(col(OutboxMessage.status).in_((SKIPPED, FAILED)), col(OutboxMessage.due_at) < cutoff),
    )


def _nomination_due(kind: str, cutoff: datetime) -> ColumnElement[bool]:
    if kind == NOMINATION_DRAFTS:
        return and_(col(Nomination.stage) == DRAFT, col(Nomination.stage_changed_at) < cutoff)
    return and_(col(Nomination.stage).in_(CLOSED_STAGES), col(Nomination.stage_changed_at) < cutoff, not_(_still_active(cutoff)))


def _still_active(cutoff: datetime) -> ColumnElement[bool]:
    """A closed nomination whose last decision is recent (an appeal decided since, a decision published late), whose
    appeal is still to be decided, or whose promotion is still to take effect, is kept."""
    decision_at = func.coalesce(col(PanelDecision.published_at), col(PanelDecision.decided_at))
    return or_(
        exists().where(col(PanelDecision.nomination_id) == col(Nomination.id), decision_at >= cutoff),
        exists().where(
            col(Appeal.nomination_id) == col(Nomination.id),
            or_(col(Appeal.decided_at).is_(None), col(Appeal.decided_at) >= cutoff),
        ),
        exists().where(col(LevelChange.nomination_id) == col(Nomination.id), col(LevelChange.applied_at).is_(None)),
    )


def _nominations_named(payload: Any) -> list[int]:
    context = (payload or {}).get("context") or {} if isinstance(payload, dict) else {}
    named = [context.get("nomination_id"), *(context.get("nomination_ids") or ())]
    return [n for n in named if isinstance(n, int) and not isinstance(n, bool)]

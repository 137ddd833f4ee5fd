"""The audit trail: who changed what and when (nominations, cycles, panels, decisions, roles), inside the caller's
unit of work. Rows are only added (an audit row only for a change the caller's call made: docs/architecture.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import or_
from sqlmodel import Session, col, select

from storage.models import AuditEvent


class AuditTrail:
    def __init__(self, session: Session) -> None:
        self._session = session

    def audit(self, team_id: str, kind: str, object_id: int, action: str, actor: str, at: datetime, **detail: Any) -> None:
        self._session.add(
            AuditEvent(team_id=team_id, object_kind=kind, object_id=object_id, action=action, actor=actor, at=at, detail=detail)
        )

    def trail(self, team_id: str, objects: Sequence[tuple[str, Sequence[int]]]) -> Sequence[AuditEvent]:
        """Audit events about any of these objects (kind, ids), oldest first, in one query."""
        wanted = [(col(AuditEvent.object_kind) == kind) & col(AuditEvent.object_id).in_(ids) for kind, ids in objects if ids]
        if not wanted:
            return []
        return self._session.exec(
            select(AuditEvent)
            .where(col(AuditEvent.team_id) == team_id, or_(*wanted))
            .order_by(col(AuditEvent.at), col(AuditEvent.id))
        ).all()

"""A person's evidence log (items saved from Slack messages), inside the caller's unit of work."""

from __future__ import annotations

from typing import Sequence

from sqlmodel import Session, col, select

from storage.models import EvidenceItem
from storage.repositories.held import held
from storage.repositories.once import insert_once


class EvidenceRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def flush(self) -> None:
        self._session.flush()

    def add_evidence(self, item: EvidenceItem) -> tuple[EvidenceItem, bool]:
        """The item saved by this submission, and whether this call saved it (a submission delivered twice saves one)."""
        inserted = insert_once(self._session, item, ["team_id", "submission_key"])
        found = self._session.exec(
            select(EvidenceItem).where(EvidenceItem.team_id == item.team_id, EvidenceItem.submission_key == item.submission_key)
        ).one()
        return found, inserted

    def evidence(self, team_id: str, item_id: int, *, for_update: bool = False) -> EvidenceItem | None:
        query = select(EvidenceItem).where(EvidenceItem.team_id == team_id, EvidenceItem.id == item_id)
        return self._session.exec(held(self._session, query) if for_update else query).first()

    def evidence_about(self, team_id: str, subject: str, limit: int = 50) -> Sequence[EvidenceItem]:
        return self._session.exec(
            select(EvidenceItem)
            .where(EvidenceItem.team_id == team_id, EvidenceItem.subject == subject)
            .order_by(col(EvidenceItem.created_at).desc(), col(EvidenceItem.id).desc())
            .limit(limit)
        ).all()

    def evidence_by(self, team_id: str, author: str, limit: int = 50) -> Sequence[EvidenceItem]:
        return self._session.exec(
            select(EvidenceItem)
            .where(EvidenceItem.team_id == team_id, EvidenceItem.author == author)
            .order_by(col(EvidenceItem.created_at).desc(), col(EvidenceItem.id).desc())
            .limit(limit)
        ).all()

    def delete_evidence(self, item: EvidenceItem) -> None:
        self._session.delete(item)

"""Framework files uploaded to Ladder in Slack, kept as they were checked until an admin presses Publish (inside the
caller's unit of work)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select, update

from storage.models import FrameworkUpload
from storage.repositories.once import insert_once


class FrameworkUploads:
    def __init__(self, session: Session) -> None:
        self._session = session

    def checked(self, team_id: str, key: str, *, source: str, text: str, digest: str, by: str, at: datetime) -> None:
        """Keep ``text`` as upload ``key`` was checked; checked again (its message composed again after a failed
        send), the latest check's text replaces it, so what Publish publishes is what the message sent shows."""
        row = FrameworkUpload(team_id=team_id, key=key, source=source[:200], text=text, digest=digest, uploaded_by=by[:64], checked_at=at)  # fmt: skip
        if insert_once(self._session, row, ["team_id", "key"]):
            return
        self._session.execute(
            update(FrameworkUpload)
            .where(col(FrameworkUpload.team_id) == team_id, col(FrameworkUpload.key) == key)
            .values(source=source[:200], text=text, digest=digest, uploaded_by=by[:64], checked_at=at)
        )

    def get(self, team_id: str, key: str) -> FrameworkUpload | None:
        return self._session.exec(
            select(FrameworkUpload).where(col(FrameworkUpload.team_id) == team_id, col(FrameworkUpload.key) == key)
        ).first()

"""The career frameworks each tenant published, every version kept (inside the caller's unit of work)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.errors import PublishContended
from storage.models import FrameworkVersion
from storage.repositories.once import insert_once


class FrameworkVersions:
    def __init__(self, session: Session) -> None:
        self._session = session

    def publish(self, team_id: str, text: str, *, source: str, by: str, at: datetime) -> tuple[FrameworkVersion, bool]:
        """Make ``text`` the tenant's framework in force: the next version, unless it is the one in force already (a
        double click, a script run twice). Returns the version in force and whether this call added it."""
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        for _ in range(3):  # two publishers racing for one version number: the loser takes the next
            current = self.latest(team_id)
            if current is not None and current.digest == digest:
                return current, False
            number = (current.version if current else 0) + 1
            row = FrameworkVersion(
                team_id=team_id, version=number, text=text, digest=digest, source=source[:200], published_by=by[:64],
                published_at=at,
            )  # fmt: skip
            if insert_once(self._session, row, ["team_id", "version"]):
                added = self.version(team_id, number)
                assert added is not None
                return added, True
        raise PublishContended(
            f"the framework was not published for {team_id}: others were publishing versions at the same moment; try again"
        )

    def latest(self, team_id: str) -> FrameworkVersion | None:
        return self._session.exec(
            select(FrameworkVersion)
            .where(col(FrameworkVersion.team_id) == team_id)
            .order_by(col(FrameworkVersion.version).desc())
            .limit(1)
        ).first()

    def version(self, team_id: str, version: int) -> FrameworkVersion | None:
        return self._session.exec(
            select(FrameworkVersion).where(col(FrameworkVersion.team_id) == team_id, col(FrameworkVersion.version) == version)
        ).first()

    def latest_numbers(self) -> dict[str, int]:
        """Every tenant's version in force, by number (one cheap statement: what a running server polls)."""
        rows = self._session.exec(
            select(FrameworkVersion.team_id, func.max(FrameworkVersion.version)).group_by(FrameworkVersion.team_id)
        )
        return {team: number for team, number in rows}

    def history(self, team_id: str) -> Sequence[FrameworkVersion]:
        return self._session.exec(
            select(FrameworkVersion).where(col(FrameworkVersion.team_id) == team_id).order_by(col(FrameworkVersion.version))
        ).all()

"""Roles granted in a team (who administers Ladder beside those configured), inside the caller's unit of work.

The role's name is the caller's (``bot.admins.ADMIN``): storage stores it and does not know what it means.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session, col, select

from storage.models import Role
from storage.repositories.once import insert_once


class RoleRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def holders(self, team_id: str, role: str) -> list[str]:
        """Who holds the role in the team, in the order it was granted."""
        return list(
            self._session.exec(
                select(col(Role.user_id))
                .where(col(Role.team_id) == team_id, col(Role.role) == role)
                .order_by(col(Role.granted_at), col(Role.user_id))
            )
        )

    def grant(self, team_id: str, user_id: str, role: str, granted_by: str) -> bool:
        """Whether this call granted it (granted once, however often asked)."""
        return insert_once(
            self._session,
            Role(team_id=team_id, user_id=user_id, role=role, granted_by=granted_by),
            ["team_id", "user_id", "role"],
        )

    def revoke(self, team_id: str, user_id: str, role: str) -> bool:
        """Whether this call took it away."""
        gone = self._session.exec(
            delete(Role).where(col(Role.team_id) == team_id, col(Role.user_id) == user_id, col(Role.role) == role)
        )
        return bool(gone.rowcount)

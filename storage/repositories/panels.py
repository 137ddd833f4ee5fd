"""Review panels and their members."""

from __future__ import annotations

from collections import defaultdict
from typing import Sequence

from sqlmodel import Session, col, select

from storage.models import Panel, PanelMember, Person
from storage.repositories.once import insert_once


class PanelRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def panel_named(self, team_id: str, name: str) -> Panel | None:
        return self._session.exec(select(Panel).where(Panel.team_id == team_id, Panel.name == name)).first()

    def panels(self, team_id: str) -> Sequence[Panel]:
        return self._session.exec(select(Panel).where(Panel.team_id == team_id).order_by(Panel.name)).all()

    def add_panel(self, panel: Panel) -> tuple[Panel, bool]:
        """The panel named so: inserted once however often asked; True when this call inserted it."""
        inserted = insert_once(self._session, panel, ["team_id", "name"])
        found = self.panel_named(panel.team_id, panel.name)
        assert found is not None
        return found, inserted

    def members(self, team_id: str, panel_ids: Sequence[int]) -> dict[int, list[str]]:
        """Each panel's members, by panel id, in one query."""
        if not panel_ids:
            return {}
        rows = self._session.exec(
            select(PanelMember.panel_id, PanelMember.user_id)
            .where(PanelMember.team_id == team_id, col(PanelMember.panel_id).in_(panel_ids))
            .order_by(PanelMember.id)
        ).all()
        out: dict[int, list[str]] = defaultdict(list)
        for panel_id, user_id in rows:
            out[panel_id].append(user_id)
        return dict(out)

    def add_members(self, panel: Panel, members: Sequence[str]) -> None:
        assert panel.id is not None
        for user_id in members:
            member = PanelMember(team_id=panel.team_id, panel_id=panel.id, user_id=user_id)
            insert_once(self._session, member, ["team_id", "panel_id", "user_id"])

    def people(self, team_id: str, user_ids: Sequence[str]) -> dict[str, Person]:
        if not user_ids:
            return {}
        rows = self._session.exec(select(Person).where(Person.team_id == team_id, col(Person.user_id).in_(user_ids))).all()
        return {p.user_id: p for p in rows}

"""Promotion cycles, inside the caller's unit of work: one repository for the cycle aggregate (its dates and status).

Every query is scoped by team; a cycle's name is unique in its team up to case and spacing (``name_key``).
"""

from __future__ import annotations

from typing import Sequence

from sqlmodel import Session, col, select

from storage.models import PromotionCycle, name_key
from storage.repositories.held import held
from storage.repositories.once import insert_once


class CycleRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def cycle(self, team_id: str, cycle_id: int, *, for_update: bool = False) -> PromotionCycle | None:
        if for_update:
            query = select(PromotionCycle).where(PromotionCycle.team_id == team_id, PromotionCycle.id == cycle_id)
            return self._session.exec(held(self._session, query)).first()
        found = self._session.get(PromotionCycle, cycle_id)
        return found if found is not None and found.team_id == team_id else None

    def cycle_named(self, team_id: str, name: str) -> PromotionCycle | None:
        """The cycle whose name is ``name`` up to case and spacing."""
        return self._session.exec(
            select(PromotionCycle).where(PromotionCycle.team_id == team_id, PromotionCycle.name_key == name_key(name))
        ).first()

    def cycles(self, team_id: str) -> Sequence[PromotionCycle]:
        """Every cycle of the team, the latest to open first."""
        return self._session.exec(
            select(PromotionCycle).where(PromotionCycle.team_id == team_id).order_by(col(PromotionCycle.opens_on).desc())
        ).all()

    def save_cycle(self, cycle: PromotionCycle) -> None:
        cycle.name_key = name_key(cycle.name)
        self._session.add(cycle)
        self._session.flush()

    def remove_cycle(self, cycle: PromotionCycle) -> None:
        """A cycle nothing was nominated in (the caller checks): gone."""
        self._session.delete(cycle)
        self._session.flush()

    def add_cycle(self, cycle: PromotionCycle) -> tuple[PromotionCycle, bool]:
        """The cycle of that name, and whether this call created it (two creations at once make one)."""
        cycle.name_key = name_key(cycle.name)
        inserted = insert_once(self._session, cycle, ["team_id", "name_key"])
        found = self.cycle_named(cycle.team_id, cycle.name)
        assert found is not None
        return found, inserted

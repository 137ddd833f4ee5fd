"""Review panels and what they do: members, declared conflicts, scores, decisions, appeals, level changes.

Reads that serve a digest take lists of ids and answer in one query each, so a digest of any size
costs the same number of statements.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any, Sequence

from sqlalchemy import delete, func, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from bot.nominations.stages import REVIEW_ROUND
from storage.models import (
    Appeal,
    ConflictDeclaration,
    LevelChange,
    Nomination,
    Panel,
    PanelDecision,
    PanelMember,
    PanelScore,
    Person,
    PromotionCycle,
    name_key,
)
from storage.repositories.held import held
from storage.repositories.once import insert_once


class PanelRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def panel_named(self, team_id: str, name: str) -> Panel | None:
        """The panel whose name is ``name`` up to case and spacing."""
        return self._session.exec(
            select(Panel).where(col(Panel.team_id) == team_id, col(Panel.name_key) == name_key(name))
        ).first()

    def panels(self, team_id: str) -> Sequence[Panel]:
        return self._session.exec(select(Panel).where(col(Panel.team_id) == team_id).order_by(col(Panel.name))).all()

    def add_panel(self, panel: Panel) -> tuple[Panel, bool]:
        """The panel named so: inserted once however often asked; True when this call inserted it."""
        panel.name_key = name_key(panel.name)
        inserted = insert_once(self._session, panel, ["team_id", "name_key"])
        found = self.panel_named(panel.team_id, panel.name)
        assert found is not None
        return found, inserted

    def members(self, team_id: str, panel_ids: Sequence[int]) -> dict[int, list[str]]:
        """Each panel's members, by panel id, in one query."""
        if not panel_ids:
            return {}
        rows = self._session.exec(
            select(col(PanelMember.panel_id), col(PanelMember.user_id))
            .where(col(PanelMember.team_id) == team_id, col(PanelMember.panel_id).in_(panel_ids))
            .order_by(col(PanelMember.id))
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

    def rename(self, panel: Panel, name: str) -> None:
        panel.name, panel.name_key = name, name_key(name)
        self._session.add(panel)

    def remove_panel(self, panel: Panel) -> None:
        """The panel and its members; the caller has made sure nothing it judged refers to it."""
        self._session.execute(
            delete(PanelMember).where(col(PanelMember.team_id) == panel.team_id, col(PanelMember.panel_id) == panel.id)
        )
        self._session.delete(panel)
        self._session.flush()

    def judged_by(self, team_id: str, panel_id: int) -> int:
        """How many scores and decisions refer to the panel (its record of what it judged)."""
        scores = self._session.exec(
            select(func.count())
            .select_from(PanelScore)
            .where(col(PanelScore.team_id) == team_id, col(PanelScore.panel_id) == panel_id)
        ).one()
        decisions = self._session.exec(
            select(func.count())
            .select_from(PanelDecision)
            .where(col(PanelDecision.team_id) == team_id, col(PanelDecision.panel_id) == panel_id)
        ).one()
        return scores + decisions

    def set_members(self, panel: Panel, members: Sequence[str]) -> None:
        """The panel's members become exactly these."""
        assert panel.id is not None
        self._session.execute(
            delete(PanelMember).where(
                col(PanelMember.team_id) == panel.team_id,
                col(PanelMember.panel_id) == panel.id,
                col(PanelMember.user_id).not_in(members),
            )
        )
        self.add_members(panel, members)

    def people(self, team_id: str, user_ids: Sequence[str]) -> dict[str, Person]:
        if not user_ids:
            return {}
        rows = self._session.exec(select(Person).where(col(Person.team_id) == team_id, col(Person.user_id).in_(user_ids))).all()
        return {p.user_id: p for p in rows}

    def panel(self, team_id: str, panel_id: int | None, *, for_update: bool = False) -> Panel | None:
        if for_update and panel_id is not None:
            query = select(Panel).where(col(Panel.team_id) == team_id, col(Panel.id) == panel_id)
            return self._session.exec(held(self._session, query)).first()
        found = self._session.get(Panel, panel_id) if panel_id is not None else None
        return found if found is not None and found.team_id == team_id else None

    def everyone(self, team_id: str) -> dict[str, Person]:
        """The whole people table of a team in one query (management chains are walked in memory from it)."""
        return {p.user_id: p for p in self._session.exec(select(Person).where(col(Person.team_id) == team_id)).all()}

    def save(self, row: object) -> None:
        self._session.add(row)

    def flush(self) -> None:
        self._session.flush()

    # -- a cycle's nominations and what panels did with them ---------------------------------------------

    def nominations_in(self, team_id: str, cycle_id: int, stages: Sequence[str]) -> Sequence[Nomination]:
        return self._session.exec(
            select(Nomination)
            .where(col(Nomination.team_id) == team_id, col(Nomination.cycle_id) == cycle_id, col(Nomination.stage).in_(stages))
            .order_by(col(Nomination.submitted_at), col(Nomination.id))
        ).all()

    def declarations(self, team_id: str, nomination_ids: Sequence[int]) -> dict[int, set[str]]:
        out: dict[int, set[str]] = defaultdict(set)
        for row in self._by_nomination(ConflictDeclaration, team_id, nomination_ids):
            out[row.nomination_id].add(row.user_id)
        return dict(out)

    def declare(self, team_id: str, nomination_id: int, user_id: str, at: datetime) -> bool:
        row = ConflictDeclaration(team_id=team_id, nomination_id=nomination_id, user_id=user_id, declared_at=at)
        return insert_once(self._session, row, ["team_id", "nomination_id", "user_id"])

    def scores(self, team_id: str, nomination_ids: Sequence[int]) -> dict[int, list[PanelScore]]:
        out: dict[int, list[PanelScore]] = defaultdict(list)
        for row in self._by_nomination(PanelScore, team_id, nomination_ids):
            out[row.nomination_id].append(row)
        return dict(out)

    def add_score(self, score: PanelScore) -> bool:
        return insert_once(self._session, score, ["team_id", "nomination_id", "panelist"])

    def seal_score(self, score: PanelScore, at: datetime) -> bool:
        """Seal a score (its author read the others'); True only for the call that sealed it."""
        sealed = self._session.exec(
            update(PanelScore).where(col(PanelScore.id) == score.id, col(PanelScore.sealed_at).is_(None)).values(sealed_at=at)
        )
        if sealed.rowcount:
            set_committed_value(score, "sealed_at", at)  # as the row now is, without a second UPDATE
        return bool(sealed.rowcount)

    def decisions(self, team_id: str, nomination_ids: Sequence[int]) -> dict[int, dict[str, PanelDecision]]:
        """Each nomination's decisions by round (``review``, ``appeal``)."""
        out: dict[int, dict[str, PanelDecision]] = defaultdict(dict)
        for row in self._by_nomination(PanelDecision, team_id, nomination_ids):
            out[row.nomination_id][row.round] = row
        return dict(out)

    def add_decision(self, decision: PanelDecision) -> bool:
        """False when the nomination already has a decision in that round (the first one stands)."""
        return insert_once(self._session, decision, ["team_id", "nomination_id", "round"])

    def unpublished(self, team_id: str, cycle_id: int) -> Sequence[tuple[PanelDecision, Nomination]]:
        """Decisions not published yet, held: the clock and `ladder cycle publish` at once publish each once."""
        return self._session.exec(
            held(
                self._session,
                select(PanelDecision, Nomination)
                .join(Nomination, col(Nomination.id) == col(PanelDecision.nomination_id))
                .where(
                    col(PanelDecision.team_id) == team_id,
                    col(Nomination.cycle_id) == cycle_id,
                    col(PanelDecision.published_at).is_(None),
                    col(PanelDecision.round) == REVIEW_ROUND,
                )
                .order_by(col(PanelDecision.id)),
            )
        ).all()

    def latest_not_yet(self, team_id: str, user_id: str) -> PanelDecision | None:
        """The latest published 'not yet' about the person: its what's next feeds their growth plan."""
        return self._session.exec(
            select(PanelDecision)
            .join(Nomination, col(Nomination.id) == col(PanelDecision.nomination_id))
            .where(
                col(PanelDecision.team_id) == team_id,
                col(Nomination.nominee) == user_id,
                col(PanelDecision.outcome) == "not_yet",
                col(PanelDecision.published_at).is_not(None),
            )
            .order_by(col(PanelDecision.published_at).desc())
            .limit(1)
        ).first()

    def appeals(self, team_id: str, nomination_ids: Sequence[int]) -> dict[int, Appeal]:
        return {row.nomination_id: row for row in self._by_nomination(Appeal, team_id, nomination_ids)}

    def add_appeal(self, appeal: Appeal) -> bool:
        return insert_once(self._session, appeal, ["team_id", "nomination_id"])

    def _by_nomination(self, model: type[Any], team_id: str, nomination_ids: Sequence[int]) -> Sequence[Any]:
        if not nomination_ids:
            return []
        return self._session.exec(
            select(model).where(model.team_id == team_id, col(model.nomination_id).in_(nomination_ids)).order_by(model.id)
        ).all()

    # -- cycles the clock acts on (every team) -------------------------------------------------------------

    def cycles_sitting(self, today: date) -> Sequence[PromotionCycle]:
        """Open cycles whose panel review has started and whose appeal window may not have ended."""
        return self._session.exec(
            select(PromotionCycle)
            .where(
                col(PromotionCycle.status) == "open",
                col(PromotionCycle.panel_from).is_not(None),
                col(PromotionCycle.panel_from) <= today,
            )
            .order_by(col(PromotionCycle.id))
        ).all()

    # -- level changes -------------------------------------------------------------------------------------

    def add_level_change(self, change: LevelChange) -> bool:
        return insert_once(self._session, change, ["team_id", "nomination_id"])

    def level_changes_due(self, today: date, limit: int) -> Sequence[LevelChange]:
        """Level changes due and not applied yet, held: each is applied (and audited) once."""
        return self._session.exec(
            held(
                self._session,
                select(LevelChange)
                .where(col(LevelChange.applied_at).is_(None), col(LevelChange.effective_on) <= today)
                .order_by(col(LevelChange.effective_on), col(LevelChange.id))
                .limit(limit),
            )
        ).all()

    def level_history(self, team_id: str, user_id: str) -> Sequence[LevelChange]:
        return self._session.exec(
            select(LevelChange)
            .where(col(LevelChange.team_id) == team_id, col(LevelChange.user_id) == user_id)
            .order_by(col(LevelChange.effective_on), col(LevelChange.id))
        ).all()

"""Read-only queries of the fairness audit: each reads one table (or one join) for a whole team or a set of cycles, so
loading a cycle takes the same number of statements for ten people as for ten thousand. Rows come back as tuples,
past the ORM: the audit reads tens of thousands of them and changes none.

``person_group`` is read here and by :mod:`storage.repositories.groups` alone (group data is read by the audit)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, TypeAlias, Unpack

from sqlalchemy import Connection, Row, select
from sqlmodel import col

from bot.growth.states import STARTED, TAKEN
from bot.nominations.stages import DRAFT
from storage.models import (
    Appeal,
    CheckinSchedule,
    LevelChange,
    Mentorship,
    Nomination,
    Panel,
    PanelDecision,
    PanelScore,
    Person,
    PersonGroup,
    PromotionCycle,
    StretchInterest,
)

Rows: TypeAlias = Sequence[Row[Unpack[tuple[Any, ...]]]]
"""Rows of the columns each query names (read by position or by name)."""


class FairnessRows:
    """The audit's queries, on one read-only connection (one snapshot: every query sees the same data)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def _all(self, query: Any) -> Rows:
        return self._connection.execute(query).all()

    def cycles(self, team_id: str) -> Rows:
        """(id, name, name_key, opens_on, closed_at, created_at), the earliest to open first."""
        c = PromotionCycle
        return self._all(
            select(col(c.id), col(c.name), col(c.name_key), col(c.opens_on), col(c.closed_at), col(c.created_at))
            .where(col(c.team_id) == team_id)
            .order_by(col(c.opens_on), col(c.id))
        )

    def people(self, team_id: str) -> Rows:
        """(user_id, track, level, level_since, created_at)."""
        p = Person
        return self._all(
            select(col(p.user_id), col(p.track), col(p.level), col(p.level_since), col(p.created_at)).where(
                col(p.team_id) == team_id
            )
        )

    def level_changes(self, team_id: str) -> Rows:
        """(user_id, nomination_id, from_track, from_level, to_track, to_level, effective_on, applied_at), by date."""
        lc = LevelChange
        return self._all(
            select(
                col(lc.user_id), col(lc.nomination_id), col(lc.from_track), col(lc.from_level), col(lc.to_track),
                col(lc.to_level), col(lc.effective_on), col(lc.applied_at),
            )
            .where(col(lc.team_id) == team_id)
            .order_by(col(lc.effective_on), col(lc.id))
        )  # fmt: skip

    def panels(self, team_id: str) -> Rows:
        """(id, name) of the team's panels: calibration names each panel."""
        p = Panel
        return self._all(select(col(p.id), col(p.name)).where(col(p.team_id) == team_id))

    def groups(self, team_id: str) -> Rows:
        """(user_id, attribute, value, source) of every group answer held, HR's and people's own."""
        g = PersonGroup
        return self._all(select(col(g.user_id), col(g.attribute), col(g.value), col(g.source)).where(col(g.team_id) == team_id))

    def timezones(self, team_id: str) -> Rows:
        """(user_id, timezone) where Slack told Ladder someone's timezone."""
        s = CheckinSchedule
        return self._all(select(col(s.user_id), col(s.timezone)).where(col(s.team_id) == team_id, col(s.timezone).is_not(None)))

    def nominations(self, team_id: str, cycle_ids: Collection[int]) -> Rows:
        """(id, cycle_id, nominee, from_level, target_level, track_switch, stage, submitted_at) of submitted ones."""
        n = Nomination
        return self._all(
            select(
                col(n.id),
                col(n.cycle_id),
                col(n.nominee),
                col(n.from_level),
                col(n.target_level),
                col(n.track_switch),
                col(n.stage),
                col(n.submitted_at),
            )
            .where(col(n.team_id) == team_id, col(n.cycle_id).in_(list(cycle_ids)), col(n.stage) != DRAFT)
            .order_by(col(n.id))
        )

    def decisions(self, team_id: str, cycle_ids: Collection[int]) -> Rows:
        """(nomination_id, panel_id, round, outcome, decided_by, deciders, decided_at, published_at, effective_on)."""
        d, n = PanelDecision, Nomination
        return self._all(
            select(
                col(d.nomination_id), col(d.panel_id), col(d.round), col(d.outcome), col(d.decided_by), col(d.deciders),
                col(d.decided_at), col(d.published_at), col(d.effective_on),
            )
            .join(n, col(n.id) == col(d.nomination_id))
            .where(col(d.team_id) == team_id, col(n.team_id) == team_id, col(n.cycle_id).in_(list(cycle_ids)))
        )  # fmt: skip

    def appeals(self, team_id: str, cycle_ids: Collection[int]) -> Rows:
        """(nomination_id, status) of every appeal filed."""
        a, n = Appeal, Nomination
        return self._all(
            select(col(a.nomination_id), col(a.status))
            .join(n, col(n.id) == col(a.nomination_id))
            .where(col(a.team_id) == team_id, col(n.team_id) == team_id, col(n.cycle_id).in_(list(cycle_ids)))
        )

    def scores(self, team_id: str, cycle_ids: Collection[int]) -> Rows:
        """(nomination_id, panel_id, panelist, ratings, recommendation)."""
        s, n = PanelScore, Nomination
        return self._all(
            select(col(s.nomination_id), col(s.panel_id), col(s.panelist), col(s.ratings), col(s.recommendation))
            .join(n, col(n.id) == col(s.nomination_id))
            .where(col(s.team_id) == team_id, col(n.team_id) == team_id, col(n.cycle_id).in_(list(cycle_ids)))
            .order_by(col(s.nomination_id), col(s.panelist))
        )

    def stretch_taken(self, team_id: str) -> Rows:
        """(user_id, taken_at) of every stretch assignment someone was given."""
        i = StretchInterest
        return self._all(
            select(col(i.user_id), col(i.taken_at)).where(
                col(i.team_id) == team_id, col(i.status) == TAKEN, col(i.taken_at).is_not(None)
            )
        )

    def mentorships_started(self, team_id: str) -> Rows:
        """(mentee, decided_at) of every mentoring pair that was accepted."""
        m = Mentorship
        return self._all(
            select(col(m.mentee), col(m.decided_at)).where(
                col(m.team_id) == team_id,
                col(m.status).in_(STARTED),
                col(m.decided_at).is_not(None),
            )
        )

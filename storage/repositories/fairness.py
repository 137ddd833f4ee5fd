"""Read-only queries of the fairness audit: each reads one table (or one join) for a whole team or a set of cycles, so
loading a cycle takes the same number of statements for ten people as for ten thousand. Rows come back as tuples,
past the ORM: the audit reads tens of thousands of them and changes none.

``person_group`` is read here and by :mod:`storage.repositories.groups` alone (group data is read by the audit)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Connection, Row, select

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

TAKEN = "taken"
STARTED_MENTORSHIPS = ("accepted", "ended")


class FairnessRows:
    """The audit's queries, on one read-only connection (one snapshot: every query sees the same data)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def _all(self, query: Any) -> Sequence[Row[Any]]:
        return self._connection.execute(query).all()

    def cycles(self, team_id: str) -> Sequence[Row[Any]]:
        """(id, name, name_key, opens_on, closed_at, created_at), the earliest to open first."""
        c = PromotionCycle
        return self._all(
            select(c.id, c.name, c.name_key, c.opens_on, c.closed_at, c.created_at)  # type: ignore[call-overload]
            .where(c.team_id == team_id)
            .order_by(c.opens_on, c.id)
        )

    def people(self, team_id: str) -> Sequence[Row[Any]]:
        """(user_id, track, level, level_since, created_at)."""
        p = Person
        return self._all(
            select(p.user_id, p.track, p.level, p.level_since, p.created_at).where(p.team_id == team_id)  # type: ignore[call-overload]
        )

    def level_changes(self, team_id: str) -> Sequence[Row[Any]]:
        """(user_id, nomination_id, from_track, from_level, to_track, to_level, effective_on, applied_at), by date."""
        lc = LevelChange
        return self._all(
            select(  # type: ignore[call-overload]
                lc.user_id, lc.nomination_id, lc.from_track, lc.from_level, lc.to_track, lc.to_level, lc.effective_on,
                lc.applied_at,
            )
            .where(lc.team_id == team_id)
            .order_by(lc.effective_on, lc.id)
        )  # fmt: skip

    def panels(self, team_id: str) -> Sequence[Row[Any]]:
        """(id, name) of the team's panels: calibration names each panel."""
        p = Panel
        return self._all(select(p.id, p.name).where(p.team_id == team_id))  # type: ignore[call-overload]

    def groups(self, team_id: str) -> Sequence[Row[Any]]:
        """(user_id, attribute, value, source) of every group answer held, HR's and people's own."""
        g = PersonGroup
        return self._all(select(g.user_id, g.attribute, g.value, g.source).where(g.team_id == team_id))  # type: ignore[call-overload]

    def timezones(self, team_id: str) -> Sequence[Row[Any]]:
        """(user_id, timezone) where Slack told Ladder someone's timezone."""
        s = CheckinSchedule
        return self._all(
            select(s.user_id, s.timezone).where(s.team_id == team_id, s.timezone.is_not(None))  # type: ignore[call-overload, union-attr]
        )

    def nominations(self, team_id: str, cycle_ids: Collection[int]) -> Sequence[Row[Any]]:
        """(id, cycle_id, nominee, from_level, target_level, track_switch, stage, submitted_at) of submitted ones."""
        n = Nomination
        return self._all(
            select(  # type: ignore[call-overload]
                n.id, n.cycle_id, n.nominee, n.from_level, n.target_level, n.track_switch, n.stage, n.submitted_at
            )
            .where(n.team_id == team_id, n.cycle_id.in_(list(cycle_ids)), n.stage != DRAFT)  # type: ignore[attr-defined]
            .order_by(n.id)
        )

    def decisions(self, team_id: str, cycle_ids: Collection[int]) -> Sequence[Row[Any]]:
        """(nomination_id, panel_id, round, outcome, decided_by, deciders, decided_at, published_at, effective_on)."""
        d, n = PanelDecision, Nomination
        return self._all(
            select(  # type: ignore[call-overload]
                d.nomination_id, d.panel_id, d.round, d.outcome, d.decided_by, d.deciders, d.decided_at, d.published_at,
                d.effective_on,
            )
            .join(n, n.id == d.nomination_id)
            .where(d.team_id == team_id, n.team_id == team_id, n.cycle_id.in_(list(cycle_ids)))  # type: ignore[attr-defined]
        )  # fmt: skip

    def appeals(self, team_id: str, cycle_ids: Collection[int]) -> Sequence[Row[Any]]:
        """(nomination_id, status) of every appeal filed."""
        a, n = Appeal, Nomination
        return self._all(
            select(a.nomination_id, a.status)  # type: ignore[call-overload]
            .join(n, n.id == a.nomination_id)
            .where(a.team_id == team_id, n.team_id == team_id, n.cycle_id.in_(list(cycle_ids)))  # type: ignore[attr-defined]
        )

    def scores(self, team_id: str, cycle_ids: Collection[int]) -> Sequence[Row[Any]]:
        """(nomination_id, panel_id, panelist, ratings, recommendation)."""
        s, n = PanelScore, Nomination
        return self._all(
            select(s.nomination_id, s.panel_id, s.panelist, s.ratings, s.recommendation)  # type: ignore[call-overload]
            .join(n, n.id == s.nomination_id)
            .where(s.team_id == team_id, n.team_id == team_id, n.cycle_id.in_(list(cycle_ids)))  # type: ignore[attr-defined]
            .order_by(s.nomination_id, s.panelist)
        )

    def stretch_taken(self, team_id: str) -> Sequence[Row[Any]]:
        """(user_id, taken_at) of every stretch assignment someone was given."""
        i = StretchInterest
        return self._all(
            select(i.user_id, i.taken_at).where(i.team_id == team_id, i.status == TAKEN, i.taken_at.is_not(None))  # type: ignore[call-overload, union-attr]
        )

    def mentorships_started(self, team_id: str) -> Sequence[Row[Any]]:
        """(mentee, decided_at) of every mentoring pair that was accepted."""
        m = Mentorship
        return self._all(
            select(m.mentee, m.decided_at).where(  # type: ignore[call-overload]
                m.team_id == team_id,
                m.status.in_(STARTED_MENTORSHIPS),
                m.decided_at.is_not(None),  # type: ignore[attr-defined, union-attr]
            )
        )

"""What a fairness audit reads about one cycle, loaded once (a constant number of SQL statements, whatever the size of
the organisation) and then only computed on: :mod:`bot.fairness.report`, :mod:`bot.fairness.parity`,
:mod:`bot.fairness.calibration` and :mod:`bot.fairness.trend` take these facts and never query."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Mapping


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """Someone Ladder knew when the cycle opened, as they were then."""

    user_id: str
    track: str
    """Their track id when the cycle opened (from the level history where they have moved since)."""
    level: str
    """Their level id when the cycle opened."""
    eligible: bool
    """Recorded at a level below the top of their track when the cycle opened."""
    level_since: date | None
    """Since when they held that level, where known."""
    known_since: date | None
    """The earliest date Ladder has for them (first level change, level_since, or when they were first recorded)."""
    timezone: str | None
    """Their Slack timezone (IANA name) where Ladder learned it."""
    groups: Mapping[str, str] = field(default_factory=dict)
    """Attribute → group, from ``person_group`` (their own answer first, else HR's); unknown attributes are absent."""


@dataclass(frozen=True, slots=True)
class NominationFacts:
    """A nomination of the cycle that was submitted (drafts are not counted)."""

    nomination_id: int
    nominee: str
    from_level: str
    target_level: str
    track_switch: bool
    stage: str
    submitted_at: datetime | None
    outcome: str | None
    """The published panel decision (promote, not_yet, defer), or None while none is published."""
    decided_at: datetime | None
    appealed: bool
    overturned: bool
    """An appeal that ended in a promotion."""


@dataclass(frozen=True, slots=True)
class ScoreFacts:
    """One panelist's score of one nomination."""

    nomination_id: int
    panel_id: int
    panelist: str
    ratings: Mapping[str, str]
    """Competency id → rating id."""
    recommendation: str


@dataclass(frozen=True, slots=True)
class DecisionFacts:
    """A panel's decision on a nomination (the first round; appeals are in :class:`NominationFacts`)."""

    nomination_id: int
    panel_id: int | None
    chair: str
    outcome: str
    deciders: tuple[str, ...]
    published_at: datetime | None


@dataclass(frozen=True)
class CycleFacts:
    """Everything one cycle's audit needs, read in one go."""

    team_id: str
    cycle_id: int
    cycle_name: str
    opens_on: date
    closed_at: datetime | None
    people: tuple[PersonFacts, ...]
    nominations: tuple[NominationFacts, ...]
    scores: tuple[ScoreFacts, ...] = ()
    decisions: tuple[DecisionFacts, ...] = ()
    stretch_taken: Mapping[str, int] = field(default_factory=dict)
    """User id → stretch assignments they were given (taken) during the cycle."""
    mentorships_started: Mapping[str, int] = field(default_factory=dict)
    """User id (mentee) → mentoring pairs accepted during the cycle."""
    days_in_level_at_promotion: Mapping[str, int] = field(default_factory=dict)
    """Nominee → days they had been at their level when a promotion of this cycle took effect (where known)."""
    panel_names: Mapping[int, str] = field(default_factory=dict)
    """Panel id → its name, for every panel that scored or decided a nomination of the cycle (calibration names them)."""

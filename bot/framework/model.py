"""The career framework as the rest of Ladder sees it: immutable, validated, indexed.

Objects here are built only by :mod:`bot.framework.loader`, after the file has passed every
check, so code that holds a :class:`Framework` may assume ids resolve and equivalences are
symmetric.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping


@dataclass(frozen=True, slots=True)
class Band:
    """A compensation band; kept so parity between parallel levels can be checked."""

    min: int
    max: int
    currency: str


@dataclass(frozen=True, slots=True)
class SwitchPoint:
    """A level on another track that a person at this level may move to sideways."""

    to: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Competency:
    id: str
    name: str
    description: str
    tracks: tuple[str, ...]
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Level:
    id: str
    title: str
    track_id: str
    rank: int
    """Position within its track, 0 for the entry level."""
    summary: str
    aliases: tuple[str, ...] = ()
    expectations: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    scope: str = ""
    decision_rights: str = ""
    equivalent: str | None = None
    typical_time_in_level: str | None = None
    band: Band | None = None
    switch_points: tuple[SwitchPoint, ...] = ()


@dataclass(frozen=True, slots=True)
class Track:
    id: str
    name: str
    levels: tuple[Level, ...]
    family: str | None = None
    description: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rating:
    """A step of the self-rating rubric; ``rank`` 0 is the lowest."""

    id: str
    label: str
    anchor: str
    rank: int


DEFAULT_RUBRIC = (
    Rating("not_yet", "Not yet", "I have not shown this at the next level yet.", 0),
    Rating("partly", "Partly", "I show this sometimes, or with help.", 1),
    Rating("meets", "Meets", "I show this consistently, at the next level's scope.", 2),
    Rating("exceeds", "Exceeds", "I show this beyond the next level, and others learn from it.", 3),
)


@dataclass(frozen=True, slots=True)
class PanelPolicy:
    """How review panels are checked when they are set up and when they sit."""

    min_members: int = 3
    """Members free to judge a nomination that a panel needs, and the scores a decision needs."""
    members_at_or_above_target: bool = True
    """Warn when a member's level is below a target level the panel reviews."""


@dataclass(frozen=True, slots=True)
class FairnessPolicy:
    """How reports about groups protect individuals."""

    min_group_size: int = 5
    """No count or rate is shown for a group smaller than this."""


@dataclass(frozen=True)
class Framework:
    """A whole career framework: its tracks, levels and competencies, looked up by id."""

    name: str
    version: str
    """The file's own version; empty when it has none (answers then cite :attr:`fingerprint`)."""
    competencies: tuple[Competency, ...]
    tracks: tuple[Track, ...]
    description: str = ""
    promotion_principles: str = ""
    switching: str = ""
    source: str = ""
    fingerprint: str = ""
    """A short hash of the file's content: stable for the same content."""
    publish_bands: bool = False
    rubric: tuple[Rating, ...] = DEFAULT_RUBRIC
    panel_policy: PanelPolicy = PanelPolicy()
    fairness: FairnessPolicy = FairnessPolicy()

    @property
    def meets(self) -> Rating:
        """The rating that means "meets the expectation": the one with id 'meets', else the upper middle of the scale."""
        return next((r for r in self.rubric if r.id == "meets"), self.rubric[len(self.rubric) // 2])

    def rating(self, rating_id: str) -> Rating | None:
        return next((r for r in self.rubric if r.id == rating_id), None)

    @property
    def citation(self) -> str:
        """How answers and pages name this edition of the framework: "version 2026.1" or "content fingerprint 3f9a2c1b0d"."""
        return f"version {self.version}" if self.version else f"content fingerprint {self.fingerprint}"

    def __post_init__(self) -> None:
        object.__setattr__(self, "_levels", {lv.id: lv for t in self.tracks for lv in t.levels})
        object.__setattr__(self, "_tracks", {t.id: t for t in self.tracks})
        object.__setattr__(self, "_competencies", {c.id: c for c in self.competencies})

    @property
    def levels(self) -> tuple[Level, ...]:
        return tuple(self._levels.values())  # type: ignore[attr-defined]

    def level(self, level_id: str) -> Level | None:
        return self._levels.get(level_id)  # type: ignore[attr-defined]

    def track(self, track_id: str) -> Track | None:
        return self._tracks.get(track_id)  # type: ignore[attr-defined]

    def competency(self, competency_id: str) -> Competency | None:
        return self._competencies.get(competency_id)  # type: ignore[attr-defined]

    def track_of(self, level: Level) -> Track:
        return self._tracks[level.track_id]  # type: ignore[attr-defined]

    def competencies_for(self, track_id: str) -> tuple[Competency, ...]:
        return tuple(c for c in self.competencies if track_id in c.tracks)

    def competencies_at(self, level: Level) -> tuple[Competency, ...]:
        """The competencies a level is judged on: those it states an expectation for (else all of its track's)."""
        stated = tuple(c for c in self.competencies_for(level.track_id) if c.id in level.expectations)
        return stated or self.competencies_for(level.track_id)

    def next_level(self, level: Level) -> Level | None:
        levels = self.track_of(level).levels
        return levels[level.rank + 1] if level.rank + 1 < len(levels) else None

    def previous_level(self, level: Level) -> Level | None:
        return self.track_of(level).levels[level.rank - 1] if level.rank > 0 else None

    def equivalent_of(self, level: Level) -> Level | None:
        return self.level(level.equivalent) if level.equivalent else None

    def levels_apart(self, level_id: str, target: Level) -> int | None:
        """How many levels ``level_id`` stands above ``target`` (negative: below; 0: the same standing); a level
        on another track is compared through its parallel level. None when the two cannot be compared."""
        level = self.level(level_id)
        if level is None:
            return None
        if level.track_id != target.track_id:
            parallel = self.equivalent_of(level)
            if parallel is None or parallel.track_id != target.track_id:
                return None
            level = parallel
        return level.rank - target.rank

    def switch_targets(self, level: Level) -> tuple[tuple[SwitchPoint, Level], ...]:
        """The switching points from ``level``, each with the level it leads to."""
        return tuple((sp, self._levels[sp.to]) for sp in level.switch_points)  # type: ignore[attr-defined]

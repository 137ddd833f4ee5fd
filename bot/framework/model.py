"""The career framework as the rest of Ladder sees it: immutable, validated, indexed.

Objects here are built only by :mod:`bot.framework.loader`, after the file has passed every
check, so code that holds a :class:`Framework` may assume ids resolve, a group of equivalent
levels holds one level per track, and tracks that start after a level never lead back to
themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Mapping


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
class ScaleStep:
    """A step of a competency's own proficiency scale; ``rank`` 0 is the lowest."""

    label: str
    description: str
    rank: int


@dataclass(frozen=True, slots=True)
class Competency:
    id: str
    name: str
    description: str
    tracks: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    group: str | None = None
    """The category it belongs to ("Core technical")."""
    scale: tuple[ScaleStep, ...] = ()
    """Its own proficiency scale, lowest first; empty when it has none."""


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
    equivalents: tuple[str, ...] = ()
    """The levels the file names as equivalent to this one, as written; :meth:`Framework.equivalents_of` gives the
    whole group."""
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
    starts_after: str | None = None
    """The level on another track this track continues from (a trunk that forks), or None."""


@dataclass(frozen=True, slots=True)
class Section:
    """Prose that has no other place: switching guidance, promotion principles, competency definitions, expectations
    shared by all levels, anything else."""

    title: str
    text: str
    kind: str = "other"
    """switching, promotion, competencies, all_levels or other."""
    about: tuple[str, ...] = ()
    """Ids of the tracks, levels or competencies it concerns; empty: the whole framework."""


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
class SelfIdQuestion:
    """A question people may answer about themselves for fairness audits: ``id`` is the audited attribute."""

    id: str
    question: str
    choices: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FairnessPolicy:
    """How fairness audits read groups of people and protect individuals."""

    min_group_size: int = 5
    """No count or rate is shown for a group smaller than this."""
    questions: tuple[SelfIdQuestion, ...] = ()
    """What people may say about themselves from their App Home (the file's own, else the defaults of the spec)."""


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """How long each kind of record is kept (None: until the person is erased)."""

    drafts_days: int = 90
    processed_events_days: int = 7
    sent_messages_days: int = 90
    decided_nominations_years: int = 7
    checkins_years: int | None = None
    uninstalled_workspace_days: int = 30
    """An uninstalled tenant's data is erased this long after (the deployment's default framework's policy)."""


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
    retention: RetentionPolicy = RetentionPolicy()
    sections: tuple[Section, ...] = ()
    question_words: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """An organisation's own words for kinds of question (difference, next, equivalent, …), by kind."""
    published: int | None = field(default=None, compare=False)
    """The version number Ladder gave it when an organisation published it; None for the deployment's default.
    Nominations and decisions store it, so they keep citing the version they were made under."""

    if TYPE_CHECKING:  # look-ups __post_init__ sets on the instance: not fields (never compared, copied or diffed)
        _levels: dict[str, Level] = field(init=False)
        _tracks: dict[str, Track] = field(init=False)
        _competencies: dict[str, Competency] = field(init=False)
        _groups: dict[str, tuple[Level, ...]] = field(init=False)
        _starting_after: dict[str, tuple[Track, ...]] = field(init=False)

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
        levels = {lv.id: lv for t in self.tracks for lv in t.levels}
        object.__setattr__(self, "_levels", levels)
        object.__setattr__(self, "_tracks", {t.id: t for t in self.tracks})
        object.__setattr__(self, "_competencies", {c.id: c for c in self.competencies})
        object.__setattr__(self, "_groups", _equivalence_groups(self.tracks, levels))
        starting: dict[str, list[Track]] = {}
        for track in self.tracks:
            if track.starts_after in levels and track.levels:
                starting.setdefault(track.starts_after, []).append(track)
        object.__setattr__(self, "_starting_after", {level_id: tuple(tracks) for level_id, tracks in starting.items()})

    @property
    def levels(self) -> tuple[Level, ...]:
        return tuple(self._levels.values())

    def level(self, level_id: str) -> Level | None:
        return self._levels.get(level_id)

    def track(self, track_id: str) -> Track | None:
        return self._tracks.get(track_id)

    def competency(self, competency_id: str) -> Competency | None:
        return self._competencies.get(competency_id)

    def track_of(self, level: Level) -> Track:
        return self._tracks[level.track_id]

    def competencies_for(self, track_id: str) -> tuple[Competency, ...]:
        return tuple(c for c in self.competencies if track_id in c.tracks)

    def competencies_at(self, level: Level) -> tuple[Competency, ...]:
        """The competencies a level is judged on: those it states an expectation for (else all of its track's)."""
        stated = tuple(c for c in self.competencies_for(level.track_id) if c.id in level.expectations)
        return stated or self.competencies_for(level.track_id)

    # -- where a level leads: its track, and the tracks that start after it ------------------------------

    def tracks_starting_after(self, level: Level) -> tuple[Track, ...]:
        """The tracks that continue from ``level`` (a trunk that forks), in file order."""
        return self._starting_after.get(level.id, ())

    def next_levels(self, level: Level) -> tuple[Level, ...]:
        """The next level on its track, then the first level of every track that starts after it."""
        levels = self.track_of(level).levels
        following = (levels[level.rank + 1],) if level.rank + 1 < len(levels) else ()
        return following + tuple(track.levels[0] for track in self.tracks_starting_after(level))

    def next_level(self, level: Level) -> Level | None:
        """The first of :meth:`next_levels`: the next level on its track, else the first of a track that starts after it."""
        following = self.next_levels(level)
        return following[0] if following else None

    def previous_level(self, level: Level) -> Level | None:
        """The level below on its track; for the first level of a track that starts after a level, that level."""
        if level.rank > 0:
            return self.track_of(level).levels[level.rank - 1]
        starts_after = self.track_of(level).starts_after
        return self.level(starts_after) if starts_after else None

    def path_between(self, low: Level, high: Level) -> tuple[Level, ...] | None:
        """The levels from ``low`` up to ``high`` (both included) following :meth:`next_levels`, or None when ``high``
        is not above ``low`` (another branch of a fork, another track, below it)."""
        path = [high]
        while path[-1].id != low.id:
            below = self.previous_level(path[-1])
            if below is None or len(path) > len(self._levels):
                return None
            path.append(below)
        return tuple(reversed(path))

    # -- equivalence: groups of parallel levels, one per track ----------------------------------------------

    @property
    def has_equivalents(self) -> bool:
        """Whether the file names any equivalence at all."""
        return any(len(group) > 1 for group in self._groups.values())

    def equivalence_group(self, level: Level) -> tuple[Level, ...]:
        """Every level of ``level``'s group, itself included, one per track, in track order."""
        return self._groups.get(level.id, (level,))

    def equivalents_of(self, level: Level) -> tuple[Level, ...]:
        """The other levels of its group of equivalents, one per track, in track order."""
        return tuple(other for other in self.equivalence_group(level) if other.id != level.id)

    def equivalent_of(self, level: Level, track_id: str | None = None) -> Level | None:
        """The level equivalent to ``level`` on ``track_id`` (on any other track when None: the first in track order)."""
        return next((o for o in self.equivalents_of(level) if track_id is None or o.track_id == track_id), None)

    def levels_apart(self, level_id: str, target: Level) -> int | None:
        """How many levels ``level_id`` stands above ``target`` (negative: below; 0: the same standing). Levels compare
        along one track, along a trunk and the track that forks from it, and through their equivalents. None when the
        file does not say how they compare (two branches of a fork with no equivalents between them)."""
        level = self.level(level_id)
        if level is None:
            return None
        direct = self._steps_apart(level, target)
        if direct is not None:
            return direct
        for one in self.equivalence_group(level):
            for other in self.equivalence_group(target):
                apart = self._steps_apart(one, other)
                if apart is not None:
                    return apart
        return None

    def _steps_apart(self, level: Level, target: Level) -> int | None:
        if level.track_id == target.track_id:
            return level.rank - target.rank
        up = self.path_between(target, level)
        if up is not None:
            return len(up) - 1
        down = self.path_between(level, target)
        return -(len(down) - 1) if down is not None else None

    def switch_targets(self, level: Level) -> tuple[tuple[SwitchPoint, Level], ...]:
        """The switching points from ``level``, each with the level it leads to."""
        return tuple((sp, self._levels[sp.to]) for sp in level.switch_points)

    def sections_of(self, *kinds: str) -> tuple[Section, ...]:
        """The framework's prose sections of these kinds, in file order."""
        return tuple(section for section in self.sections if section.kind in kinds)


def _equivalence_groups(tracks: tuple[Track, ...], levels: Mapping[str, Level]) -> dict[str, tuple[Level, ...]]:
    """level id -> its group of equivalent levels (in track order), for every level named in a link either way."""
    parent: dict[str, str] = {}

    def root(level_id: str) -> str:
        while parent.setdefault(level_id, level_id) != level_id:
            parent[level_id] = parent[parent[level_id]]
            level_id = parent[level_id]
        return level_id

    for level in levels.values():
        for other in level.equivalents:
            if other in levels and other != level.id:
                parent[root(level.id)] = root(other)
    members: dict[str, list[Level]] = {}
    for track in tracks:
        for level in track.levels:
            if level.id in parent:
                members.setdefault(root(level.id), []).append(level)
    return {level.id: tuple(group) for group in members.values() if len(group) > 1 for level in group}

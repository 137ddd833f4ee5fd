"""Which thing a phrase means when the framework has several under that name, decided by the question's other words.

Two kinds of clash are told apart differently:

- things of different kinds (a track named like its first level, a competency named like a track) are told apart
  by the words next to the phrase: "the Field Technician *track*", "*a* Field Technician", "the Writing *skill*";
  with no such word a level is meant, then a competency, then a track;
- things of one kind (the same title on two tracks, "Expert 2" on the specialist and leadership tracks, "Principal" in two
  families) are told apart by the tracks and levels the question names beside them ("Expert 2 on the leadership
  track", "Expert 2 vs Master 1"), or by a choice made before (a "did you mean" button). What is still open is
  returned as an :class:`Ambiguity`, for the answer to ask about: never a silent pick.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from bot.framework.model import Competency, Level, Track
from bot.questions.groups import Group
from bot.questions.vocabulary import Mention, Named

TRACK_WORDS = frozenset("track tracks ladder ladders path paths family families stream streams career".split())
COMPETENCY_WORDS = frozenset(
    """competency competencies skill skills area areas dimension dimensions capability capabilities attribute
    attributes pillar pillars behaviour behaviours behavior behaviors""".split()
)
LEVEL_WORDS = frozenset("level levels role roles position positions title titles grade grades".split())
_ARTICLES = frozenset("a an".split())
_COMPETENCY_AFTER = frozenset("look looks looking at".split())
_INTO = frozenset("into".split())
""""Move *into* Architecture": where a person goes is a track, when a competency shares its name."""
""""What does *Writing* look like at Senior", "*Writing* at Senior": a competency at a level."""


@dataclass(frozen=True)
class Ambiguity:
    """A phrase the question used that names several things, none of them picked by the question."""

    phrase: str
    options: tuple[Named, ...]
    start: int


@dataclass(frozen=True)
class Meanings:
    things: tuple[tuple[Named, int], ...]
    """What each settled mention means, with where it was written."""
    ambiguities: tuple[Ambiguity, ...]


def key_of(thing: Named) -> str:
    """How a choice of meaning is written down (in a button): kind and id, unique across the framework."""
    if isinstance(thing, Group):
        return f"group:{thing.id}"
    kind = "level" if isinstance(thing, Level) else "competency" if isinstance(thing, Competency) else "track"
    return f"{kind}:{thing.id}"


def track_ids_of(thing: Named) -> frozenset[str]:
    if isinstance(thing, Level):
        return frozenset({thing.track_id})
    if isinstance(thing, Competency):
        return frozenset(thing.tracks)
    if isinstance(thing, Group):
        return frozenset(t for c in thing.competencies for t in c.tracks)
    return frozenset({thing.id})


def settle(
    mentions: Sequence[Mention],
    words: Sequence[str],
    chosen: Iterable[str] = (),
    *,
    across: bool = False,
    context: frozenset[str] = frozenset(),
) -> Meanings:
    """What each mention means. ``chosen``: :func:`key_of` of meanings picked before. ``across``: the question asks
    for a counterpart on another track ("the leadership equivalent of Expert 2"), so a track it names is where the
    answer lies, not where the phrase's level is. ``context``: tracks the question's other words point to without
    naming them ("for product managers"), consulted after the tracks and levels it names."""
    picked = frozenset(chosen)
    options: list[Sequence[Named]] = [_by_kind(_chosen(m.options, picked), m, words) for m in mentions]
    settled: dict[int, Named] = {i: o[0] for i, o in enumerate(options) if len(o) == 1}
    changed = True
    while changed and len(settled) < len(options):
        changed = False
        for index, choices in enumerate(options):
            if index in settled:
                continue
            others = [thing for i, thing in settled.items() if i != index]
            narrowed = _by_context(choices, others, across, context)
            if len(narrowed) == 1:
                settled[index] = narrowed[0]
                changed = True
            options[index] = narrowed
    things = tuple((settled[i], mentions[i].start) for i in sorted(settled))
    ambiguities = tuple(
        Ambiguity(" ".join(words[m.start : m.end]), tuple(options[i]), m.start)
        for i, m in enumerate(mentions)
        if i not in settled
    )
    return Meanings(things, ambiguities)


def _chosen(options: tuple[Named, ...], picked: frozenset[str]) -> tuple[Named, ...]:
    if len(options) < 2 or not picked:
        return options
    kept = tuple(o for o in options if key_of(o) in picked)
    return kept or options


def _by_kind(options: tuple[Named, ...], mention: Mention, words: Sequence[str]) -> tuple[Named, ...]:
    """Keep one kind of thing: the one the words beside the phrase name, else a level, a competency, a track."""
    kinds = {type(o) for o in options}
    if len(kinds) < 2:
        return options
    before = words[mention.start - 1] if mention.start > 0 else ""
    after = words[mention.end] if mention.end < len(words) else ""
    beside = {before, after}
    wanted: list[type] = []
    if beside & TRACK_WORDS or before in _INTO:
        wanted.append(Track)
    if beside & COMPETENCY_WORDS or after in _COMPETENCY_AFTER:
        wanted.append(Competency)
    if beside & LEVEL_WORDS or before in _ARTICLES:
        wanted.append(Level)
    for kind in (*wanted, Level, Competency, Track):
        if kind in kinds:
            return tuple(o for o in options if isinstance(o, kind))
    return options


def _by_context(
    options: Sequence[Named], others: list[Named], across: bool, context: frozenset[str] = frozenset()
) -> list[Named]:
    """Narrow options of one kind by the tracks the rest of the question is about."""
    narrowed = list(options)
    for named, away in (
        ({t.id for t in others if isinstance(t, Track)}, across),
        ({lv.track_id for lv in others if isinstance(lv, Level)}, across),
        ({t for c in others if isinstance(c, Competency) for t in c.tracks}, False),
        (set(context), across),
    ):
        if not named:
            continue
        kept = [o for o in narrowed if bool(track_ids_of(o) & named) != away]
        if kept:
            narrowed = kept
        if len(narrowed) == 1:
            break
    return narrowed

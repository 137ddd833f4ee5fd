"""Turn a free-text career question into a :class:`Question`: what is asked, about which levels.

The parser never fails: text it cannot place becomes ``Intent.UNKNOWN``, which is answered
with what Ladder can answer. Names are recognised by :mod:`bot.questions.vocabulary`; the
intent comes from the words around them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache

from bot.framework.model import Competency, Framework, Level, Track
from bot.framework.names import normalize
from bot.questions.vocabulary import Vocabulary

MAX_QUESTION_CHARS = 1_000
"""Longer text is cut before parsing: a question is a sentence, not an essay, and this bounds work."""

_SLACK_TOKEN = re.compile(r"<[@#!][^>]*>")


class Intent(Enum):
    HELP = "help"
    UNKNOWN = "unknown"
    LEVEL = "level"
    COMPARE = "compare"
    EQUIVALENT = "equivalent"
    NEXT_LEVEL = "next_level"
    COMPETENCY = "competency"
    COMPETENCY_AT_LEVEL = "competency_at_level"
    SWITCH = "switch"
    LADDER = "ladder"
    PROMOTION = "promotion"
    COMPETENCIES = "competencies"
    MY_NEXT = "my_next"
    MY_GAP = "my_gap"


@dataclass(frozen=True)
class Question:
    intent: Intent
    levels: tuple[Level, ...] = ()
    competencies: tuple[Competency, ...] = ()
    tracks: tuple[Track, ...] = ()
    text: str = field(default="", compare=False)
    same_level_twice: bool = False
    """The same level was named more than once ("staff vs staff")."""

    @property
    def is_personal(self) -> bool:
        """Whether the answer depends on who asks (their recorded level)."""
        return self.intent in _PERSONAL_INTENTS


_PERSONAL_INTENTS = frozenset({Intent.MY_NEXT, Intent.MY_GAP, Intent.SWITCH})


def _words(*phrases: str) -> frozenset[str]:
    return frozenset(w for p in phrases for w in p.split())


_HELP = _words("help hi hello hey usage commands")
_PERSONAL = _words("i me my mine im ive myself")
_SWITCH = _words(
    "switch switching switched transfer transition transitioning move moving change changing become becoming go going join jump cross pivot back return returning"
)
_EQUIVALENT = _words(
    "equivalent equivalents same equal equals equivalence parallel counterpart counterparts corresponds correspond corresponding comparable maps mapped mapping peer peers"
)
_LADDER = _words("ladder ladders overview framework tracks chart matrix structure list all")
_NEXT = _words("next after above higher beyond following")
_PROMOTION = _words("promotion promotions promoted promote promoting")
_GAP = _words("need needs required require requirements missing gap get reach achieve ready")
_COMPARE = _words(
    "difference differences differ different vs versus compare compared comparison between changes changed below before under previous preceding prior lower"
)
_LEVELS_WORD = _words("levels")
_COMPETENCIES_WORD = _words("competencies competency skills")
_ABBREVIATIONS = {
    "sr": "senior",
    "snr": "senior",
    "jr": "junior",
    "eng": "engineer",
    "engr": "engineer",
    "mgr": "manager",
    "dir": "director",
    "mgmt": "management",
    "diff": "difference",
    "whats": "what",
}
"""Shorthand people type, expanded unless the framework itself uses it as a name."""


class QuestionParser:
    """Parses questions against one framework; build once, reuse for every question."""

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self.vocabulary = Vocabulary(framework)
        self._parse_cached = lru_cache(maxsize=1024)(self._parse)

    def parse(self, text: str) -> Question:
        """Parse ``text``; the same text always parses the same way, so recent results are reused."""
        return self._parse_cached(text or "")

    def _parse(self, text: str) -> Question:
        cleaned = _SLACK_TOKEN.sub(" ", text)[:MAX_QUESTION_CHARS]
        words = [w if self.vocabulary.knows(w) else _ABBREVIATIONS.get(w, w) for w in normalize(cleaned).split()]
        if not words:
            return Question(Intent.HELP, text=cleaned)
        levels: list[Level] = []
        competencies: list[Competency] = []
        tracks: list[Track] = []
        level_mentions = 0
        for mention in self.vocabulary.find(words):
            bucket = (
                levels if isinstance(mention.thing, Level) else competencies if isinstance(mention.thing, Competency) else tracks
            )
            level_mentions += bucket is levels
            if mention.thing not in bucket:
                bucket.append(mention.thing)  # type: ignore[arg-type]
        same_level_twice = len(levels) == 1 and level_mentions > 1
        intent = Intent.COMPARE if same_level_twice and not competencies else _classify(set(words), levels, competencies, tracks)
        return Question(intent, tuple(levels), tuple(competencies), tuple(tracks), cleaned, same_level_twice)


_SWITCH_OBJECTS = frozenset(
    {
        "track",
        "tracks",
        "management",
        "manager",
        "managers",
        "managing",
        "ic",
        "individual",
        "contributor",
        "path",
        "ladder",
        "people",
    }
)
"""What a person switches to, in questions that name no track of the file ("how do I switch to management?")."""


def _classify(words: set[str], levels: list[Level], competencies: list[Competency], tracks: list[Track]) -> Intent:
    personal = bool(words & _PERSONAL)
    names_a_track_elsewhere = any(t.id != lv.track_id for t in tracks for lv in levels) or (tracks and not levels)
    if not (levels or competencies or tracks):
        if words & _HELP:
            return Intent.HELP
        if personal and words & _NEXT:
            return Intent.MY_NEXT
        if personal and words & (_GAP | _PROMOTION):
            return Intent.MY_GAP
        if words & _PROMOTION:
            return Intent.PROMOTION
        if words & _COMPETENCIES_WORD:
            return Intent.COMPETENCIES
        if words & _SWITCH and words & _SWITCH_OBJECTS:
            return Intent.SWITCH
        if words & (_LADDER | _LEVELS_WORD) or words & _EQUIVALENT:
            return Intent.LADDER
        return Intent.UNKNOWN
    if words & _SWITCH and (tracks or _spans_tracks(levels)) and not words & _EQUIVALENT:
        return Intent.SWITCH
    if levels and (words & _EQUIVALENT or names_a_track_elsewhere and not competencies):
        return Intent.EQUIVALENT
    if tracks and not levels and not competencies:
        return Intent.LADDER
    if competencies and not levels:
        return Intent.COMPETENCY
    if personal and levels and words & (_GAP | _PROMOTION | _SWITCH):
        return Intent.MY_GAP
    if len(levels) >= 2:
        return Intent.COMPARE
    if competencies:
        return Intent.COMPETENCY_AT_LEVEL
    if words & _NEXT or (words & _PROMOTION and "to" not in words):
        return Intent.NEXT_LEVEL
    if words & _COMPARE or words & _PROMOTION or words & _GAP and words & {"get", "reach", "become"}:
        return Intent.COMPARE
    return Intent.LEVEL


def _spans_tracks(levels: list[Level]) -> bool:
    return len({lv.track_id for lv in levels}) > 1

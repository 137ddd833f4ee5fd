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
from typing import Iterable, Mapping, TypeVar

from bot.framework.model import Competency, Framework, Level, Track
from bot.framework.names import normalize, question_words
from bot.questions.groups import Group
from bot.questions.meanings import Ambiguity, settle
from bot.questions.question_words import BUILT_IN
from bot.questions.search import STOP_WORDS
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
    COMPETENCY_CHANGE = "competency_change"
    """Two levels and a competency: how that competency's expectation changes between them."""
    TIME = "time"
    """How long between two levels, or at each level."""
    MY_TIME = "my_time"
    """How long to a level from the asker's own level (or from the first level when it is not recorded)."""


@dataclass(frozen=True)
class Question:
    intent: Intent
    levels: tuple[Level, ...] = ()
    competencies: tuple[Competency, ...] = ()
    tracks: tuple[Track, ...] = ()
    text: str = field(default="", compare=False)
    same_level_twice: bool = False
    """The same level was named more than once ("staff vs staff")."""
    ambiguities: tuple[Ambiguity, ...] = ()
    """Phrases that name several things the question does not choose between: the answer asks which was meant."""
    chosen: tuple[str, ...] = ()
    """Meanings picked before for such phrases (``meanings.key_of``), as a "did you mean" button asks again."""
    group: Group | None = None
    """A category of competencies the question names ("what does Craft cover?"): its competencies are in
    ``competencies``, and the answer is about the group as a whole."""

    @property
    def is_personal(self) -> bool:
        """Whether the answer depends on who asks (their recorded level)."""
        return self.intent in _PERSONAL_INTENTS


_PERSONAL_INTENTS = frozenset({Intent.MY_NEXT, Intent.MY_GAP, Intent.SWITCH, Intent.MY_TIME})


def _words(*phrases: str) -> frozenset[str]:
    return frozenset(w for p in phrases for w in p.split())


_HELP = _words("help hi hello hey usage commands")
_PERSONAL = _words("i me my mine im ive myself")
_SWITCH = _words(
    "switch switching switched transfer transition transitioning move moving change changing become becoming go going join jump cross pivot back return returning"
)
_EQUIVALENT = _words(
    "equivalent equivalents same equal equals equivalence parallel counterpart counterparts corresponds correspond corresponding "
    "comparable map maps mapped mapping peer peers match matches matching matched par align aligns aligned akin analogous "
    "alike similar"
)
_LADDER = _words("ladder ladders overview framework tracks chart matrix structure list all")
_NEXT = _words("next after above higher beyond following")
_PROMOTION = _words(
    "promotion promotions promoted promote promoting promo promos progress progressing progression advance advancement"
)
_GAP = _words("need needs required require requirements missing gap get reach achieve ready")
_ARRIVE = _words("get reach become")
_COMPARE = _words(
    "difference differences differ different vs versus compare compared comparison between changes changed below before under previous preceding prior lower"
)
_LEVELS_WORD = _words("levels")
_TIME = _words("years year months month tenure duration quickly fast faster")
_TIME_WITH = _words("how take takes taking spend spent typical typically average usually")
""""long" and "time" ask about time only beside one of these ("how long", "how much time does it take")."""
_LEVELISH = _words("level levels grade grades step steps rung rungs title titles position role up stay stays staying remain")
"""A question about time that names no level is about levels only with one of these (or a word of promotion):
"how long should a stand-up meeting last?" is not."""
_COMPETENCIES_WORD = _words("competencies competency skills")
_ABBREVIATIONS = {"diff": "difference", "whats": "what"}
"""Shorthand of questions, written out unless the framework uses it as a name. (Shorthand of names, "Sr." or
"Mgr", is written out on both sides by :func:`bot.framework.names.name_words`.)"""


class QuestionParser:
    """Parses questions against one framework; build once, reuse for every question."""

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self.vocabulary = Vocabulary(framework)
        self._parse_cached = lru_cache(maxsize=1024)(self._parse)
        self.own_words = own_question_words(self, framework)

    def parse(self, text: str, chosen: tuple[str, ...] = ()) -> Question:
        """Parse ``text``; the same text always parses the same way, so recent results are reused. ``chosen``: the
        meanings picked for phrases that name several things (``meanings.key_of``, from a "did you mean" button)."""
        return self._parse_cached(text or "", tuple(chosen))

    def words_for(self, kind: str) -> frozenset[str]:
        """The words that say a question is of ``kind`` (a key of ``QUESTION_KINDS``, or ``gap`` and ``arrive``): the
        built-in English ones, the built-in ones of a few other languages (:mod:`bot.questions.question_words`, less
        any word the framework uses as a name) and the framework's own ``question_words``, each in the normal form
        of a question's words (a phrase may have several words; in a spaceless script it is cut out of the question
        by the vocabulary)."""
        built_in = frozenset(p for p in _built_in(kind) if " " in p or not self.vocabulary.knows(p))
        return _ENGLISH.get(kind, frozenset()) | built_in | self.vocabulary.question_words(kind)

    def asks_for_time(self, text: str) -> bool:
        """Whether ``text`` asks how long or how many years ("how many years of experience does X need"), in any of
        the languages the parser reads."""
        return _Asked(self.vocabulary.words(text), self.own_words).time

    def asks_to_reach(self, text: str) -> bool:
        """Whether ``text`` asks about reaching a level ("how to become", "comment devenir", "wie werde ich")."""
        return _Asked(self.vocabulary.words(text), self.own_words).arriving

    def asks(self, text: str, kind: str) -> bool:
        """Whether ``text`` holds a word of ``kind`` (a key of ``QUESTION_KINDS``: "difference", "next", …)."""
        return _Asked(self.vocabulary.words(text), self.own_words)(kind)

    def _parse(self, text: str, chosen: tuple[str, ...] = ()) -> Question:
        cleaned = _SLACK_TOKEN.sub(" ", text)[:MAX_QUESTION_CHARS]
        words = [w if self.vocabulary.knows(w) else _ABBREVIATIONS.get(w, w) for w in self.vocabulary.words(cleaned)]
        if not words:
            return Question(Intent.HELP, text=cleaned, chosen=chosen)
        across = _Asked(words, self.own_words)("equivalent")
        mentions = self.vocabulary.find(words)
        context = self.vocabulary.context_tracks(words, mentions)
        meanings = settle(mentions, words, chosen, across=across, context=context)
        levels: list[Level] = []
        competencies: list[Competency] = []
        tracks: list[Track] = []
        level_mentions = 0
        group: Group | None = None
        grouped: list[Competency] = []
        for thing, _start in meanings.things:
            if isinstance(thing, Group):
                group = group or thing
                grouped.extend(c for c in thing.competencies if c not in grouped)
                continue
            if isinstance(thing, Level):
                level_mentions += 1
                _add_once(levels, thing)
            elif isinstance(thing, Competency):
                _add_once(competencies, thing)
            else:
                _add_once(tracks, thing)
        if "1" in words and "i" not in words and "i" in self.vocabulary.words(cleaned, numbers=False):
            words.append("i")  # "senior I" is read as "senior 1"; the classifier still hears the "I"
        if group is not None:
            # a group's name is often an everyday word ("People", "Delivery"): it names the group only in a question
            # about competencies, not in one about time, the next level, switching or equivalents
            if _classify(words, levels, competencies, tracks, self.own_words) in _NOT_ABOUT_COMPETENCIES:
                group = None
            else:
                competencies.extend(c for c in grouped if c not in competencies)
        same_level_twice = len(levels) == 1 and level_mentions > 1
        intent = (
            Intent.COMPARE
            if same_level_twice and not competencies
            else _classify(words, levels, competencies, tracks, self.own_words)
        )
        return Question(
            intent,
            tuple(levels),
            tuple(competencies),
            tuple(tracks),
            cleaned,
            same_level_twice,
            meanings.ambiguities,
            chosen,
            group,
        )


_NOT_ABOUT_COMPETENCIES = frozenset(
    {Intent.TIME, Intent.MY_TIME, Intent.NEXT_LEVEL, Intent.MY_NEXT, Intent.SWITCH, Intent.EQUIVALENT, Intent.PROMOTION}
)
"""Questions in which a competency group's name is an everyday word, not the group."""


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
"""What a person switches to, in questions that name no track of the file ("how do I switch to leading people?")."""


QUESTION_KINDS: dict[str, frozenset[str]] = {
    "difference": _COMPARE,
    "next": _NEXT,
    "equivalent": _EQUIVALENT,
    "switch": _SWITCH,
    "promotion": _PROMOTION,
    "ladder": _LADDER | _LEVELS_WORD,
    "competencies": _COMPETENCIES_WORD,
    "help": _HELP,
    "personal": _PERSONAL,
    "time": _TIME,
}
"""The built-in English words of each kind of question a framework's ``question_words`` can add to."""


@lru_cache(maxsize=None)
def _built_in(kind: str) -> frozenset[str]:
    """The built-in words of ``kind`` in languages other than English, in the normal form of a question's words."""
    return frozenset(n for n in (" ".join(question_words(p, ())) for p in BUILT_IN.get(kind, ())) if n)


GENERIC_WORDS = _words(
    "level role roles job jobs position positions title titles grade grades step steps career careers expectations "
    "expectation expected expect requirement look looks like mean meaning means side whole entire full complete every each "
    "behaviour behaviours behavior behaviors responsibility responsibilities duties"
)
"""Career words that say no subject on their own ("what's my next level?")."""

_ENGLISH: dict[str, frozenset[str]] = {**QUESTION_KINDS, "gap": _GAP, "arrive": _ARRIVE, "generic": GENERIC_WORDS}
"""The English words of every kind the parser reads: those a file can add to, and what a level needs ("need"),
reaching a level ("become") and words with no subject ("expected"), for which only the built-in words of other
languages are added."""

INTENT_WORDS = frozenset().union(*QUESTION_KINDS.values(), _GAP, _SWITCH_OBJECTS, _TIME_WITH, _LEVELISH, {"long", "time"})
"""Every word that says what kind of question it is rather than what it is about."""

_SPACELESS_SCRIPT = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")


def own_question_words(parser: object, framework: Framework) -> dict[str, tuple[str, ...]]:
    """A framework's own words for each kind of question (beyond the built-in ones), normalised like a question's
    words: from the parser's ``words_for(kind)`` when it has one, else from ``framework.question_words``."""
    words_for = getattr(parser, "words_for", None)
    stated = getattr(framework, "question_words", None) or {}
    found: dict[str, tuple[str, ...]] = {}
    for kind in _ENGLISH:
        phrases = words_for(kind) if callable(words_for) else stated.get(kind, ())
        normalised = tuple(dict.fromkeys(n for n in (normalize(str(p)) for p in phrases) if n and n not in _ENGLISH[kind]))
        if normalised:
            found[kind] = normalised
    return found


class _Asked:
    """Which kinds of question a question's words say: the built-in English words, plus the framework's own
    (a phrase of words, or text in a script written without spaces found anywhere in the question)."""

    def __init__(self, words: Iterable[str], own: Mapping[str, tuple[str, ...]]) -> None:
        listed = list(words)
        self.words = set(listed)
        self._text = " " + " ".join(listed) + " "
        self._own = own

    def __call__(self, kind: str) -> bool:
        if self.words & _ENGLISH[kind]:
            return True
        single, phrases = _split(self._own.get(kind, ()))
        return bool(self.words & single) or any(
            (phrase in self._text if _SPACELESS_SCRIPT.search(phrase) else f" {phrase} " in self._text) for phrase in phrases
        )

    def any_of(self, words: frozenset[str]) -> bool:
        return bool(self.words & words)

    @property
    def gap(self) -> bool:
        """ "need", "missing", "ready" (what a level asks of someone), in English or another language."""
        return self("gap")

    @property
    def arriving(self) -> bool:
        """ "get", "reach", "become" (to a level), in English or another language."""
        return self("arrive")

    @property
    def subject(self) -> set[str]:
        """The words that say what the question is about, rather than what kind of question it is."""
        own = {w for phrases in self._own.values() for phrase in phrases for w in phrase.split()}
        return self.words - INTENT_WORDS - GENERIC_WORDS - STOP_WORDS - own

    @property
    def time(self) -> bool:
        """ "how long", "how much time does it take", "how many years", or the framework's own words for time."""
        return self("time") or bool(self.words & {"long", "time"} and self.words & _TIME_WITH)


def _classify(
    words: Iterable[str],
    levels: list[Level],
    competencies: list[Competency],
    tracks: list[Track],
    own_words: Mapping[str, tuple[str, ...]] | None = None,
) -> Intent:
    asked = _Asked(words, own_words or {})
    personal = asked("personal")
    gap = asked.gap or asked("promotion")
    names_a_track_elsewhere = any(t.id != lv.track_id for t in tracks for lv in levels) or (tracks and not levels)
    if not (levels or competencies or tracks):
        if asked("help") and not asked.subject:
            return Intent.HELP
        if asked.time and (asked("promotion") or asked("next") or asked.any_of(_LEVELISH)):
            return Intent.MY_TIME if personal else Intent.TIME
        if personal and asked("next"):
            return Intent.MY_NEXT
        if personal and gap:
            return Intent.MY_GAP
        if asked("promotion"):
            return Intent.PROMOTION
        if asked("competencies"):
            return Intent.COMPETENCIES
        if asked("switch") and asked.any_of(_SWITCH_OBJECTS):
            return Intent.SWITCH
        if asked("ladder") or asked("equivalent"):
            return Intent.LADDER
        return Intent.UNKNOWN
    if asked("switch") and (tracks or _spans_tracks(levels)) and not asked("equivalent") and not competencies:
        return Intent.SWITCH
    branches = any(t.starts_after == lv.id for t in tracks for lv in levels)  # "after X on the track forking from X"
    if levels and asked("next") and branches and not asked("equivalent"):
        return Intent.NEXT_LEVEL
    if levels and (asked("equivalent") or names_a_track_elsewhere and not competencies):
        return Intent.EQUIVALENT
    if tracks and not levels and not competencies:
        return Intent.LADDER
    if competencies and not levels:
        return Intent.COMPETENCY
    if asked.time and not competencies:  # "tenure expected of a Principal": a competency named with time words
        return Intent.TIME if len(levels) >= 2 else Intent.MY_TIME
    if len(levels) >= 2 and competencies:
        return Intent.COMPETENCY_CHANGE
    if personal and (gap or asked("switch")):
        return Intent.MY_GAP
    if len(levels) >= 2:
        return Intent.COMPARE
    if competencies:
        return Intent.COMPETENCY_AT_LEVEL
    if asked("next") or (asked("promotion") and "to" not in asked.words):
        return Intent.NEXT_LEVEL
    if asked("difference") or asked("promotion") or asked.gap and asked.arriving:
        return Intent.COMPARE
    return Intent.LEVEL


@lru_cache(maxsize=256)
def _split(phrases: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """Question words of one kind: the single words (looked up among the question's words) and the phrases and
    spaceless-script text (looked for in its text)."""
    single = frozenset(p for p in phrases if " " not in p and not _SPACELESS_SCRIPT.search(p))
    return single, tuple(p for p in phrases if p not in single)


def _spans_tracks(levels: list[Level]) -> bool:
    return len({lv.track_id for lv in levels}) > 1


Thing = TypeVar("Thing", Level, Competency, Track)


def _add_once(things: list[Thing], thing: Thing) -> None:
    if thing not in things:
        things.append(thing)

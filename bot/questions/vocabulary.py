"""Find the levels, competencies and tracks a question mentions, the way a person writes them.

Names come from the framework only (ids, titles, aliases, names), so a renamed level or a
sales ladder works without code changes. Matching is exact on the longest phrase first, then
forgiving of typos ("staf", "principle") for words long enough that a typo cannot be mistaken
for an ordinary word.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from rapidfuzz import fuzz, process

from bot.framework.model import Competency, Framework, Level, Track
from bot.framework.names import normalize

Named = Union[Level, Competency, Track]

_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6"}
_ARABIC = {v: k for k, v in _ROMAN.items()}

# Ordinary words of questions: never typo-matched to a name ("stuff" is not "staff").
_PLAIN_WORDS = frozenset(
    """
    about above after again also and answer any are ask back become before being below between
    career change changes choose come comes compare could define describe difference different does doing
    down each equal equivalent example expect expected expectations explain from give going have help
    here higher into just know ladder level levels like look looks lower mean means meaning move need
    needs next other over path promote promoted promotion really require required role same says should
    show side skills some stay still step such switch take tell than that their them then there these
    they thing think this those through track tracks under what when where which while with work would
    your yours want tech team lead good great best most more less makes made make stuff start principles direction directions distinguish
    """.split()
)


@dataclass(frozen=True)
class Mention:
    thing: Named
    start: int
    """Index of the first token of the phrase, to keep mentions in the order they were written."""
    exact: bool


class Vocabulary:
    """Every name in a framework, indexed for lookup by phrase."""

    def __init__(self, framework: Framework) -> None:
        self._by_phrase: dict[tuple[str, ...], Named] = {}
        for track in framework.tracks:
            self._add(track, track.id, track.name, *track.aliases)
        for competency in framework.competencies:
            self._add(competency, competency.id, competency.name, *competency.aliases)
        for level in framework.levels:
            self._add(level, level.id, level.title, *level.aliases)
        self._longest = max((len(p) for p in self._by_phrase), default=1)
        self._by_length: dict[int, dict[str, Named]] = {}
        for phrase, thing in self._by_phrase.items():
            self._by_length.setdefault(len(phrase), {})[" ".join(phrase)] = thing

    def _add(self, thing: Named, *names: str) -> None:
        for name in names:
            words = tuple(normalize(str(name)).split())
            if not words:
                continue
            for variant in _numeral_variants(words):
                self._by_phrase.setdefault(variant, thing)

    def knows(self, word: str) -> bool:
        """Whether ``word`` on its own is a name in this framework."""
        return (word,) in self._by_phrase

    def find(self, words: list[str]) -> list[Mention]:
        """Mentions in ``words`` (already normalised), longest exact phrases first, then typos."""
        taken = [False] * len(words)
        found: list[Mention] = []
        for size in range(min(self._longest, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                if any(taken[start : start + size]):
                    continue
                thing = self._by_phrase.get(tuple(words[start : start + size]))
                if thing is not None:
                    found.append(Mention(thing, start, exact=True))
                    taken[start : start + size] = [True] * size
        for size in (3, 2, 1):
            for start in range(len(words) - size + 1):
                if any(taken[start : start + size]):
                    continue
                thing = self._fuzzy(words[start : start + size])
                if thing is not None:
                    found.append(Mention(thing, start, exact=False))
                    taken[start : start + size] = [True] * size
        return sorted(found, key=lambda m: m.start)

    def _fuzzy(self, window: list[str]) -> Named | None:
        if any(w in _PLAIN_WORDS or len(w) < 4 or w.isdigit() for w in window):
            return None
        candidates = self._by_length.get(len(window))
        if not candidates:
            return None
        cutoff = 80 if len(window) == 1 else 85
        match = process.extractOne(" ".join(window), candidates.keys(), scorer=fuzz.ratio, score_cutoff=cutoff)
        return candidates[match[0]] if match else None


def _numeral_variants(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """ "software engineer ii" is also "software engineer 2", and the other way round."""
    last = words[-1]
    other = _ROMAN.get(last) or _ARABIC.get(last)
    if other is None or len(words) == 1:
        return [words]
    return [words, (*words[:-1], other)]


def competency_named(framework: Framework, text: str) -> Competency | None:
    """The competency a phrase names ("tech depth", "mentoring"), tolerating typos; None if it names none."""
    for mention in Vocabulary(framework).find(normalize(text).split()):
        if isinstance(mention.thing, Competency):
            return mention.thing
    return None

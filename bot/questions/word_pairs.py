"""Two words of a title, in either order, as a name of the one level whose title holds both.

People shorten a title to its role and its seniority, and in Romance languages the seniority comes after the noun:
"juriste senior" for "Juriste d'affaires senior", "químico senior" for "Químico de Procesos Senior", and in
English "senior chemist" for "Senior Process Chemist". A pair of a seniority word and another word of a title is a name
of that level when no other level's title holds both words and no name of the framework is already those words.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from bot.framework.model import Framework, Level
from bot.framework.names import name_words
from bot.framework.spoken_names import SENIORITY_WORDS, STOPWORDS

SENIORITY_ELSEWHERE = frozenset(
    """
    confirme confirmee experimente experimentee experimentado experimentada experiente pleno plena medior
    intermediaire intermedio intermedia avance avancee avanzado avanzada chef jefe responsable
    """.split()
)
"""Words of seniority in French, Spanish, Portuguese and Dutch titles (accents dropped, as names compare)."""
MIN_WORD = 4
"""Letters the other word of a pair needs: a short word ("de", "IT") says too little to pick a level."""
MAX_TITLE_WORDS = 8
"""Words of a title read for pairs (bounds the pairs one title makes)."""


def pair_names(framework: Framework) -> Iterator[tuple[tuple[str, ...], Level]]:
    """Each pair of words (both orders) that names exactly one level, with that level. Titles of one or two words
    are left out: their pair is the title itself."""
    seniority = SENIORITY_WORDS | SENIORITY_ELSEWHERE
    holders: dict[frozenset[str], list[Level]] = defaultdict(list)
    for level in framework.levels:
        words = [w for w in name_words(level.title)[:MAX_TITLE_WORDS] if w.isalpha() and w not in STOPWORDS]
        if len(words) < 3:
            continue
        pairs = {frozenset((s, w)) for s in words if s in seniority for w in words if w != s and len(w) >= MIN_WORD}
        for pair in pairs:
            holders[pair].append(level)
    every_title = [set(name_words(level.title)) for level in framework.levels]
    for pair, levels in holders.items():
        if len(levels) != 1 or sum(pair <= title for title in every_title) != 1:
            continue
        first, second = sorted(pair)
        yield (first, second), levels[0]
        yield (second, first), levels[0]

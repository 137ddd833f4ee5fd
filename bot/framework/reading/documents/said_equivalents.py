"""Equivalents said in prose: "a P3 and a K3 are on a par, and so are P4 and K4", "Senior Engineer is
equivalent to Engineering Manager".

A sentence of the framework's text (its description, a track's, a section) that says levels are at the same level —
an equivalence phrase in one of several languages, no negation — and names levels of two tracks in pairs (each pair
one level of one track and one of another, in the order written) makes each pair equivalent. A sentence naming one
level ("A Research Manager is at the same level as an R4", where no level is called Research Manager), an odd
number of levels, two of one track side by side, or a name several levels share, names no equivalent: the sentence
stays prose and answers quote it.
"""

from __future__ import annotations

import re

from bot.framework.reading.documents.placing import Placing
from bot.framework.reading.draft import Draft, DraftLevel, DraftTrack
from bot.framework.reading.titles import is_code

_SAME = re.compile(
    r"\b(?:same|equal|equivalent|on\s+(?:a\s+)?par|parallel\s+to|correspond\w*|matches|mirrors)\b|≈|\s=\s"
    r"|\b(?:gleichwertig|entspricht|entsprechen|gleiche[nr]?\s+(?:stufe|ebene|band)|selbe[nr]?\s+(?:stufe|ebene|band)"
    r"|equivalente|mesmo\s+n[ií]vel|mismo\s+nivel|corresponde|même\s+niveau|équivalent\w*|stesso\s+livello"
    r"|эквивалент\w*|соответству\w*|тот\s+же\s+уровень)\b",
    re.I,
)
_NEGATION = re.compile(r"\b(?:not|no|never|nicht|kein\w*|não|nunca|pas|non|ne)\b|n't\b", re.I)
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
MAX_SENTENCE = 600
"""Characters of one sentence looked at (a longer run is a paragraph without stops, not a sentence)."""


class SaidEquivalents(Placing):
    """Step 5c: equivalents the framework's prose names."""

    def _said_equivalents(self) -> None:
        said_equivalents(self.draft)


def said_equivalents(draft: Draft) -> None:
    """Equivalents the sentences of ``draft``'s text name (its description, its tracks', its sections'), whichever
    reader read them: a document's prose or a spreadsheet's notes ("E4 is equivalent to M1, and E5 to M2")."""
    if len(draft.tracks) < 2:
        return
    names = _level_name_patterns(draft)
    if not names:
        return
    texts = [p.text for p in draft.description]
    texts += [p.text for track in draft.tracks for p in track.description]
    texts += [p.text for section in draft.sections for p in section.pieces]
    for text in texts:
        for sentence in _SENTENCES.split(text):
            if len(sentence) <= MAX_SENTENCE and _SAME.search(sentence) and not _NEGATION.search(sentence):
                _pair_up(_mentions(sentence, names))


def _level_name_patterns(draft: Draft) -> list[tuple[re.Pattern[str], list[tuple[DraftTrack, DraftLevel]]]]:
    """A pattern per name levels go by (codes as written; titles of two words or more in any case, of one word
    capitalised), with the levels it names, longest names first."""
    by_name: dict[str, list[tuple[DraftTrack, DraftLevel]]] = {}
    for track in draft.tracks:
        for level in track.levels:
            for name in dict.fromkeys([level.title, *level.aliases]):
                flat = " ".join(name.split())
                if len(flat) >= 2:
                    by_name.setdefault(flat, []).append((track, level))
    patterns = []
    for name in sorted(by_name, key=len, reverse=True):
        body = r"\s+".join(re.escape(word) for word in name.split())
        loose = len(name.split()) >= 2 and not is_code(name)
        flags = re.I if loose else 0
        patterns.append((re.compile(rf"(?<!\w){body}(?!\w)", flags), by_name[name]))
    return patterns


def _pair_up(mentions: list[list[tuple[DraftTrack, DraftLevel]]]) -> None:
    if len(mentions) < 2 or len(mentions) % 2 or any(len(m) != 1 for m in mentions):
        return
    pairs = [(mentions[k][0], mentions[k + 1][0]) for k in range(0, len(mentions), 2)]
    if any(a[0] is b[0] for a, b in pairs):
        return
    for (_track, level), (_other_track, other) in pairs:
        if not any(e is other for e in level.equivalents) and not any(e is level for e in other.equivalents):
            level.equivalents.append(other)


def _mentions(
    sentence: str, names: list[tuple[re.Pattern[str], list[tuple[DraftTrack, DraftLevel]]]]
) -> list[list[tuple[DraftTrack, DraftLevel]]]:
    """The levels a sentence names, in order, longest names first and never overlapping; a level named twice in a row
    counts once."""
    taken: list[tuple[int, int, list[tuple[DraftTrack, DraftLevel]]]] = []
    for pattern, levels in names:
        for match in pattern.finditer(sentence):
            if all(match.end() <= start or match.start() >= end for start, end, _ in taken):
                taken.append((match.start(), match.end(), levels))
    found: list[list[tuple[DraftTrack, DraftLevel]]] = []
    for _start, _end, levels in sorted(taken, key=lambda t: t[0]):
        if found and [id(lv) for _t, lv in found[-1]] == [id(lv) for _t, lv in levels]:
            continue
        found.append(levels)
    return found

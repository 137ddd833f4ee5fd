"""A fork said in a sentence: "after Senior you go on as Specialist or as Coordinator".

Read the same way in any ladder: a word meaning *after* right before a level's title (or "X leads to"), then two
other levels' titles joined by a word meaning *or*. The two are alternatives that both follow the first level, so
they must not be chained one above the other.
"""

from __future__ import annotations

import re

from bot.framework.names import normalize

_AFTER = re.compile(
    r"\b(?:after|beyond|once you (?:reach|are)|após|apos|depois d[eoa]s?|después de|despues de|tras|après|apres"
    r"|nach|dopo|после)\s+(?:(?:the|a|an|o|a|os|as|el|la|le|les|de|der|die|dem|den)\s+)?$",
)
"""Words before the fork's level ("after Principal", "depois de Consultor"), at the end of the text before it."""
_LEADS = re.compile(
    r"^\s+(?:leads|lead|opens|branches|splits|forks)\s+(?:in)?to\b|^\s+(?:leva a|leva para|conduce a|mène à|führt zu)\b"
    r"|^,?\s+(?:the\s+(?:ladder|track|path|career|route)\s+|it\s+|you\s+can\s+)?(?:forks|splits|branches)\b"
)
"""Words after the fork's level ("Senior leads to …", "from Senior the ladder forks: …")."""
_OR = re.compile(r"\b(?:or|ou|o|oder|или|either)\b")
_MAX_BETWEEN = 60
"""Characters between the two alternatives ("Consultor (trilha técnica) ou como Gerente")."""
_MAX_SENTENCE = 400


def said_fork(sentence: str, titles: list[str]) -> tuple[str, str, str] | None:
    """(the level, one alternative, the other) as ``sentence`` names them among ``titles`` (normalised), else None."""
    text = normalize(sentence)
    if len(text) > _MAX_SENTENCE:
        return None
    found = _mentions(text, titles)
    for k, (start, end, before) in enumerate(found):
        said_after = _AFTER.search(text[:start]) is not None or _LEADS.match(text[end:]) is not None
        if not said_after:
            continue
        rest = [m for m in found[k + 1 :] if m[2] != before]
        for (_s1, e1, one), (s2, _e2, other) in zip(rest, rest[1:], strict=False):
            between = text[e1:s2]
            if one != other and len(between) <= _MAX_BETWEEN and _OR.search(between):
                return before, one, other
        return None
    return None


def _mentions(text: str, titles: list[str]) -> list[tuple[int, int, str]]:
    """Where each title is named in ``text``, the longest title first at any place, in reading order."""
    taken: list[tuple[int, int, str]] = []
    for title in sorted({t for t in titles if t}, key=len, reverse=True):
        for match in re.finditer(rf"(?<!\w){re.escape(title)}(?!\w)", text):
            if not any(match.start() < e and s < match.end() for s, e, _t in taken):
                taken.append((match.start(), match.end(), title))
    return sorted(taken)

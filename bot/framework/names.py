"""One normal form for every name a person may type, shared by the loader and the question parser.

Both sides must agree exactly: the loader refuses two levels that normalise to the same name,
and the parser looks names up in that same form.
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_POSSESSIVE = re.compile(r"(?<=\w)'s\b")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_SEPARATORS = re.compile(r"[\W_]+")


def normalize(text: str) -> str:
    """Lower-case words separated by single spaces: "Staff's" -> "staff", "sr_em" -> "sr em"."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()
    text = _POSSESSIVE.sub("", text)
    text = _APOSTROPHE.sub("", text)
    return _SEPARATORS.sub(" ", text).strip()


def tokens(text: str) -> list[str]:
    return normalize(text).split()


_UNDERSCORES = re.compile(r"_+")
_ID_CATEGORIES = frozenset({"Ll", "Lm", "Lo", "Mn", "Mc", "Nd"})
"""What an id keeps (bot.framework.spec.ID_PATTERN): letters without case or lower-case, the marks that write vowels in
Devanagari or Thai (Python's \\w would cut वरिष्ठ into वर_ष_ठ), digits; anything else becomes '_'."""
MAX_ID = 64


def _id_characters(text: str) -> str:
    kept = "".join(c if unicodedata.category(c) in _ID_CATEGORIES else "_" for c in text)
    return _UNDERSCORES.sub("_", kept)


def make_id(text: str, taken: set[str]) -> str:
    """An id for a name in any script, unique among ``taken`` (which it joins): "Senior Engineer 2" -> "senior_engineer_2",
    "Сеньор" -> "сеньор", "1. Associate" -> "n1_associate"; letters outside ASCII are kept, not dropped."""
    base = _id_characters(unicodedata.normalize("NFKC", text).casefold()).strip("_") or "item"
    base = (base if unicodedata.category(base[0]) in ("Ll", "Lm", "Lo") else f"n{base}")[:MAX_ID]
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"_{n}"
        candidate, n = base[: MAX_ID - len(suffix)].rstrip("_") + suffix, n + 1
    taken.add(candidate)
    return candidate

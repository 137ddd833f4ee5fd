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

"""One normal form for every name a person may type, shared by the loader, the importers and the question parser.

Two forms live here. :func:`normalize` is text folding for labels and headers (case, width, apostrophes,
punctuation). :func:`name_words` is the form names are compared in: on top of that, letters and digits are
split ("IC1" = "IC 1" = "ic-1"), accents on Latin letters are dropped ("Sênior" = "senior"), common
abbreviations are written out ("Sr." = "senior") and roman numerals after a word are arabic
("Engineer II" = "Engineer 2"). A question is put in the same form by :func:`question_words`, which writes a
roman numeral as a number only after a word that some name numbers ("senior I" yes, "can I" no).
"""

from __future__ import annotations

import itertools
import os
import re
import unicodedata
from typing import Callable, Container

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_POSSESSIVE = re.compile(r"(?<=\w)'s\b")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_ELIDED_ARTICLE = re.compile(r"(?<!\w)l'(?=\w)")
"""French and Italian "l'" before a word ("L'Ingénieur"): a word of its own, not joined to the next."""
_SEPARATORS = re.compile(r"[\W_]+")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()
    return _APOSTROPHE.sub("", _ELIDED_ARTICLE.sub("l ", _POSSESSIVE.sub("", text)))


_CAMEL_CASE = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
"""Where a word written in camel case ("DomainLead", "SrPrincipal") has a space when typed ("Domain Lead")."""


def spaced_camel_case(text: str) -> str:
    """ "DomainLead" -> "Domain Lead"; "iOS" and "PostgreSQL" stay whole."""
    return _CAMEL_CASE.sub(" ", text)


_PLUS = re.compile(r"(?<=\w)\+")
"""A "+" after a word is a word of its own: "Principal+" is not "Principal"."""


def normalize(text: str) -> str:
    """Lower-case words separated by single spaces: "Staff's" -> "staff", "sr_em" -> "sr em". Combining marks
    stay with their letter, so words in Thai or Devanagari are not cut apart."""
    return _SEPARATORS.sub(_separator, _fold(text)).strip()


def _separator(match: re.Match[str]) -> str:
    run = match.group()
    if not any(unicodedata.category(c).startswith("M") for c in run):
        return " "
    return "".join(c if unicodedata.category(c).startswith("M") else " " for c in run)


def tokens(text: str) -> list[str]:
    return normalize(text).split()


ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "sr": ("senior",),
    "snr": ("senior",),
    "sen": ("senior",),
    "mid": ("middle",),
    "jr": ("junior",),
    "jnr": ("junior",),
    "eng": ("engineer",),
    "engr": ("engineer",),
    "mgr": ("manager",),
    "mngr": ("manager",),
    "dir": ("director",),
    "mgmt": ("management",),
    "mgt": ("management",),
    "assoc": ("associate",),
    "asst": ("assistant",),
    "dev": ("developer",),
    "prin": ("principal",),
    "princ": ("principal",),
    "swe": ("software", "engineer"),
}
"""Shorthand written out the same way in names and in questions, so either side may use it."""

OTHER_EXPANSIONS: dict[str, tuple[tuple[str, ...], ...]] = {
    "eng": (("engineering",),),
    "dev": (("development",),),
    "devs": (("developers",), ("development",)),
}
"""Shorthand that stands for more than one word: "Director of Eng" is "Director of Engineering", "Senior Eng" a
"Senior Engineer". :data:`ABBREVIATIONS` holds the form a name is compared in; these are the others, for a name that
writes the shorthand (:func:`name_variants`) and for a question that types it where a name has the other word."""

ARTICLES = frozenset("the a an o el la los las le les l der die das ein eine".split())
"""Articles a name may start with, in English, Portuguese, Spanish, French and German ("The Steady Builder",
"a Guiding Coach", "L'Ingénieur", "Die Teamleitung"): a name is the same without one. Not the plural "os" and "as",
which are more often an acronym ("OS Engineer") than the start of a level's title."""

ROMAN = {
    numeral: str(value)
    for value, numeral in enumerate("i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx".split(), start=1)
}
"""Roman numerals I to XX, as level numbers are written."""

_ASCII_TOKEN = re.compile(r"[a-z]+|[0-9]+")
_LATIN_END = 0x250
_LATIN_ADDITIONAL = range(0x1E00, 0x1F00)
_SPACELESS = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x1100, 0x11FF),  # Hangul jamo
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3130, 0x318F),  # Hangul compatibility jamo
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xF900, 0xFAFF),
    (0x20000, 0x3134F),
)


def is_spaceless(char: str) -> bool:
    """Whether ``char`` belongs to a script written without spaces between words (Chinese, Japanese, Thai, …)."""
    code = ord(char)
    return code >= 0x0E00 and any(low <= code <= high for low, high in _SPACELESS)


def has_spaceless(text: str) -> bool:
    return not text.isascii() and any(is_spaceless(c) for c in text)


def name_words(text: str) -> tuple[str, ...]:
    """The normal form of a name, as words: "IC7 Sr. Principal Software Engineer" ->
    ("ic", "7", "senior", "principal", "software", "engineer"); "Engineer II" -> ("engineer", "2"). A name that is
    one abbreviation and nothing else ("Eng", "Dev") stays as written: written out, it would be an ordinary word."""
    words = without_article(pieces(text))
    if len(words) == 1 and words[0] in ABBREVIATIONS:
        return tuple(words)
    return tuple(_numbered(_expanded(words), lambda previous: not _is_number(previous)))


MAX_VARIANTS = 4
"""Forms of one name made from its shorthand's other meanings (bounds the names a title adds)."""


def name_variants(text: str) -> list[tuple[str, ...]]:
    """:func:`name_words`, then the name with its shorthand read as each other word it may stand for
    (:data:`OTHER_EXPANSIONS`): "Director of Eng" -> ("director", "of", "engineer"), ("director", "of",
    "engineering")."""
    first = name_words(text)
    words = without_article(pieces(text))
    if len(words) < 2 or not any(w in OTHER_EXPANSIONS for w in words):
        return [first]
    choices = [[ABBREVIATIONS.get(w, (w,)), *OTHER_EXPANSIONS.get(w, ())] for w in words]
    found = [first]
    for combination in itertools.islice(itertools.product(*choices), 1, MAX_VARIANTS + 1):
        flat = [w for expansion in combination for w in expansion]
        found.append(tuple(_numbered(flat, lambda previous: not _is_number(previous))))
    return list(dict.fromkeys(found))


def without_article(words: list[str]) -> list[str]:
    """``words`` (from :func:`pieces`) without the articles they start with, where a word follows them: "The Steady
    Builder" is "Steady Builder"; "A3", "A 3", "Level A" and "A" keep their letter."""
    start = 0
    while start + 1 < len(words) and words[start] in ARTICLES and words[start + 1].isalpha():
        start += 1
    return words[start:] if start else words


def name_key(text: str) -> str:
    """:func:`name_words` as one string, for comparing two names."""
    return " ".join(name_words(text))


def question_words(text: str, numbered: Container[str]) -> list[str]:
    """A question in the normal form of names. A roman numeral becomes a number only after a word in ``numbered``
    (the words some name puts before a number), so "senior I" is "senior 1" but "can I" stays "can i"."""
    return numbers_after(_expanded(pieces(text)), numbered)


def numbers_after(words: list[str], numbered: Container[str]) -> list[str]:
    """Roman numerals in ``words`` written as numbers after a word in ``numbered``."""
    return _numbered(words, lambda previous: previous in numbered)


def pieces(text: str) -> list[str]:
    """Words and numbers, each on its own: letters and digits apart, a spaceless script apart from other letters,
    and neighbouring words of a spaceless script joined (a space or "・" between them is no word boundary there)."""
    folded = _fold(text)
    if "+" in folded:
        folded = _PLUS.sub(" plus ", folded)
    if folded.isascii():
        return _ASCII_TOKEN.findall(folded)
    pieces: list[str] = []
    kind = ""  # of the piece being built: "a" letters, "c" a spaceless script, "d" digits; "" after a separator
    rejoin = False  # only separators since a piece of a spaceless script
    for char in _without_latin_accents(folded):
        category = unicodedata.category(char)
        if category[0] == "M":  # a combining mark stays with its letter
            if kind:
                pieces[-1] += char
            continue
        now = "d" if category == "Nd" else ("c" if is_spaceless(char) else "a") if category[0] == "L" else ""
        if not now:
            rejoin = kind == "c" if kind else rejoin
        elif now == kind or (now == "c" and rejoin):
            pieces[-1] += char
            rejoin = False
        else:
            pieces.append(char)
            rejoin = False
        kind = now
    return pieces


def _without_latin_accents(text: str) -> str:
    """ "sênior" -> "senior"; marks on other scripts' letters (Thai vowels, Japanese voicing) are kept."""
    if not any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", text)):
        return text
    kept: list[str] = []
    base = ""
    for char in unicodedata.normalize("NFD", text):
        if not unicodedata.combining(char):
            base = char
        elif base.isalpha() and (ord(base) < _LATIN_END or ord(base) in _LATIN_ADDITIONAL):
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def _expanded(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        out.extend(ABBREVIATIONS.get(word, (word,)))
    return out


def _is_number(word: str) -> bool:
    return word.isdecimal()


def _numbered(words: list[str], after: Callable[[str], bool]) -> list[str]:
    """Roman numerals written as numbers where the word before them says they number something."""
    return [
        ROMAN[word] if word in ROMAN and i > 0 and not _is_number(words[i - 1]) and after(words[i - 1]) else word
        for i, word in enumerate(words)
    ]


MIN_STEM = 6
"""Letters two forms of one word must share (:func:`other_form`): short words are never read as each other's forms."""

_OTHER_ENDINGS = frozenset(
    frozenset(pair)
    for pair in (
        ("", "in"),  # Teamleiter, Teamleiterin
        ("", "innen"),
        ("in", "innen"),
        ("er", "ung"),  # Teamleiter, Teamleitung: the role and the office
        ("erin", "ung"),
        ("o", "a"),  # Engenheiro, Engenheira; Ingeniero, Ingeniera
        ("", "a"),  # Director, Directora; Desenvolvedor, Desenvolvedora
        ("", "e"),  # Ingénieur, Ingénieure
        ("os", "as"),
    )
)
"""Endings that make another gender or form of one word in German and the Romance languages."""


def other_form(typed: str, name: str) -> bool:
    """Whether ``typed`` is ``name`` in another gender or form (German, Portuguese, Spanish, French): they share a stem
    of :data:`MIN_STEM` letters or more and differ only in an ending of :data:`_OTHER_ENDINGS` ("teamleiterin" and
    "teamleitung", "engenheira" and "engenheiro"). English forms are not among them: "engineering" is not
    "engineer", "designer" not "design"."""
    if typed == name or not (typed.isalpha() and name.isalpha()):
        return False
    shared = len(os.path.commonprefix([typed, name]))
    if shared < MIN_STEM:
        return False
    return frozenset((typed[shared:], name[shared:])) in _OTHER_ENDINGS


_UNDERSCORES = re.compile(r"_+")
_ID_CATEGORIES = frozenset({"Ll", "Lm", "Lo", "Mn", "Mc", "Nd"})
"""What an id keeps (bot.framework.spec.ID_PATTERN): letters without case or lower-case, the marks that write vowels in
Devanagari or Thai (Python's \\w would cut वरिष्ठ into वर_ष_ठ), digits; anything else becomes '_'."""
MAX_ID = 64


def _id_characters(text: str) -> str:
    kept = "".join(c if unicodedata.category(c) in _ID_CATEGORIES else "_" for c in text)
    return _UNDERSCORES.sub("_", kept)


def make_id(text: str, taken: set[str], kind: str = "") -> str:
    """An id for a name in any script, unique among ``taken`` (which it joins): "Senior Engineer 2" -> "senior_engineer_2",
    "Сеньор" -> "сеньор", "1. Associate" -> "n1_associate"; letters outside ASCII are kept, not dropped.

    Ids are names people may type, so a clash is settled with ``kind`` first ("support_agent" the track, then
    "support_agent_level" the level), not with a number that would read as another level ("support_agent_2")."""
    base = _id_characters(unicodedata.normalize("NFKC", text).casefold()).strip("_") or "item"
    base = (base if unicodedata.category(base[0]) in ("Ll", "Lm", "Lo") else f"n{base}")[:MAX_ID]
    if base in taken and kind:
        suffix = f"_{kind}"
        base = base[: MAX_ID - len(suffix)].rstrip("_") + suffix
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"_{n}"
        candidate, n = base[: MAX_ID - len(suffix)].rstrip("_") + suffix, n + 1
    taken.add(candidate)
    return candidate

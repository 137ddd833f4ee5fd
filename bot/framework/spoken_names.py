"""The names people use for a level beyond the ones a file writes down, read from the titles themselves.

Organisations put codes and short names inside titles ("Senior Programmer (L3)", "IC4 Software Engineer",
"D4 - Developer 4", "Staff Engineer / Tech Lead") and people say a title without the noun every level of
the track shares ("Senior 1" for "Senior Engineer 1", "Principal" for "Principal Engineer"). These are
derived from whatever file was loaded (imported or written by hand), so they need no aliases.

Each name comes with a tier: 0 written in the file (id, title, alias), 1 written inside a title (a code, a
part), 2 a short name made by leaving words out. A phrase means what its best tier names: a file's own
words are never shadowed by a derived one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Iterator

from bot.framework.model import Framework, Track
from bot.framework.names import is_spaceless, name_variants, name_words, spaced_camel_case

WRITTEN, INSIDE_A_TITLE, SHORT = 0, 1, 2

ROLE_NOUNS = frozenset(
    """
    engineer developer programmer manager designer analyst scientist architect consultant specialist agent
    representative administrator researcher writer marketer technician tester recruiter accountant contributor
    engenheiro engenheira desenvolvedor desenvolvedora analista gerente ingeniero ingeniera desarrollador
    entwickler ingenieur инженер разработчик менеджер аналитик дизайнер
    """.split()
)
"""The noun a title is about: what is left when it is taken out ("Principal", "Senior 1") says which level."""

MIN_COMPOUND_ROLE = 6
"""Letters a role noun needs to be found at the end of a compound ("Softwareentwickler", "Projektmanager")."""


def is_role_noun(word: str) -> bool:
    """A role noun, alone or at the end of a compound written as one word (German, Dutch, Scandinavian titles)."""
    return word in ROLE_NOUNS or any(
        len(noun) >= MIN_COMPOUND_ROLE and len(word) > len(noun) + 2 and word.endswith(noun) for noun in ROLE_NOUNS
    )


SENIORITY_WORDS = frozenset(
    """
    senior junior principal staff lead chief head associate distinguished intern trainee graduate mid middle entry
    expert master apprentice assistant deputy vice executive fellow tech technical
    """.split()
)
"""Words that make a longer title out of a role noun: "Principal Engineer" is not the level "Engineer"."""

STOPWORDS = frozenset("of the and for de da do das dos du des la le el del di von der für in at to a an e y".split())

_TRACK_NOUNS = frozenset("track tracks ladder path career stream".split())

_PARENTHESIS = re.compile(r"^(?P<before>[^()\[\]]*)[(\[](?P<inside>[^()\[\]]+)[)\]](?P<after>[^()\[\]]*)$")
_PARTS = re.compile(r"\s+[-–—/|]\s+|\s*[|:]\s+")
_LIST_NUMBER = re.compile(r"^\s*\d{1,2}\s*[.)]\s+(?=\S)")
_CODE = r"(?:[A-Z]{1,5}|[A-Za-z])[ -]?\d{1,2}[A-Za-z]?"
_LEADING_CODE = re.compile(rf"^\s*(?P<code>{_CODE})\s+(?P<rest>\S.*)$")
_TRAILING_CODE = re.compile(rf"^(?P<rest>.*\S)\s+(?P<code>{_CODE})\s*$")
_WHOLE_CODE = re.compile(rf"^\s*{_CODE}\s*$")


@dataclass(frozen=True)
class SpokenName:
    words: tuple[str, ...]
    tier: int


_GENDERED = re.compile(r"(?<=[^\W\d_])(?:[:*_/·]([iI]n(?:nen)?)|(?<=[a-zäöüß])(In(?:nen)?))\b")
"""A gender-inclusive ending ("Softwareentwickler:in", "Teamleiter*innen", "TeamleiterIn"): people type the word
without it, or with it joined ("Teamleiterin")."""


def ungendered(name: str) -> str:
    """ "Senior Softwareentwickler:in" -> "Senior Softwareentwickler"; other names as they are."""
    return _GENDERED.sub("", name)


def _joined_gender(name: str) -> str:
    """ "Softwareentwickler:in" -> "Softwareentwicklerin"."""
    return _GENDERED.sub(lambda m: (m.group(1) or m.group(2)).lower(), name)


def written_names(*names: str) -> list[SpokenName]:
    """Names as written, and as they are also typed: "DomainLead" as "Domain Lead", "Team Lead" as "TeamLead",
    "Entwickler:in" as "Entwickler" and "Entwicklerin", "Director of Eng" as "Director of Engineering"."""
    found: dict[tuple[str, ...], None] = {}
    names = tuple(v for name in names for v in dict.fromkeys((name, ungendered(name), _joined_gender(name))))
    for name in names:
        words = name_words(name)
        found[words] = None
        found.update(dict.fromkeys(name_variants(name)))  # "Director of Eng": of Engineering too
        found[name_words(spaced_camel_case(name))] = None
        if 1 < len(words) <= 3 and all(w.isalpha() and not is_spaceless(w[0]) for w in words):
            found[("".join(words),)] = None
        found[_of_turned(words)] = None
    return [SpokenName(words, WRITTEN) for words in found if words]


def track_names(track: Track) -> list[SpokenName]:
    """A track by its id, name and aliases, and its name without "track" ("Management track" -> "management")."""
    names = written_names(track.id, track.name, *track.aliases)
    for name in list(names):
        if len(name.words) > 1 and name.words[-1] in _TRACK_NOUNS:
            names.append(SpokenName(name.words[:-1], INSIDE_A_TITLE))
    return names


def level_names(framework: Framework) -> dict[str, list[SpokenName]]:
    """Every name of every level, by level id: written, found inside its title, and short."""
    found: dict[str, list[SpokenName]] = {}
    for track in framework.tracks:
        cores = {level.id: _core_titles(level.title) for level in track.levels}
        everywhere = _shared_by_every_level([words for titles in cores.values() for words in titles[:1]], len(track.levels))
        phrases = _role_phrases([words for titles in cores.values() for words in titles])
        plain = _domain_words(framework, track)
        for level in track.levels:
            names = written_names(level.id, level.title, *level.aliases)
            names += [SpokenName(words, INSIDE_A_TITLE) for words in _inside(level.title)]
            others = [words for other, titles in cores.items() if other != level.id for words in titles]
            for core in cores[level.id]:
                for short in _shortened(core, everywhere, phrases, plain):
                    if _says_which_level(short, others, plain):
                        names.append(SpokenName(short, SHORT))
                for order in dict.fromkeys((core, _of_turned(core))):
                    for initials in (_initials(order), _initials_after_the_first(order)):
                        if initials:
                            names.append(SpokenName(initials, SHORT))
            found[level.id] = names
    return found


_NAME_PARTS = re.compile(r"[&+/,;]\s*|(?<!\s)\s+(?:and|und|et|e|y|и)\s+", re.IGNORECASE)
"""Where a competency's name joins two names. A run of spaces is tried only where it starts, and spaces before a
"&" are left on the part before it (its words are the same): tried at every space, a long run took time growing with
the square of its length."""


_BRACKETED = re.compile(r"\s*\(([^()]+)\)\s*$")
"""A name followed by another in brackets, as a name in two languages is written: "Qualität (Quality)"."""


def competency_names(framework: Framework) -> dict[str, list[SpokenName]]:
    """Every name of every competency, by id: written (id, name, aliases), and each part of a name that joins two
    ("Debugging & Technical Problem Solving": "debugging", "technical problem solving"; "Mentoring and recruitment";
    "Qualität (Quality)": "qualität", "quality") where no other competency's name has that part."""
    parts: dict[str, list[tuple[str, ...]]] = {}
    for competency in framework.competencies:
        pieces = [p for half in _BRACKETED.split(competency.name) for p in _NAME_PARTS.split(half) if p and p.strip()]
        parts[competency.id] = [name_words(p) for p in pieces] if len(pieces) > 1 else []
    counts = Counter(words for found in parts.values() for words in set(found))
    return {
        competency.id: [
            *written_names(competency.id, competency.name, *competency.aliases),
            *(SpokenName(words, INSIDE_A_TITLE) for words in parts[competency.id] if words and counts[words] == 1),
        ]
        for competency in framework.competencies
    }


def track_context(framework: Framework) -> dict[tuple[str, ...], frozenset[str]]:
    """Words that say which track a question is about without naming it, by the tracks they point to: the track's
    and family's names in the plural ("for Product Managers"), the role every title of the track holds ("software
    engineer", "engineer", and "engineers"), and the role noun of a word of its name ("Engineering": "engineer").
    They are context for a name of several levels ("a level 2 engineer"), never a subject of their own."""
    found: dict[tuple[str, ...], set[str]] = {}
    for track in framework.tracks:
        phrases = {name_words(name) for name in (track.name, *track.aliases, track.family or "") if name}
        titles = [name_words(level.title) for level in track.levels]
        shared = _shared_by_every_level(titles, len(titles))
        for words in titles[:1]:
            for end, word in enumerate(words):
                if word in ROLE_NOUNS and word in shared:
                    start = end
                    while start > 0 and words[start - 1] in shared and words[start - 1].isalpha():
                        start -= 1
                    phrases |= {words[start : end + 1], (word,)}
        phrases |= {(noun,) for words in list(phrases) for w in words for noun in ROLE_NOUNS if w != noun and _same_stem(w, noun)}
        for words in phrases:
            for form in (words, *_plurals(words)):
                if form:
                    found.setdefault(form, set()).add(track.id)
    return {words: frozenset(ids) for words, ids in found.items()}


def _plurals(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """ "product manager" -> "product managers"; "technical writer" -> "technical writers" (English plurals only)."""
    if not words or not words[-1].isascii() or not words[-1].isalpha() or words[-1].endswith("s"):
        return ()
    last = words[-1]
    plural = last[:-1] + "ies" if last.endswith("y") and last[-2:-1] not in "aeiou" else last + "s"
    return (words[:-1] + (plural,),)


def modifiers(framework: Framework) -> frozenset[str]:
    """Words that, written before a one-word title, make it a longer title the file may not have."""
    words = set(SENIORITY_WORDS)
    for level in framework.levels:
        for name in (level.title, *level.aliases):
            words.update(w for w in name_words(name)[:-1] if w.isalpha() and len(w) > 1 and w not in STOPWORDS)
    return frozenset(words)


# -- inside a title ------------------------------------------------------------------------------------------------


def _inside(title: str) -> list[tuple[str, ...]]:
    """Codes and names written inside a title: "Senior Programmer (L3)" -> L3, Senior Programmer."""
    found = [name_words(part) for part in _title_parts(title)]
    whole = name_words(title)
    return [words for words in dict.fromkeys(found) if words and words != whole]


def _title_parts(title: str) -> Iterator[str]:
    title = title.strip()
    match = _PARENTHESIS.match(title)
    if match:
        yield match["inside"]
        outside = f"{match['before']} {match['after']}".strip()
        yield outside
        yield from _title_parts(outside)
        return
    numbered = _LIST_NUMBER.match(title)
    if numbered:
        yield from (title[numbered.end() :], *_title_parts(title[numbered.end() :]))
        return
    parts = [p for p in _PARTS.split(title) if p.strip()]
    if len(parts) > 1:
        for part in parts:
            yield part
            yield from _title_parts(part)
        return
    for pattern in (_LEADING_CODE, _TRAILING_CODE):
        coded = pattern.match(title)
        if coded:
            yield coded["code"]
            yield coded["rest"]
            return


def _core_titles(title: str) -> list[tuple[str, ...]]:
    """The title's names that are not codes, longest first: what a short name is cut from (without a gender-inclusive
    ending)."""
    title = ungendered(title)
    names = [name_words(title)] if not _has_code(title) else []
    names += [name_words(part) for part in _title_parts(title) if not _has_code(part)]
    names = [n for n in dict.fromkeys(names) if n]
    return sorted(names, key=len, reverse=True) or [name_words(title)]


def _has_code(text: str) -> bool:
    return bool(_WHOLE_CODE.match(text) or _LEADING_CODE.match(text) or _TRAILING_CODE.match(text))


# -- short names ---------------------------------------------------------------------------------------------------


def _shared_by_every_level(titles: list[tuple[str, ...]], levels: int) -> frozenset[str]:
    if levels < 2 or not titles:
        return frozenset()
    common = set(titles[0])
    for words in titles[1:]:
        common &= set(words)
    return frozenset(w for w in common if not w.isdecimal())


def _role_phrases(titles: list[tuple[str, ...]]) -> frozenset[tuple[str, ...]]:
    """Runs of words ending in a role noun that two or more titles of the track share ("software engineer"), without
    a word of seniority ("principal software engineer" is a level, not the role)."""
    counts: Counter[tuple[str, ...]] = Counter()
    for words in titles:
        runs = {
            words[start : end + 1]
            for end, word in enumerate(words)
            if is_role_noun(word)
            for start in range(max(0, end - 3), end)
            if all(w.isalpha() and w not in SENIORITY_WORDS for w in words[start:end])
        }
        counts.update(runs)
    return frozenset(run for run, count in counts.items() if count > 1)


def _shortened(
    core: tuple[str, ...],
    everywhere: frozenset[str],
    phrases: frozenset[tuple[str, ...]],
    plain: frozenset[str] = frozenset(),
) -> Iterable[tuple[str, ...]]:
    no_role = tuple(w for w in core if not is_role_noun(w))
    no_shared = tuple(w for w in core if w not in everywhere)
    fewest = tuple(w for w in no_role if w not in everywhere)
    candidates = [no_role, no_shared, fewest, tuple(w for w in fewest if not w.isdecimal())]
    candidates.append(tuple(w for w in core if w not in plain))  # the track's own name said with the title: left out
    for phrase in phrases:
        at = _find(core, phrase)
        if at >= 0:
            candidates.append(core[:at] + core[at + len(phrase) :])
    for words in dict.fromkeys(_trimmed(c) for c in candidates):
        if words and words != core:
            yield words


def _of_turned(words: tuple[str, ...]) -> tuple[str, ...]:
    """ "Director of Finance" is also said "Finance Director" ("Sr. Director of Finance": "Sr. Finance
    Director"); other names are returned as they are."""
    if "of" not in words[1:-1]:
        return words
    at = words.index("of", 1)
    return (*words[: at - 1], *words[at + 1 :], words[at - 1])


def _initials(core: tuple[str, ...]) -> tuple[str, ...]:
    """The initials people write for a title: "Software Engineer II" -> SE2, "Engineering Manager" -> EM,
    "ServiceNow Platform Manager" -> SPM. Made from two words or more; never for a spaceless script, nor where they
    spell an everyday word ("Director of Operations" is not "do")."""
    number = core[-1:] if core and core[-1].isdecimal() else ()
    words = [w for w in core[: len(core) - len(number)] if w not in STOPWORDS]
    if not all(w.isalpha() and not is_spaceless(w[0]) for w in words) or len(words) < 2:
        return ()
    letters = "".join(w[0] for w in words)
    if not number and letters in _COMMON_SHORT_WORDS:
        return ()
    return (letters, *number)


def _initials_after_the_first(core: tuple[str, ...]) -> tuple[str, ...]:
    """A title's first word kept and the rest as initials: "Senior Claims Handler" -> "senior CH", "Lead Quality
    Engineer II" -> "Lead QE 2" (three words or more)."""
    number = core[-1:] if core and core[-1].isdecimal() else ()
    words = [w for w in core[: len(core) - len(number)] if w not in STOPWORDS]
    if len(words) < 3 or not words[0].isalpha():
        return ()
    rest = _initials((*words[1:], *number))
    return (words[0], *rest) if rest else ()


_COMMON_SHORT_WORDS = frozenset(
    """
    am an as at be by do go he hi if in is it me my no of ok on or so to up us we
    au da de di do du el en er es et il im ja la le lo na ne nu ou se si su te tu um un ya wo zu
    all and any are but can did for get had has her him his how its let may new not now old one our out own put say
    see she the too two use was way who why you
    """.split()
)
"""Words of questions (English, and the short words of other languages written in Latin letters) initials may not be."""


def _find(words: tuple[str, ...], run: tuple[str, ...]) -> int:
    for start in range(len(words) - len(run) + 1):
        if words[start : start + len(run)] == run:
            return start
    return -1


def _trimmed(words: tuple[str, ...]) -> tuple[str, ...]:
    start, end = 0, len(words)
    while start < end and words[start] in STOPWORDS:
        start += 1
    while end > start and words[end - 1] in STOPWORDS:
        end -= 1
    return words[start:end]


def _domain_words(framework: Framework, track: Track) -> frozenset[str]:
    """Words of the track's and family's names: a short name of only such a word names the field, not a level."""
    words = {w for name in (track.name, track.family or "", *track.aliases) for w in name_words(name)}
    return frozenset(words)


def _says_which_level(short: tuple[str, ...], others: list[tuple[str, ...]], plain: frozenset[str]) -> bool:
    """Whether a short name picks this level out of its track. One word must be a word of seniority ("Principal") or
    one no other title of the track has, and not the field itself ("engineering", "product") nor a form of a role
    noun; several words must not be written inside another title of the track."""
    if all(w.isdecimal() for w in short):
        return False
    if len(short) > 1:
        return not any(_find(other, short) >= 0 for other in others)
    word = short[0]
    if word in plain or word in STOPWORDS or len(word) < 2 or any(_same_stem(word, noun) for noun in ROLE_NOUNS):
        return False
    return word in SENIORITY_WORDS or not any(word in other for other in others)


def _same_stem(word: str, noun: str) -> bool:
    """ "engineering" and "engineer", "design" and "designer": one word's forms, not a level's name."""
    stem = min(len(word), len(noun), 6)
    return stem >= 5 and word[:stem] == noun[:stem]

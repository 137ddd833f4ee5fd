"""Find the levels, competencies and tracks a question mentions, the way a person writes them.

Names come from the framework only (ids, titles, aliases, names, and the codes and short names its
titles carry: :mod:`bot.framework.spoken_names`), so a renamed level or a sales ladder works without
code changes. Names and questions are compared in one normal form (:func:`bot.framework.names.name_words`).
Matching is exact on the longest phrase first, then forgiving of typos ("staf", "principle") for words
long enough that a typo cannot be mistaken for an ordinary word. A phrase may name several things (the
same title on two tracks, a track named like its first level): a mention carries every one, and
:mod:`bot.questions.meanings` picks by the question's other words.

Built once per framework: the work per question is the question's length times the longest name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence, Union

from rapidfuzz import fuzz, process

from bot.framework.model import Competency, Framework, Level, Track
from bot.framework.names import (
    ABBREVIATIONS,
    ARTICLES,
    MIN_STEM,
    OTHER_EXPANSIONS,
    ROMAN,
    has_spaceless,
    is_spaceless,
    name_words,
    numbers_after,
    other_form,
    pieces,
    question_words,
    spaced_camel_case,
)
from bot.framework.spoken_names import (
    INSIDE_A_TITLE,
    ROLE_NOUNS,
    SHORT,
    WRITTEN,
    SpokenName,
    competency_names,
    level_names,
    modifiers,
    track_context,
    track_names,
)
from bot.questions.groups import Group, groups_of
from bot.questions.word_pairs import pair_names

Named = Union[Level, Competency, Track, Group]

# Ordinary words of questions: never typo-matched to a name ("stuff" is not "staff"), never a derived short name.
PLAIN_WORDS = frozenset(
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

MIN_SPACELESS_NAME = 2
"""Characters a name in a spaceless script needs before it is looked for inside a longer run of text."""

_INFLECTIONS = ("s", "es", "ing", "ings", "ed", "er", "ers", "al", "ment")


@dataclass(frozen=True)
class Mention:
    options: tuple[Named, ...]
    """What the phrase may mean, in file order: one thing, or several for :mod:`bot.questions.meanings` to choose from."""
    start: int
    """Index of the first word of the phrase, to keep mentions in the order they were written."""
    size: int
    exact: bool

    @property
    def thing(self) -> Named:
        return self.options[0]

    @property
    def end(self) -> int:
        return self.start + self.size


class Vocabulary:
    """Every name in a framework, indexed for lookup by phrase."""

    def __init__(self, framework: Framework) -> None:
        found: dict[tuple[str, ...], dict[int, list[Named]]] = {}

        def add(thing: Named, names: Iterable[SpokenName]) -> None:
            for name in names:
                tiers = found.setdefault(name.words, {})
                things = tiers.setdefault(name.tier, [])
                if not any(t is thing for t in things):
                    things.append(thing)

        for track in framework.tracks:
            add(track, track_names(track))
        spoken = competency_names(framework)
        for competency in framework.competencies:
            add(competency, (n for n in spoken[competency.id] if _may_be_derived(n, INSIDE_A_TITLE)))
        derived = level_names(framework)
        for level in framework.levels:
            add(level, (n for n in derived[level.id] if _may_be_derived(n)))
        for words, level in pair_names(framework):  # "analyste senior": a role and a seniority, either order
            if words not in found:
                add(level, (SpokenName(words, SHORT),))
        for group in groups_of(framework):  # a category of competencies, unless a name as written is the same
            words = name_words(group.name)
            if WRITTEN not in found.get(words, {}):
                add(group, (SpokenName(words, WRITTEN),))

        self._by_phrase: dict[tuple[str, ...], tuple[Named, ...]] = {}
        self._tier: dict[tuple[str, ...], int] = {}
        for words, tiers in found.items():
            tier = min(tiers)
            options = tuple(tiers[tier]) if tier == WRITTEN else _one_per_role(words, tiers[tier], framework)
            if tier == WRITTEN and all(isinstance(t, Track) for t in options):
                # a track named like the title inside one of its levels ("Analyst" track, "A-2 Analyst"): both meant
                titled = [lv for lv in tiers.get(INSIDE_A_TITLE, ()) if isinstance(lv, Level)]
                options += tuple(_one_per_role(words, titled, framework)) if titled else ()
            if options:
                self._by_phrase[words] = options
                self._tier[words] = tier
        self._longest = max((len(p) for p in self._by_phrase), default=1)
        self._kept = frozenset(p[0] for p in self._by_phrase if len(p) == 1 and p[0] in ABBREVIATIONS)
        self._numbered = frozenset(p[i - 1] for p in self._by_phrase for i in range(1, len(p)) if p[i].isdecimal())
        self._modifiers = modifiers(framework)
        self._one_word_titles = frozenset(
            name.words
            for level in framework.levels
            for name in derived[level.id]
            if len(name.words) == 1 and name.words[0].isalpha() and _is_a_title(name, level)
        )
        joined = {("".join(phrase),) for phrase in self._by_phrase if len(phrase) > 1}  # "teamlead" for "team lead"
        self._fuzzy_by_length: dict[int, dict[str, tuple[str, ...]]] = {}
        for phrase, tier in self._tier.items():
            if tier == SHORT or phrase in self._one_word_titles or phrase in joined or any(w.isdecimal() for w in phrase):
                continue  # typos are forgiven in names as written, never in one-word titles or names made up here
            self._fuzzy_by_length.setdefault(len(phrase), {})[" ".join(phrase)] = phrase
        self._other_forms = _inflectable(self._tier)
        self._field = _field_words(framework)
        self._question_words = _own_question_words(framework)
        self._context = track_context(framework)
        self._longest_context = max(map(len, self._context), default=0)
        self._spaceless = _spaceless_words(self._by_phrase, self._question_words.values())
        self._longest_spaceless = max(map(len, self._spaceless), default=0)

    # -- reading a question --------------------------------------------------------------------------------------

    def words(self, text: str, *, numbers: bool = True) -> list[str]:
        """``text`` in the normal form of names, with names and the file's question words in a spaceless script cut
        out of the runs around them ("シニアエンジニアになるには" -> シニアエンジニア, になるには). ``numbers``: roman
        numerals after a word some name numbers are written as numbers ("senior II" -> "senior 2")."""
        words = numbers_after(self._written_out(pieces(spaced_camel_case(text))), self._numbered if numbers else ())
        if not self._spaceless or not has_spaceless(text):
            return words
        return [piece for word in words for piece in self._cut(word)]

    def _written_out(self, raw: list[str]) -> list[str]:
        """Abbreviations written out, except one the framework uses as a name of its own ("dev" as a track's id) where
        the written-out word is not part of a longer name ("senior dev" is still "senior developer"). Shorthand for
        several words is read as the one a name has there ("director of eng": "Director of Engineering")."""
        if not any(word in ABBREVIATIONS or word in OTHER_EXPANSIONS for word in raw):
            return raw
        full: list[str] = []
        origin: list[int] = []
        for index, word in enumerate(raw):
            expansion = ABBREVIATIONS.get(word, (word,))
            full.extend(expansion)
            origin.extend([index] * len(expansion))
        words: list[str] = []
        for index, word in enumerate(raw):
            at = [j for j, i in enumerate(origin) if i == index]
            if word in self._kept and not self._in_a_longer_name(full, at[0], at[-1]):
                words.append(word)
            else:
                words.extend(self._expansion_named(word, full, at[0], at[-1]))
        return words

    def _expansion_named(self, word: str, full: list[str], first: int, last: int) -> tuple[str, ...]:
        """What ``word`` (at ``full[first:last + 1]``, written out the usual way) stands for: the usual expansion,
        unless only another one makes a name with the words around it."""
        usual = tuple(full[first : last + 1])
        others = OTHER_EXPANSIONS.get(word, ())
        if not others or self._in_a_longer_name(full, first, last):
            return usual
        for other in others:
            if self._in_a_longer_name([*full[:first], *other, *full[last + 1 :]], first, first + len(other) - 1):
                return other
        if usual in self._by_phrase:
            return usual
        return next((other for other in others if other in self._by_phrase), usual)

    def _in_a_longer_name(self, words: list[str], first: int, last: int) -> bool:
        for size in range(max(2, last - first + 2), self._longest + 1):
            for start in range(max(0, last - size + 1), min(first, len(words) - size) + 1):
                if tuple(words[start : start + size]) in self._by_phrase:
                    return True
        return False

    def _cut(self, word: str) -> list[str]:
        """Known words found inside a run of a spaceless script, longest first at each place, the rest left as it is."""
        if not is_spaceless(word[0]) or len(word) < MIN_SPACELESS_NAME:
            return [word]
        pieces: list[str] = []
        rest_from = at = 0
        while at < len(word):
            for size in range(min(self._longest_spaceless, len(word) - at), MIN_SPACELESS_NAME - 1, -1):
                if word[at : at + size] in self._spaceless:
                    if rest_from < at:
                        pieces.append(word[rest_from:at])
                    pieces.append(word[at : at + size])
                    at += size
                    rest_from = at
                    break
            else:
                at += 1
        if rest_from < len(word):
            pieces.append(word[rest_from:])
        return pieces

    def question_words(self, kind: str) -> frozenset[str]:
        """The framework's own words for a kind of question, each a phrase in the normal form of a question."""
        return self._question_words.get(kind, frozenset())

    def knows(self, word: str) -> bool:
        """Whether ``word`` on its own is a name in this framework."""
        return (word,) in self._by_phrase

    def context_tracks(self, words: list[str], mentions: Iterable[Mention]) -> frozenset[str]:
        """The tracks that words outside ``mentions`` point to without naming them ("for product managers", "a level 2
        *engineer*": :func:`bot.framework.spoken_names.track_context`), to tell apart what a name of several levels
        means."""
        taken = [False] * len(words)
        for mention in mentions:
            taken[mention.start : mention.end] = [True] * mention.size
        found: set[str] = set()
        for size in range(min(self._longest_context, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                if any(taken[start : start + size]):
                    continue
                tracks = self._context.get(tuple(words[start : start + size]))
                if tracks:
                    found |= tracks
                    taken[start : start + size] = [True] * size
        return frozenset(found)

    # -- finding names -------------------------------------------------------------------------------------------

    def find(self, words: list[str]) -> list[Mention]:
        """Mentions in ``words`` (from :meth:`words`), longest exact phrases first, then typos."""
        taken = [False] * len(words)
        found: list[Mention] = []
        for size in range(min(self._longest, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                if any(taken[start : start + size]):
                    continue
                phrase = tuple(words[start : start + size])
                options = self._by_phrase.get(phrase)
                if options is None or self._inside_a_longer_title(phrase, words, start):
                    continue
                typo = self._typo_beside(phrase, words, start, taken)
                if typo is not None:  # "senoir tax advisor": Senior Tax Advisor, not Tax Advisor
                    first, longer = typo
                    found.append(Mention(self._by_phrase[longer], first, len(longer), exact=False))
                    taken[first : first + len(longer)] = [True] * len(longer)
                    continue
                options = self._with_the_role_after(phrase, options, words, start + size)
                spoken = size + self._role_said_after(phrase, options, words, start + size, taken)
                found.append(Mention(options, start, spoken, exact=True))
                taken[start : start + spoken] = [True] * spoken
        for size in (3, 2, 1):
            for start in range(len(words) - size + 1):
                if any(taken[start : start + size]):
                    continue
                window = words[start : start + size]
                near = self._in_another_form(window) or self._fuzzy(window)
                if near is None or self._inside_a_longer_title(near, words, start):
                    continue
                found.append(Mention(self._by_phrase[near], start, size, exact=False))
                taken[start : start + size] = [True] * size
        return sorted(found, key=lambda m: m.start)

    def _inside_a_longer_title(self, phrase: tuple[str, ...], words: list[str], start: int) -> bool:
        """A one-word title ("Engineer") read inside a longer title the file does not have ("Principal Engineer",
        "Engineer III"), or a short name before another role ("Principal" of "Principal Engineer" in "principal
        designer"): the question is about that other title, not this level."""
        before = words[start - 1] if start > 0 else ""
        after = words[start + len(phrase)] if start + len(phrase) < len(words) else ""
        if phrase in self._one_word_titles:
            return before in self._modifiers or after.isdecimal() or (len(after) > 1 and after in ROMAN)
        if self._tier.get(phrase) == SHORT and (after in ROLE_NOUNS or (after,) in self._one_word_titles):
            return not any(after in name_words(getattr(thing, "title", "")) for thing in self._by_phrase[phrase])
        return False

    def _with_the_role_after(
        self, phrase: tuple[str, ...], options: tuple[Named, ...], words: list[str], end: int
    ) -> tuple[Named, ...]:
        """A short name followed by a role ("staff *writer*") means the levels whose title has that role."""
        after = words[end] if end < len(words) else ""
        if len(options) < 2 or self._tier.get(phrase) != SHORT or after not in ROLE_NOUNS:
            return options
        return tuple(o for o in options if after in name_words(getattr(o, "title", ""))) or options

    def _role_said_after(
        self, phrase: tuple[str, ...], options: tuple[Named, ...], words: list[str], end: int, taken: list[bool]
    ) -> int:
        """1 when a short name is followed by the role its levels' titles hold ("Principal *Engineer*" for "Principal
        Software Engineer"): the role is part of how the level was named, not a word of its own."""
        after = words[end] if end < len(words) else ""
        if self._tier.get(phrase) != SHORT or after not in ROLE_NOUNS or taken[end]:
            return 0
        return int(all(after in name_words(getattr(o, "title", "")) for o in options))

    def _typo_beside(
        self, phrase: tuple[str, ...], words: list[str], start: int, taken: list[bool]
    ) -> tuple[int, tuple[str, ...]] | None:
        """A longer name the phrase is part of, typed with a typo in a word or two before or after it ("senoir tax
        advisor", "senior complaince officer"): where it starts, and the name. Longer names first."""
        end = start + len(phrase)
        windows = [(start - b, end + a) for b in range(TYPO_REACH + 1) for a in range(TYPO_REACH + 1 - b) if a or b]
        for first, last in sorted(windows, key=lambda w: w[0] - w[1]):
            if first < 0 or last > len(words) or any(taken[first:last]):
                continue
            longer = self._fuzzy(words[first:last])
            if longer is not None and longer[start - first : start - first + len(phrase)] == phrase:
                return first, longer
        return None

    def _in_another_form(self, window: list[str]) -> tuple[str, ...] | None:
        """A name of one or two words whose last word is typed in another gender or form ("Teamleiterin" for
        "Teamleitung", "Engenheira" for "Engenheiro": :func:`bot.framework.names.other_form`), when only one name is."""
        if len(window) > MAX_INFLECTED_WORDS or len(window[-1]) < MIN_STEM or window[-1] in self._field:
            return None
        candidates = self._other_forms.get((tuple(window[:-1]), window[-1][:MIN_STEM]), ())
        found = [phrase for phrase in candidates if other_form(window[-1], phrase[-1])]
        return found[0] if len(found) == 1 else None

    def _fuzzy(self, window: list[str]) -> tuple[str, ...] | None:
        """A name typed with a typo. An article ("eine") or a word of the field's own names ("Softwareentwicklung") is
        no typo of a name."""
        if any(w in PLAIN_WORDS or len(w) < 4 or w.isdecimal() or w in ARTICLES for w in window):
            return None
        candidates = self._fuzzy_by_length.get(len(window))
        if not candidates:
            return None
        typed = " ".join(window)
        cutoff = 80 if len(window) == 1 else 85
        match = process.extractOne(typed, candidates.keys(), scorer=fuzz.ratio, score_cutoff=cutoff)
        if match is None or _another_form(typed, match[0]):
            return None
        phrase = candidates[match[0]]
        if any(w in self._field and w != n for w, n in zip(window, phrase, strict=True)):
            return None
        return phrase


def _another_form(typed: str, name: str) -> bool:
    """ "engineering" or "programmers" is another word than "engineer" or "programmer", and "programmer" another than
    "leadprogrammer": one word inside another is not a typo of it."""
    short, long = sorted((typed, name), key=len)
    return (long.startswith(short) and long[len(short) :] in _INFLECTIONS) or (short in long and len(long) - len(short) > 1)


def _may_be_derived(name: SpokenName, tier: int = SHORT) -> bool:
    """A name of ``tier`` or beyond (a short name; for a competency, a part of its name) is not an ordinary word of
    questions ("lead") nor a role noun on its own ("engineer")."""
    return name.tier < tier or not (len(name.words) == 1 and (name.words[0] in PLAIN_WORDS or name.words[0] in ROLE_NOUNS))


def _is_a_title(name: SpokenName, level: Level) -> bool:
    """The level's title, or a name written inside it ("Engineer" in "Engineer (L1)"), rather than an id or alias."""
    return name.tier == INSIDE_A_TITLE or (name.tier == WRITTEN and name.words == name_words(level.title))


def _one_per_role(phrase: tuple[str, ...], levels: Sequence[Named], framework: Framework) -> tuple[Named, ...]:
    """A derived name shared by every level of a track, or by half of them or more and without a number, names the
    role, not a level ("Software Engineer" in "IC1 Software Engineer", "IC2 Software Engineer"): it is dropped for that
    track. ("Technical Writer I" of two levels out of three still names those two.)"""
    numbered = any(w.isdecimal() for w in phrase)
    by_track: dict[str, list[Named]] = {}
    for thing in levels:
        by_track.setdefault(getattr(thing, "track_id", ""), []).append(thing)
    kept: list[Named] = []
    for track_id, things in by_track.items():
        track = framework.track(track_id)
        shared_by = len(things) / len(track.levels) if track is not None and len(things) > 1 else 0
        if shared_by == 1 or (shared_by >= 0.5 and not numbered):
            continue
        kept.extend(things)
    return tuple(kept)


TYPO_REACH = 2
"""Words beside an exact name, before and after it together, read as a longer name typed with a typo."""

MAX_INFLECTED_WORDS = 2
"""Names of this many words or fewer are found with their last word in another form (:meth:`Vocabulary._in_another_form`)."""


def _inflectable(tiers: Mapping[tuple[str, ...], int]) -> dict[tuple[tuple[str, ...], str], tuple[tuple[str, ...], ...]]:
    """Names as written (not short names made up here) of one or two words, by their first words and the stem of their
    last."""
    found: dict[tuple[tuple[str, ...], str], list[tuple[str, ...]]] = {}
    for phrase, tier in tiers.items():
        last = phrase[-1]
        if tier == SHORT or len(phrase) > MAX_INFLECTED_WORDS or len(last) < MIN_STEM or not last.isalpha():
            continue
        if is_spaceless(last[0]):
            continue
        found.setdefault((phrase[:-1], last[:MIN_STEM]), []).append(phrase)
    return {key: tuple(phrases) for key, phrases in found.items()}


def _field_words(framework: Framework) -> frozenset[str]:
    """Words of the names of the framework, its tracks and families and its competencies: the field people work in
    ("Softwareentwicklung"), which a question names without meaning a level in another form ("Softwareentwickler")."""
    names = [framework.name, *(t.name for t in framework.tracks), *(t.family or "" for t in framework.tracks)]
    names += [c.name for c in framework.competencies]
    return frozenset(w for name in names for w in name_words(name))


def _own_question_words(framework: Framework) -> dict[str, frozenset[str]]:
    stated: Mapping[str, tuple[str, ...]] = framework.question_words
    return {
        kind: frozenset(phrase for phrase in (" ".join(question_words(str(p), ())) for p in phrases) if phrase)
        for kind, phrases in stated.items()
    }


def _spaceless_words(by_phrase: Mapping[tuple[str, ...], object], question_words: Iterable[frozenset[str]]) -> frozenset[str]:
    """Words in a spaceless script that names and question phrases are made of: looked for inside runs of text."""
    words = {w for phrase in by_phrase for w in phrase}
    words |= {w for phrases in question_words for phrase in phrases for w in phrase.split()}
    return frozenset(w for w in words if len(w) >= MIN_SPACELESS_NAME and is_spaceless(w[0]))


def competency_named(framework: Framework, text: str) -> Competency | None:
    """The competency a phrase names ("tech depth", "mentoring"), tolerating typos; None if it names none."""
    vocabulary = Vocabulary(framework)
    for mention in vocabulary.find(vocabulary.words(text)):
        competency = next((t for t in mention.options if isinstance(t, Competency)), None)
        if competency is not None:
            return competency
    return None

"""Find the passages of a framework that answer a question: a ranked full-text search over its own words.

Every piece of prose the framework holds becomes a :class:`Passage` that knows its place ("Staff Engineer —
Technical depth", "Promotion principles"). The passages are indexed once per framework load in an in-memory
SQLite database with two FTS5 tables:

- ``words``: the porter stemmer over unicode61 (accents removed, combining marks kept inside words), for
  scripts that separate words with spaces ("promotions" finds "promotion", "decided" finds "decide");
- ``grams``: the same passages written as overlapping two-character tokens, for scripts written without
  spaces (Chinese, Japanese, Thai...), where a word cannot be told from its neighbours without a dictionary.

A question becomes a list of quoted terms (so nothing a person types is FTS5 syntax): its words without stop words
(at most :data:`MAX_TERMS`, each with its short forms and other spellings), its adjacent pairs as phrases, and the
two-character pieces of its spaceless runs. A passage's match is the share of the question's weight it holds (a
word weighs by how rare it is in the framework; more in the passage's place, plus a bonus for the question's
words side by side); it answers when it matches at least :data:`GOOD_MATCH` and a word that is not common in the
framework. Answers are ranked by that share, then by FTS5's bm25. The quote is the passage, or the sentences of it
around the matches, cut at a sentence boundary.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass
from typing import Collection, Iterable, Iterator, Sequence

from bot.framework.model import Framework
from bot.framework.names import MIN_STEM, other_form
from bot.questions.durations import duration_in_named_unit, find_duration

MAX_TERMS = 16
"""Distinct words of a question searched for (bounds the work per question; a question is a sentence)."""
MAX_PHRASES = 8
"""Adjacent word pairs searched as phrases, which rank "tech lead" above a passage with "tech" and "lead" apart."""
GOOD_MATCH = 0.6
"""The share of a question's weight a passage must match to be quoted as an answer."""
PHRASE_BONUS = 0.5
"""A pair of the question's words found side by side in a passage ("tech lead") adds this share of its own weight
to what the passage matches (on top of its two words): the question's words, as it put them together."""
PLACE_BONUS = 1.5
"""How much more a word counts when it is in a passage's place ("Promotion process") rather than only its text."""
CLOSE_TO_BEST = 0.8
"""Passages after the best are quoted only when they match at least this share of what the best matches (with its
bonuses: where a passage has the question's words side by side, one with them apart is not quoted beside it)."""
COMMON_SHARE = 0.2
"""A word in more than this share of the passages ("team", "work" in most ladders) is too common to answer a
question on its own: a passage is quoted only when it matches at least one less common word of the question, or
two of its words side by side as the question has them ("needs coaching")."""
MAX_HITS = 3
MAX_TIMED = 12
"""Passages quoted for the lengths of time the levels on a path state, when no level states a typical time in it."""
TIMED_QUOTE = 200
"""Characters of each of those quotes: the sentence that states the time."""
QUOTE_BUDGET = 2_700
"""Characters of quotation in one answer, shared by its hits: under Slack's 3,000 per section."""

_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"
_MARKS = str.maketrans("", "", _MARK_OPEN + _MARK_CLOSE)

_WORDS_TOKENIZER = "porter unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
_GRAMS_TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
_PLACE_WEIGHT, _TEXT_WEIGHT = 2.0, 1.0

# Scripts written without spaces between words, each its own class so a run of one does not bleed into the next.
_SPACELESS = (
    ("han", "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\u3005\u3007"),
    ("hiragana", "\u3040-\u309f"),
    ("katakana", "\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"),
    ("thai", "\u0e00-\u0e7f"),
    ("lao", "\u0e80-\u0eff"),
    ("khmer", "\u1780-\u17ff"),
    ("myanmar", "\u1000-\u109f"),
)
_RUNS = re.compile("|".join(f"(?P<{name}>[{chars}]+)" for name, chars in _SPACELESS))
_ANY_SPACELESS = re.compile("[" + "".join(chars for _, chars in _SPACELESS) + "]")
_WORD = re.compile(r"[^\W_]+(?:[-\u2010\u2011][^\W_]+)*")
_POSSESSIVE = re.compile(r"(?<=\w)['\u2019]s\b")
_HYPHEN = re.compile(r"[-\u2010\u2011]")

_GRAMMAR_CLASSES = frozenset({"hiragana"})
"""Japanese kana that mostly carries grammar (particles, endings): left out of a question's terms when it has others."""
_HAN_FUNCTION_CHARACTERS = frozenset("的了吗嗎呢吧么麼是我你您什怎哪何如们們")
"""Chinese (and Japanese) characters of question grammar ("what", "how", "is", "I"): a question's Han text is
cut at them, so "晋升的标准是什么" searches for 晋升 and 标准."""

_ENGLISH_STOP_WORDS = """
    a about above after again all also am an and any are as at be because been before being below between both many
    but by can could did do does doing done down during each either else ever every few for from further get gets
    getting got had has have having he her here hers him his how however i if im in into is it its itself ive just
    let lets like may me might mine more most much must my myself no nor not now of off on once only or other
    our ours out over own please really same say says said shall she should so some such tell than that thats the
    their theirs them then there these they this those through to too under until up us very want wants was way
    we were what whats when where whether which while who whom whose why will with would yes yet you your yours
    become becomes becoming know mean means explain describe show thing things anything something
    s t don doesn didn isn aren wasn weren won wouldn shouldn couldn hasn haven ll ve re d m
    framework ladder question answer
"""
_OTHER_STOP_WORDS = """
    o os a as um uma uns umas de do da dos das no na nos nas ao aos à às em num numa pelo pela pelos pelas por para
    com sem que quê qual quais quem quanto quanta como onde quando porque porquê é e ou se não eu me meu minha meus
    minhas você voce ele ela nós eles elas isso isto este esta esse essa ser estar ter tem têm há mais muito já
    el la los las un una unos unas del al en y ni pero sin cuál cuáles cuál cómo dónde cuándo qué quién quiénes
    yo mí mis tu su sus es está son hay tiene más muy lo le les
    le la les un une des du de d au aux et ou où mais pour par avec sans dans sur qui quoi quel quelle quels
    quelles comment quand pourquoi je j moi mon ma mes tu vous nous il elle ils elles est sont être avoir ce cette
    ces l qu n ne pas plus
    der die das den dem des ein eine einen einem einer und oder aber zu zum zur von vom im in auf für bei nach aus
    wie was wer welche welcher welches wo wann warum ich mich mir mein meine du sie er es wir ihr ist sind sein
    haben hat nicht kein keine noch schon bis wird werde werden wirst wurde würde man kann muss soll
    il lo gli i una uno di da del della dei delle che chi cosa come dove quando perché io mio mia sono è e o
    per con senza nel nella
    de het een en of van voor met op te in is zijn wat wie hoe waar wanneer waarom ik mijn je jij niet
    и или в во на с со к ко по для от до из у о об а но же ли бы не что как какой какая какие каков где когда
    почему зачем чем это этот эта эти я мне мой моя мои ты вы он она они мы есть был была было нужно
"""


def _without_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


STOP_WORDS = frozenset(
    form for word in (_ENGLISH_STOP_WORDS + _OTHER_STOP_WORDS).split() for form in (word, _without_accents(word))
)
"""Words that carry no subject of their own, never searched for: English, and the function words of a few other
languages written with spaces (Portuguese, Spanish, French, German, Italian, Dutch, Russian), with and without
accents. Not the career words: "promotion", "level" and "expectations" are what people ask about."""

_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "tech": ("technical", "technology"),
    "technical": ("tech",),
    "eng": ("engineering", "engineer"),
    "engr": ("engineer",),
    "mgr": ("manager",),
    "mgmt": ("management",),
    "dev": ("developer", "development"),
    "devs": ("developers",),
    "sr": ("senior",),
    "snr": ("senior",),
    "jr": ("junior",),
    "org": ("organisation", "organization"),
    "orgs": ("organisations", "organizations"),
    "perf": ("performance",),
    "promo": ("promotion",),
    "promos": ("promotions",),
    "exp": ("experience",),
    "ops": ("operations",),
    "qa": ("quality assurance",),
    "ic": ("individual contributor",),
    "ics": ("individual contributors",),
    "em": ("engineering manager",),
    "ems": ("engineering managers",),
    "pm": ("product manager",),
    "yr": ("year",),
    "yrs": ("years",),
}
"""Short forms people type for words ladders write out (and "technical" for "tech", which ladders write both ways)."""
_SPELLINGS = (
    (re.compile(r"(?<=\w{2})is(e|es|ed|ing|ation|ations)$"), r"iz\1"),
    (re.compile(r"(?<=\w{2})iz(e|es|ed|ing|ation|ations)$"), r"is\1"),
    (re.compile(r"^(behavi|col|fav|hon|lab|neighb|hum|rum|vig|endeav|flav|harb)our(s|al|ally|ed|ing)?$"), r"\1or\2"),
    (re.compile(r"^(behavi|col|fav|hon|lab|neighb|hum|rum|vig|endeav|flav|harb)or(s|al|ally|ed|ing)?$"), r"\1our\2"),
)
"""British and American spellings: "organise"/"organize", "behaviour"/"behavior"."""

MAX_COUNTED = 24
"""Passages, best first, checked for a number when a question asks how many (each check is one highlight query)."""
_HOW_MANY = re.compile(
    r"\b(?:how many|how big|how large|number of|size of|quantos|quantas|quanto|quanta|cuántos|cuántas|cuantos|cuantas|"
    r"cuánto|cuanto|combien|wie viele|wie viel|wie groß|wie gross|quanti|quante|сколько)\b"
)
"""Words asking for a number, in English and the languages whose function words are stop words here."""
_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|fifty|hundred|"
    r"dozen|couple|single|handful)\b",
    re.IGNORECASE,
)
"""A number in a passage: digits, or an English number word."""

_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|(?<=[。！？；])|\n+")


@dataclass(frozen=True, slots=True)
class Passage:
    """A piece of the framework's prose and where it comes from, as a reader would name the place."""

    place: str
    text: str
    level_id: str | None = None
    competency_id: str | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    passage: Passage
    quote: str
    """The passage, or its sentences around the matched words, with "…" where it was cut."""
    match: float
    """The share of the question's weight this passage matches, 0 to 1."""

    @property
    def cut(self) -> bool:
        return self.quote != self.passage.text


@dataclass(frozen=True, slots=True)
class _Ranked:
    row: int
    share: float
    """The share of the question's weight the passage matches (above 1 with the bonuses of its place and phrases)."""
    bm25: float
    """FTS5's bm25 rank: lower is better."""
    specific: bool
    """Whether it matches a word that is not common in the framework (see :data:`COMMON_SHARE`)."""


@dataclass(frozen=True, slots=True)
class _Term:
    query: str
    """FTS5 query text: one quoted string, or a quoted prefix."""
    table: str
    counted: bool
    """Whether it counts toward the share matched (phrases only add to the ranking)."""
    literal: str = ""
    """For spaceless scripts: the characters to mark in the quote."""


def passages_of(framework: Framework) -> list[Passage]:
    """Every piece of prose in ``framework``, each with its place. Newer fields are read when present."""
    found: list[Passage] = []

    def add(place: str, text: object, *, level_id: str | None = None, competency_id: str | None = None) -> None:
        if isinstance(text, str) and text.strip():
            found.append(Passage(place, text.strip(), level_id, competency_id))

    add("Framework description", framework.description)
    add("Promotion principles", framework.promotion_principles)
    add("Switching tracks", framework.switching)
    for section in getattr(framework, "sections", ()):
        add(str(getattr(section, "title", "") or "Section"), getattr(section, "text", ""))
    competency_names = {c.id: c.name for c in framework.competencies}
    for competency in framework.competencies:
        add(competency.name, competency.description, competency_id=competency.id)
        for step in getattr(competency, "scale", ()):
            label = str(getattr(step, "label", ""))
            add(f"{competency.name} — {label}", getattr(step, "description", "") or label, competency_id=competency.id)
    for track in framework.tracks:
        add(f"{track.name} track", track.description)
        for level in track.levels:
            add(level.title, level.summary, level_id=level.id)
            add(f"{level.title} — Scope", level.scope, level_id=level.id)
            add(f"{level.title} — Decision rights", level.decision_rights, level_id=level.id)
            for competency_id, expectation in level.expectations.items():
                name = competency_names.get(competency_id, competency_id)
                add(f"{level.title} — {name}", expectation, level_id=level.id, competency_id=competency_id)
            for point in level.switch_points:
                target = framework.level(point.to)
                add(f"{level.title} — switching to {target.title if target else point.to}", point.note, level_id=level.id)
    return found


class FrameworkSearch:
    """The passages of one framework, indexed for search. Build once per framework load; :meth:`search` is cheap.

    Safe to share between threads (one lock around the database); a process forked after the index was built
    builds its own, since an SQLite connection must not cross a fork.
    """

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self.passages = passages_of(framework)
        self._lock = threading.Lock()
        self._database, self._pid = self._build(), os.getpid()
        self._by_stem = _words_by_stem(self.passages)

    def _build(self) -> sqlite3.Connection:
        database = sqlite3.connect(":memory:", check_same_thread=False)
        database.execute(f'CREATE VIRTUAL TABLE words USING fts5(place, text, tokenize="{_WORDS_TOKENIZER}")')
        database.execute(f'CREATE VIRTUAL TABLE grams USING fts5(place, text, tokenize="{_GRAMS_TOKENIZER}")')
        for table in ("words", "grams"):
            database.execute(f"INSERT INTO {table}({table}, rank) VALUES ('rank', 'bm25({_PLACE_WEIGHT}, {_TEXT_WEIGHT})')")
        rows = [(i, p.place.translate(_MARKS), p.text.translate(_MARKS)) for i, p in enumerate(self.passages)]
        database.executemany("INSERT INTO words(rowid, place, text) VALUES (?, ?, ?)", rows)
        database.executemany(
            "INSERT INTO grams(rowid, place, text) VALUES (?, ?, ?)",
            [(i, grams(place), grams(text)) for i, place, text in rows if _ANY_SPACELESS.search(place + text)],
        )
        return database

    def _db(self) -> sqlite3.Connection:
        if self._pid != os.getpid():
            self._database, self._pid = self._build(), os.getpid()
        return self._database

    def search(self, text: str, limit: int = MAX_HITS) -> list[Hit]:
        """The passages that answer ``text`` well enough, best first (none when the framework does not say). A
        question asking how many ("how many engineers are in a pod?") is answered only by passages with a sentence
        that states a number beside a word it matched ("A Pod is made up of 5 - 6 Analysts"); the word
        counted ("engineers") is not searched for, since a passage counts in its own units."""
        counted = counted_words(text)
        if counted is not None:  # "how big", "number of" ask; they are not what is asked about
            text = _HOW_MANY.sub(" ", unicodedata.normalize("NFKC", text).casefold())
        terms = self._with_other_forms(question_terms(text, counted=counted or ()))
        if counted is None:
            ranked = self._rank(terms, at_least=GOOD_MATCH, specific_only=True)
        else:
            ranked = self._rank(terms, at_least=GOOD_MATCH)[:MAX_COUNTED]
            ranked = [r for r in ranked if self._states_a_number(r.row, terms)]
        if not ranked:
            return []
        enough = max(GOOD_MATCH, ranked[0].share * CLOSE_TO_BEST)
        return self._hits([(r.row, min(r.share, 1.0)) for r in ranked if r.share >= enough][:limit], terms)

    def _with_other_forms(self, terms: list[_Term]) -> list[_Term]:
        """A word no passage holds searched as the forms of it that passages hold, in another gender or form
        ("Teamleiterin": "Teamleitung", :func:`bot.framework.names.other_form`)."""
        out: list[_Term] = []
        for term in terms:
            word = _single_word(term)
            forms = self._by_stem.get(word[:MIN_STEM], ()) if word and len(word) >= MIN_STEM else ()
            found = [form for form in forms if other_form(word, form)]
            if found:
                with self._lock:
                    found = [] if self._rows(self._db(), "words", term.query) else found
            if found:
                term = _Term(_any_of_these([word, *found]), term.table, term.counted)
            out.append(term)
        return out

    def mentioning(self, words: Iterable[str], limit: int = MAX_HITS) -> list[Hit]:
        """The passages that mention any of ``words`` (for instance "years" and "months"), best first."""
        terms = [t for w in words for t in question_terms(w, keep_stop_words=True)]
        return self._hits([(r.row, min(r.share, 1.0)) for r in self._rank(terms)[:limit]], terms)

    def stating_a_length_of_time(self, level_ids: Sequence[str], limit: int = MAX_TIMED) -> list[Hit]:
        """The passages of these levels, in this order, that state a length of time ("Usually needs at least
        three years in a similar role", or "1–3" for a competency named "Tenure"), each quoted
        at the sentence that states it."""
        order = {level_id: i for i, level_id in enumerate(level_ids)}
        found = [(p, span) for p in self.passages if p.level_id in order and (span := self._time_stated(p))]
        found.sort(key=lambda item: order[item[0].level_id or ""])
        return [
            Hit(p, quote(p.text, p.text[: span[0]] + _MARK_OPEN + p.text[span[0] :], TIMED_QUOTE), 1.0)
            for p, span in found[:limit]
        ]

    def _time_stated(self, passage: Passage) -> tuple[int, int] | None:
        """Where ``passage`` states a length of time: in its words, or as a bare figure under a competency whose name
        gives the unit ("Years of experience": "4–7")."""
        span = find_duration(passage.text)
        if span is not None or passage.competency_id is None:
            return span
        competency = self.framework.competency(passage.competency_id)
        named = competency is not None and duration_in_named_unit(competency.name, passage.text) is not None
        return (0, len(passage.text)) if named else None

    def _rank(self, terms: list[_Term], *, at_least: float = 0.0, specific_only: bool = False) -> list[_Ranked]:
        """The passages matching at least ``at_least`` of the terms' weight (and, when ``specific_only``, a term that
        is not common: see :data:`COMMON_SHARE`), best first. A term found in a passage's place (its title) counts
        :data:`PLACE_BONUS` times: the passage is about it."""
        if not terms:
            return []
        total = len(self.passages) or 1
        common = max(3, total * COMMON_SHARE)
        with self._lock:
            db = self._db()
            anywhere = [self._rows(db, term.table, term.query) for term in terms]
            specific = set().union(*(rows for rows in anywhere if len(rows) <= common))
            if specific_only and not specific:
                return []
            in_place = [self._rows(db, term.table, f"place : {term.query}") for term in terms]
            weights = [
                _rarity(len(rows), total) * (1.0 if term.counted else PHRASE_BONUS)
                for term, rows in zip(terms, anywhere, strict=True)
            ]
            whole = sum(w for w, term in zip(weights, terms, strict=True) if term.counted) or 1.0
            shares: dict[int, float] = {}
            for weight, rows, titled in zip(weights, anywhere, in_place, strict=True):
                for row in specific if specific_only else rows:
                    if row in rows:
                        shares[row] = shares.get(row, 0.0) + weight / whole * (PLACE_BONUS if row in titled else 1.0)
            chosen = [row for row, share in shares.items() if share > 0 and share >= at_least]
            scores = self._bm25(db, terms, chosen)
        ranked = [_Ranked(row, shares[row], scores.get(row, 0.0), row in specific) for row in chosen]
        ranked.sort(key=lambda r: (-round(r.share, 6), r.bm25, r.row))
        return ranked

    @staticmethod
    def _bm25(db: sqlite3.Connection, terms: list[_Term], rows: list[int]) -> dict[int, float]:
        """FTS5's bm25 rank of ``rows`` for the terms, summed over both tables (lower is better)."""
        scores: dict[int, float] = {}
        if not rows:
            return scores
        chosen = json.dumps(rows)
        for table in ("words", "grams"):
            query = " OR ".join(t.query for t in terms if t.table == table)
            if query:
                found = db.execute(
                    f"SELECT rowid, rank FROM {table} WHERE {table} MATCH ? AND rowid IN (SELECT value FROM json_each(?))",
                    (query, chosen),
                )
                for row, score in found:
                    scores[row] = scores.get(row, 0.0) + score
        return scores

    @staticmethod
    def _rows(db: sqlite3.Connection, table: str, query: str) -> set[int]:
        return {row for (row,) in db.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?", (query,))}

    def _hits(self, chosen: list[tuple[int, float]], terms: list[_Term]) -> list[Hit]:
        if not chosen:
            return []
        budget = QUOTE_BUDGET // len(chosen)
        word_query = " OR ".join(t.query for t in terms if t.table == "words")
        hits = []
        for row, share in chosen:
            passage = self.passages[row]
            marked = self._marked(row, word_query) if word_query else passage.text
            for literal in {t.literal for t in terms if t.literal}:
                marked = marked.replace(literal, f"{_MARK_OPEN}{literal}{_MARK_CLOSE}")
            hits.append(Hit(passage, quote(passage.text, marked, budget), share))
        return hits

    def _states_a_number(self, row: int, terms: list[_Term]) -> bool:
        """Whether a sentence of the passage holds both a number and one of the words the terms matched."""
        query = " OR ".join(t.query for t in terms if t.table == "words")
        marked = self._marked(row, query) if query else ""
        for start, end in _sentence_spans(marked):
            sentence = marked[start:end]
            if _MARK_OPEN in sentence and _NUMBER.search(sentence.translate(_MARKS)):
                return True
        return False

    def _marked(self, row: int, query: str) -> str:
        with self._lock:
            found = (
                self._db()
                .execute(
                    f"SELECT highlight(words, 1, '{_MARK_OPEN}', '{_MARK_CLOSE}') FROM words WHERE words MATCH ? AND rowid = ?",
                    (query, row),
                )
                .fetchone()
            )
        return found[0] if found else self.passages[row].text


MAX_INDEXED_WORDS = 50_000
"""Distinct words of a framework's passages kept for finding a question's word in another form (bounds memory)."""


def _words_by_stem(passages: Sequence[Passage]) -> dict[str, tuple[str, ...]]:
    """The words of the passages, lower-case, by their first :data:`MIN_STEM` letters (long words only)."""
    found: dict[str, set[str]] = {}
    seen = 0
    for passage in passages:
        for match in _WORD.finditer(unicodedata.normalize("NFKC", passage.text).casefold()):
            word = match.group()
            if len(word) < MIN_STEM or not word.isalpha():
                continue
            forms = found.setdefault(word[:MIN_STEM], set())
            if word not in forms:
                forms.add(word)
                seen += 1
                if seen >= MAX_INDEXED_WORDS:
                    return {stem: tuple(sorted(words)) for stem, words in found.items()}
    return {stem: tuple(sorted(words)) for stem, words in found.items()}


_ONE_WORD = re.compile(r'^"([^"\s]+)"$')


def _single_word(term: _Term) -> str:
    """The word a term searches, when it is one word of a space-separated script ("" for phrases and alternatives)."""
    found = _ONE_WORD.match(term.query) if term.table == "words" and term.counted else None
    return found.group(1) if found else ""


def _any_of_these(words: list[str]) -> str:
    return "(" + " OR ".join(_quoted(w) for w in words) + ")"


def _rarity(containing: int, total: int) -> float:
    """bm25's inverse document frequency: a word in few passages says more about what is asked than one in all."""
    return math.log(1 + (total - containing + 0.5) / (containing + 0.5))


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def question_terms(text: str, *, keep_stop_words: bool = False, counted: Collection[str] = ()) -> list[_Term]:
    """The quoted FTS5 terms of ``text``: its words (without stop words) and hyphenated compounds ("on-call",
    searched as the phrase), adjacent pairs of words as phrases, and the two-character pieces of its
    spaceless-script runs. At most :data:`MAX_TERMS` words and :data:`MAX_PHRASES` pairs. Words in ``counted``
    (what a "how many" question counts) are left out unless they are all it has."""
    text = _POSSESSIVE.sub("", unicodedata.normalize("NFKC", text).casefold())
    words: list[str] = []
    pairs: list[str] = []
    previous: str | None = None
    for match in _WORD.finditer(_RUNS.sub(" ", text)):
        parts = _HYPHEN.split(match.group())
        if len(parts) == 1 and (parts[0] in STOP_WORDS or _without_accents(parts[0]) in STOP_WORDS) and not keep_stop_words:
            previous = None
            continue
        word = " ".join(parts)
        if previous is not None and len(parts) == 1 and len(pairs) < MAX_PHRASES:
            pairs.append(f"{previous} {word}")
        previous = parts[-1]
        if len(words) < MAX_TERMS:
            words.append(word)
    if set(words) - set(counted):
        words = [w for w in words if w not in counted]
        pairs = [p for p in pairs if not set(p.split()) & set(counted)]
    terms = [_Term(_any_of(w), "words", counted=True) for w in dict.fromkeys(words)]
    terms += [_Term(_any_of(p), "words", counted=False) for p in dict.fromkeys(pairs) if p not in words]
    pieces = list(dict.fromkeys(_spaceless_pieces(text)))[:MAX_TERMS]
    terms += [_Term(_quoted(p) + ("*" if len(p) == 1 else ""), "grams", counted=True, literal=p) for p in pieces]
    return terms


def counted_words(text: str) -> tuple[str, ...] | None:
    """For a question asking how many or how big ("how many engineers are in a pod?", "quantas pessoas…",
    "сколько человек…"): the words naming what it counts, up to the next stop word ("engineers"); None for any other
    question."""
    found = _HOW_MANY.search(unicodedata.normalize("NFKC", text).casefold())
    if found is None:
        return None
    following = [w for w in _WORD.findall(text.casefold()[found.end() :])][:4]
    while following and following[0] in STOP_WORDS:  # "how big a team"
        following.pop(0)
    counted: list[str] = []
    for word in following:
        if word in STOP_WORDS or _without_accents(word) in STOP_WORDS:
            break
        counted.append(" ".join(_HYPHEN.split(word)))
    return tuple(counted)


def _any_of(word: str) -> str:
    """``word`` (or words, a phrase) quoted, or with the other ways it is written ("tech": "technical",
    "organise": "organize") as quoted alternatives in parentheses."""
    forms = [" ".join(combination) for combination in itertools.product(*(_forms(w) for w in word.split()))]
    if len(forms) == 1:
        return _quoted(word)
    return "(" + " OR ".join(_quoted(f) for f in forms) + ")"


def _forms(word: str) -> list[str]:
    forms = [word, *_SHORT_FORMS.get(word, ())]
    for pattern, replacement in _SPELLINGS:
        other = pattern.sub(replacement, word)
        if other != word:
            forms.append(other)
    return list(dict.fromkeys(forms))


def _spaceless_pieces(text: str) -> Iterator[str]:
    """Two-character pieces of the spaceless runs of a question, leaving out its grammar where it has content."""
    runs = [(m.lastgroup or "", m.group()) for m in _RUNS.finditer(text)]
    content = [(kind, run) for kind, run in runs if kind not in _GRAMMAR_CLASSES] or runs
    parts: list[str] = []
    for kind, run in content:
        parts += re.split(f"[{''.join(_HAN_FUNCTION_CHARACTERS)}]+", run) if kind == "han" else [run]
    longer = [p for p in parts if len(p) > 1]
    for part in longer or [p for p in parts if p]:
        yield from _pairs(part)


def _pairs(run: str) -> list[str]:
    return [run] if len(run) < 3 else [run[i : i + 2] for i in range(len(run) - 1)]


def grams(text: str) -> str:
    """``text``'s spaceless-script runs as overlapping two-character tokens (one token for a one-character
    run), each run on its own: what the ``grams`` table indexes."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(token for match in _RUNS.finditer(text) for token in _pairs(match.group()))


def quote(text: str, marked: str, limit: int) -> str:
    """``text`` whole when it fits in ``limit`` characters; otherwise the run of whole sentences around the
    sentence with most matches (``marked`` is ``text`` with each match opened by a private-use mark), as
    written, with "…" where text was left out. A single sentence longer than ``limit`` is cut at a word."""
    if len(text) <= limit:
        return text
    matches = _match_positions(marked) if marked.translate(_MARKS) == text else []
    spans = _sentence_spans(text) or [(0, len(text))]
    counts = [sum(start <= p < end for p in matches) for start, end in spans]
    best = max(range(len(spans)), key=lambda i: (counts[i], -i))
    room = limit - 4  # the two ellipses
    first = last = best
    grown = True
    while grown:
        grown = False
        if last + 1 < len(spans) and spans[last + 1][1] - spans[first][0] <= room:
            last, grown = last + 1, True
        if first > 0 and spans[last][1] - spans[first - 1][0] <= room:
            first, grown = first - 1, True
    start, end = spans[first][0], spans[last][1]
    if end - start > room:  # one sentence longer than the limit: the part around its first match
        inside = [p for p in matches if start <= p < end]
        if inside and inside[0] - start > room // 3:
            space = text.find(" ", inside[0] - room // 3, inside[0])
            start = space + 1 if space != -1 else inside[0] - room // 3
        end = min(end, start + room)
        space = text.rfind(" ", start, end + 1)
        if end < spans[last][1] and space > start + room // 2:
            end = space
    return ("… " if start > 0 else "") + text[start:end] + (" …" if text[end:].strip() else "")


def _match_positions(marked: str) -> list[int]:
    """Where each match starts in the unmarked text."""
    positions = []
    for count, mark in enumerate(re.finditer(f"[{_MARK_OPEN}{_MARK_CLOSE}]", marked)):
        if mark.group() == _MARK_OPEN:
            positions.append(mark.start() - count)
    return positions


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or line of ``text``, without the spaces around it."""
    cuts = [0, *(m.end() for m in _SENTENCE_END.finditer(text)), len(text)]
    spans = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = text[a:b]
        start, end = a + len(piece) - len(piece.lstrip()), a + len(piece.rstrip())
        if end > start:
            spans.append((start, end))
    return spans

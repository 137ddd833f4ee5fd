"""Decide what the answer to a :class:`Question` contains; templates in ``messages/`` word it.

An :class:`Answer` names a template and carries the framework objects it needs. Nothing here
formats text for Slack, so the same answer serves a Slack message and a terminal.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process

from bot.framework.model import Competency, Framework, Level, Section, SwitchPoint, Track
from bot.framework.names import has_spaceless, is_spaceless, normalize
from bot.framework.reading.labels import field_named
from bot.questions import did_you_mean
from bot.questions.durations import Duration, total
from bot.questions.ladder_table import families, side_by_side
from bot.questions.one_answer import on_the_askers_track, one_answer
from bot.questions.parser import GENERIC_WORDS, INTENT_WORDS, Intent, Question, QuestionParser
from bot.questions.pay import asks_about_pay, pay_passages, pay_words_in, speaks_of_pay
from bot.questions.search import MAX_HITS, QUOTE_BUDGET, STOP_WORDS, FrameworkSearch, Hit, Passage, counted_words, quote
from bot.questions.time_in_level import stated_time

MAX_COLUMNS = 4
"""Tracks shown side by side in one ladder table."""


@dataclass(frozen=True)
class Answer:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    key: tuple[Any, ...] | None = None
    """Identifies answers that are the same for everyone who asks the same thing (None when the
    answer depends on the asker), so their rendering can be reused."""

    @property
    def about_the_asker(self) -> bool:
        return self.key is None


@dataclass(frozen=True)
class ExpectationRow:
    """One competency across two levels: what is expected before, and after."""

    competency: Competency
    before: str
    after: str


@dataclass(frozen=True)
class TimeRow:
    """A level on a path and the typical time in it, as stated and as read."""

    level: Level
    stated: str
    duration: Duration | None


@dataclass(frozen=True)
class SwitchRoute:
    point: SwitchPoint
    source: Level
    target: Level


class Answerer:
    """Answers questions from one framework. Build once; :meth:`ask` is cheap."""

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self.parser = QuestionParser(framework)
        self.search = FrameworkSearch(framework)
        self._about: list[tuple[Section, frozenset[str]]] | None = None
        self._spaceless_words: tuple[str, ...] | None = None
        self._words: list[str] | None = None
        self._titles: list[tuple[Section, frozenset[str]]] | None = None
        self._answered = lru_cache(maxsize=1024)(self._ask)

    def ask(self, text: str, person_level: Level | None = None, chosen: tuple[str, ...] = ()) -> Answer:
        """The answer to ``text`` (with the meanings ``chosen`` from a "did you mean"), asked by someone at
        ``person_level``; the same question from the same level is answered once and remembered, as the framework
        does not change under an Answerer."""
        return self._answered(text or "", tuple(chosen), person_level.id if person_level else None)

    def _ask(self, text: str, chosen: tuple[str, ...], level_id: str | None) -> Answer:
        return self.answer(self.parser.parse(text, chosen), self.framework.level(level_id) if level_id else None)

    def answer(self, question: Question, person_level: Level | None = None) -> Answer:
        if question.ambiguities:
            return self._did_you_mean(question, person_level)
        answer = (
            self._about_pay(question)
            or self._from_a_section(question, person_level)
            or self._about_something_else(question)
            or self._beside_the_level(question)
            or self._beside_the_track(question)
            or _HANDLERS[question.intent](self, question, person_level)
        )
        answer.context.setdefault("framework", self.framework)
        if not question.is_personal:
            key = (
                answer.template,
                question.intent.value,
                *(x.id for x in question.levels),
                *(x.id for x in question.competencies),
                *(x.id for x in question.tracks),
                *((normalize(question.text),) if answer.template in _WORDING_DEPENDENT or answer.context.get("passages") else ()),
            )
            answer = replace(answer, key=key)
        return answer

    def _did_you_mean(self, question: Question, person: Level | None) -> Answer:
        """A phrase that names several things: settled by the asker's track when it can be (that answer is then about
        the asker), else each candidate is named, never one picked silently."""
        settled = did_you_mean.for_the_asker(self.parser, question, person)
        if not settled.ambiguities:
            answer = self.answer(settled, person)
            also = on_the_askers_track(self.framework, question, settled)
            return replace(answer, context={**answer.context, "also_meant": also} if also else answer.context, key=None)
        once = self._once_for_each(settled, person)
        if once is not None:
            return once
        ambiguity = settled.ambiguities[0]
        context = {
            "framework": self.framework,
            "question": settled.text,
            "phrase": ambiguity.phrase,
            "choices": did_you_mean.choices(self.framework, settled),
            "more": len(ambiguity.options) - did_you_mean.MAX_CHOICES,
            "also_open": [a.phrase for a in settled.ambiguities[1:]],
        }
        return Answer("did_you_mean", context, key=("did_you_mean", settled.text, *settled.chosen))

    def _once_for_each(self, question: Question, person: Level | None) -> Answer | None:
        """One answer for a phrase naming several levels, when which one was meant changes nothing it says (or the file
        says which is general): it names each of them (:mod:`bot.questions.one_answer`)."""

        def answer_with(chosen: tuple[str, ...]) -> Answer:
            return self.answer(self.parser.parse(question.text, chosen), person)

        found = one_answer(self.framework, self.parser, question, answer_with)
        if found is None:
            return None
        answer, also = found
        assert isinstance(answer, Answer)
        key = ("once", also.how, question.text, *question.chosen, *answer.key) if answer.key is not None else None
        return replace(answer, context={**answer.context, "also_meant": also}, key=key)

    def _about_pay(self, question: Question) -> Answer | None:
        """What a level named pays (:mod:`bot.questions.pay`): its band when the framework publishes bands, else what
        its own text says of pay, else the passages answering the question that speak of pay, else that the
        framework does not say; None for a question not about pay."""
        words = self.parser.vocabulary.words(question.text)
        if question.competencies or not asks_about_pay(words):
            return None
        if question.levels and self.framework.publish_bands and all(lv.band for lv in question.levels):
            return self.describe_level(question.levels[0]) if len(question.levels) == 1 else None
        hits = pay_passages(self.search.passages, [lv.id for lv in question.levels]) if question.levels else []
        hits = hits or [hit for hit in self.search.search(question.text) if speaks_of_pay(hit.passage.text)]
        if hits:
            return Answer("passages", {"hits": hits, "examples": self._examples()})
        if not question.levels and any(speaks_of_pay(p.text) for p in self.search.passages):
            return None  # it speaks of pay somewhere, though not as this question is put: searched as any other
        return self._not_said_of(question, pay_words_in(words))

    # -- one method per intent ---------------------------------------------------------------

    def _help(self, question: Question, person: Level | None, *, unknown: bool = False) -> Answer:
        return Answer("help", {"unknown": unknown, "tracks": self.framework.tracks, "examples": self._examples()})

    def _unknown(self, question: Question, person: Level | None) -> Answer:
        answer = self.from_the_text(question.text)
        if answer.template == "not_said" and self.parser.asks_for_time(question.text):
            said = self._prose_on_time(question)  # "how much time at a level?" in words the parser did not place
            if said:
                return Answer("passages", {"hits": said, "examples": self._examples()})
        return answer

    def _prose_on_time(self, question: Question) -> list[Hit]:
        """The framework's prose (not a level's or a competency's text) that speaks of time in the question's own
        time words ("tiempo") or the English ones, best first: for a question about time that names no level."""
        asked = set(self.parser.vocabulary.words(question.text))
        time_words = {w for phrase in self.parser.own_words.get("time", ()) for w in phrase.split()} | set(_TIME_WORDS)
        words = sorted(asked & time_words) or list(_TIME_WORDS)
        return [h for h in self.search.mentioning(words) if h.passage.level_id is None and h.passage.competency_id is None]

    def _level(self, question: Question, person: Level | None) -> Answer:
        """A level; asked how to reach it by someone whose level is not recorded ("comment devenir responsable juridique ?"), what
        it expects beyond the level leading to it, with what the framework's prose says of reaching it."""
        level = question.levels[0]
        if person is None and self.parser.asks_to_reach(question.text) and self.framework.previous_level(level):
            return self._assumed_gap(level, question.competencies, question)
        return self.describe_level(level)

    def describe_level(self, level: Level) -> Answer:
        fw = self.framework
        return Answer(
            "level",
            {
                "level": level,
                "track": fw.track_of(level),
                "expectations": self._expectations(level),
                "previous": fw.previous_level(level),
                "next_levels": [(lv, fw.track_of(lv)) for lv in fw.next_levels(level)],
                "equivalents": [(lv, fw.track_of(lv)) for lv in fw.equivalents_of(level)],
                "names_equivalents": fw.has_equivalents,
                "switches": self._routes_from(level),
            },
        )

    def _compare(self, question: Question, person: Level | None) -> Answer:
        sideways = self._switch_between_forks(question, person)
        if sideways:
            return sideways
        fw = self.framework
        if question.same_level_twice:
            level = question.levels[0]
            return Answer(
                "same_level",
                {
                    "level": level,
                    "track": fw.track_of(level),
                    "previous": fw.previous_level(level),
                    "next_levels": fw.next_levels(level),
                },
            )
        if len(question.levels) >= 2:
            before, after = _in_order(question.levels[0], question.levels[1], fw)
            answer = self.compare(before, after, question.competencies)
            answer.context["also_named"] = question.levels[2:]  # compared two at a time, and said so
            return answer
        after = question.levels[0]
        previous = fw.previous_level(after)
        if previous is None:
            return Answer(
                "bottom_level",
                {
                    "level": after,
                    "track": fw.track_of(after),
                    "next_levels": fw.next_levels(after),
                    "expectations": self._expectations(after),  # where people start: what it asks of them
                },
            )
        answer = self.compare(previous, after, question.competencies)
        if not question.competencies:  # one level named: the step up to it, with what the prose says of reaching it
            answer.context["passages"] = self._prose_naming(question, after, answer.context["guidance"])
        return answer

    def compare(self, before: Level, after: Level, only: tuple[Competency, ...] = (), *, you: bool = False) -> Answer:
        fw = self.framework
        same_track = before.track_id == after.track_id
        path = None if same_track else fw.path_between(before, after)  # up a trunk and into a track that forks from it
        on_one_path = same_track or path is not None
        written = () if only or on_one_path else _written_for(fw, before, after)
        competencies = only or (fw.competencies_for(after.track_id) if on_one_path else written[:MAX_SIDE_BY_SIDE])
        rows = [ExpectationRow(c, before.expectations.get(c.id, ""), after.expectations.get(c.id, "")) for c in competencies]
        return Answer(
            "compare",
            {
                "before": before,
                "after": after,
                "before_track": fw.track_of(before),
                "after_track": fw.track_of(after),
                "same_track": same_track,
                "on_one_path": on_one_path,
                "path": path or (),
                "equivalent": any(other.id == after.id for other in fw.equivalents_of(before)),
                "parallel": fw.equivalent_of(before, after.track_id),
                "rows": rows,
                "steps": after.rank - before.rank if same_track else len(path) - 1 if path else 0,
                "summaries": _summaries(before, after, rows) if not only else "",
                "guidance": [] if only else self.guidance_between(before, after),
                "you": you,
                "routes": [r for r in self._routes_from(before) if r.target.track_id == after.track_id]
                if not on_one_path
                else [],
                "also_named": (),
                "left_out": written[MAX_SIDE_BY_SIDE:],
            },
        )

    def _equivalent(self, question: Question, person: Level | None) -> Answer:
        level = question.levels[0]
        fw = self.framework
        group = fw.equivalents_of(level)
        asked = [t for t in question.tracks if t.id != level.track_id] or self._tracks_by_role(question, level)
        on_asked = (fw.equivalent_of(level, t.id) for t in asked)
        equivalent = next((lv for lv in on_asked if lv is not None), None) if asked else fw.equivalent_of(level)
        trunks = _trunks_below(fw, fw.track_of(level))  # the levels a track continues from are below it, not beside
        others = asked or [
            t for t in fw.tracks if t.id != level.track_id and t.family == fw.track_of(level).family and t.id not in trunks
        ]
        return Answer(
            "equivalent",
            {
                "level": level,
                "track": fw.track_of(level),
                "equivalent": equivalent,
                "equivalent_track": fw.track_of(equivalent) if equivalent else None,
                "equivalents": [(lv, fw.track_of(lv)) for lv in group],
                "asked_tracks": asked,
                "other_tracks": others,
                "names_equivalents": fw.has_equivalents,
                "passages": [] if group else self._prose_about(question),
                "pairs": [
                    (lv, same) for t in others for lv in t.levels if (same := fw.equivalent_of(lv, level.track_id)) is not None
                ],
            },
        )

    def guidance_between(self, before: Level, after: Level) -> list[Section]:
        """The framework's prose about the step from ``before`` to ``after`` ("Progressing from Senior (Lead) →
        Principal"): sections (other than competency definitions) about both levels, by their ``about`` or, when it
        is empty, by the names their titles hold."""
        wanted = {before.id, after.id}
        return [s for s, about in self._sections_about() if s.kind != "competencies" and wanted <= about]

    def _sections_about(self) -> list[tuple[Section, frozenset[str]]]:
        if self._about is None:
            vocabulary = self.parser.vocabulary
            self._about = [
                (
                    s,
                    frozenset(s.about)
                    or frozenset(
                        thing.id
                        for part in _TITLE_PARTS.split(s.title)  # "From Senior (Lead) → Principal": each side alone
                        for mention in vocabulary.find(vocabulary.words(part))
                        for thing in mention.options
                        if isinstance(thing, Level)
                    ),
                )
                for s in self.framework.sections
            ]
        return self._about

    def _prose_about(self, question: Question) -> list[Hit]:
        """The passages of the framework's prose (not a level's own text) that answer the question: what the file
        says in words where its structure names nothing ("A Research Manager is at the same level as an R4")."""
        return [hit for hit in self.search.search(question.text) if hit.passage.level_id is None]

    def _prose_on_switching(self, question: Question) -> list[Hit]:
        """The framework's prose (no level's or competency's own text) that speaks of moving between tracks in the
        English words for it or the question's own ("You can move between the paths at the same level"), where no
        section is about switching and the question's own words find nothing."""
        asked = set(self.parser.vocabulary.words(question.text)) & set(self.parser.own_words.get("switch", ()))
        hits = self.search.mentioning([*_SWITCHING, *sorted(asked)])
        return [h for h in hits if h.passage.level_id is None and h.passage.competency_id is None]

    def _tracks_by_role(self, question: Question, level: Level) -> list[Track]:
        """Other tracks a question names by a word of their name in another form ("the management level that matches
        Staff Engineer" for a Manager track, "engineering" for Engineer): a word the question does not hold as a name
        that shares its stem with a word of the track's name."""
        vocabulary = self.parser.vocabulary
        words = vocabulary.words(question.text)
        named = {i for m in vocabulary.find(words) for i in range(m.start, m.start + m.size)}
        loose = {w for i, w in enumerate(words) if i not in named and w not in STOP_WORDS and len(w) >= _STEM}
        return [
            t
            for t in self.framework.tracks
            if t.id != level.track_id and any(_same_stem(w, n) for w in loose for n in normalize(t.name).split())
        ]

    def _next_level(self, question: Question, person: Level | None) -> Answer:
        return self._onwards(question.levels[0], question, you=False)

    def _onwards(self, level: Level, question: Question, *, you: bool) -> Answer:
        """What comes after ``level``: the top of its track, the one next level compared with it, or, where tracks fork
        from it, every next level (on the tracks the question names, when it names some)."""
        fw = self.framework
        following = fw.next_levels(level)
        branches = {t.id for t in question.tracks if t.id != level.track_id}  # its own track says which level it is
        following = tuple(lv for lv in following if lv.track_id in branches) or following
        if not following:
            return Answer(
                "top_level", {"level": level, "track": fw.track_of(level), "switches": self._routes_from(level), "you": you}
            )
        if len(following) == 1:
            return self.compare(level, following[0], question.competencies, you=you)
        return Answer(
            "next_levels",
            {
                "level": level,
                "track": fw.track_of(level),
                "options": [(lv, fw.track_of(lv)) for lv in following],
                "you": you,
            },
        )

    def _competency(self, question: Question, person: Level | None) -> Answer:
        if question.group is not None:
            return self._group(question)
        competency = question.competencies[0]
        tracks = [
            t
            for t in self.framework.tracks
            if t.id in competency.tracks and any(competency.id in lv.expectations for lv in t.levels)
        ]
        sections = [s for s in self.framework.sections_of("competencies") if competency.id in s.about]
        return Answer("competency", {"competency": competency, "tracks": tracks, "sections": sections})

    def _competency_at_level(self, question: Question, person: Level | None) -> Answer:
        level = question.levels[0]
        fw = self.framework
        if question.group is not None:
            return self._group(question, level)
        competency = next((c for c in question.competencies if level.track_id in c.tracks), None)
        if competency is None:
            return Answer(
                "competency_elsewhere",
                {
                    "competency": question.competencies[0],
                    "level": level,
                    "track": fw.track_of(level),
                    "expectations": self._expectations(level),
                },
            )
        # a figure asked of one level ("how many years of experience does X need") is that level's, without its
        # neighbours' figures beside it
        figure = self._asks_a_figure(question)
        previous = None if figure else fw.previous_level(level)
        following = () if figure else fw.next_levels(level)
        return Answer(
            "competency_at_level",
            {
                "competency": competency,
                "level": level,
                "expectation": level.expectations.get(competency.id, "") or _field_named_as(competency, level),
                "previous": previous,
                "previous_expectation": previous.expectations.get(competency.id, "") if previous else "",
                "next_levels": [(lv, lv.expectations.get(competency.id, "")) for lv in following],
            },
        )

    def _switch(self, question: Question, person: Level | None) -> Answer:
        fw = self.framework
        source = question.levels[0] if question.levels else person
        targets = [t for t in question.tracks if source is None or t.id != source.track_id]
        if len(question.levels) > 1:
            targets = [fw.track_of(question.levels[1])]
        target_ids = {t.id for t in targets}

        def toward_target(route: SwitchRoute) -> bool:
            return not target_ids or route.target.track_id in target_ids

        candidates = self._routes_from(source) if source else [r for lv in fw.levels for r in self._routes_from(lv)]
        routes = [r for r in candidates if toward_target(r)]
        if source and not routes:  # no switching point at this level: show the ones on its track
            routes = [r for lv in fw.track_of(source).levels for r in self._routes_from(lv) if toward_target(r)]
        concerned = {t.id for t in targets} | ({source.id, source.track_id} if source else set())
        guidance = [s for s in fw.sections_of("switching") if not s.about or not concerned or concerned & set(s.about)]
        said = routes or guidance or fw.switching
        passages = [] if said else self._prose_about(question) or self._prose_on_switching(question)
        return Answer(
            "switch",
            {
                "source": source,
                "source_is_you": source is not None and source is person and not question.levels,
                "targets": targets,
                "routes": routes,
                "from_source": [r for r in routes if source is not None and r.source.id == source.id],
                "guidance": guidance,
                "passages": passages,  # what the text says of it elsewhere
            },
        )

    def _ladder(self, question: Question, person: Level | None) -> Answer:
        fw = self.framework
        groups = [list(question.tracks)] if question.tracks else families(fw)
        # Side by side reads well up to a few columns (and Slack allows 10 fields a row): wider families wrap.
        groups = [group[i : i + MAX_COLUMNS] for group in groups for i in range(0, len(group), MAX_COLUMNS)]
        return Answer(
            "ladder",
            {
                "tables": [side_by_side(fw, tracks) for tracks in groups],
                "names_equivalents": fw.has_equivalents,
                "described": [t for t in question.tracks if t.description],  # a track asked about: what it says of itself
            },
        )

    def _competencies(self, question: Question, person: Level | None) -> Answer:
        tracks = [(t, self.framework.competencies_for(t.id)) for t in self.framework.tracks]
        return Answer("competencies", {"tracks": tracks})

    def _promotion(self, question: Question, person: Level | None) -> Answer:
        sections = [s for s in self.framework.sections if s.kind == "promotion"]
        if not self.framework.promotion_principles and not sections:
            hits = self.search.search(question.text)
            if hits:
                return Answer("passages", {"hits": hits, "examples": self._examples()})
            mentions = self.search.mentioning(self._promotion_words(question))
            if mentions:
                return Answer("passages", {"hits": mentions, "examples": self._examples(), "mentioning": "promotion"})
        return Answer("promotion", {"examples": self._examples(), "sections": sections})

    def _promotion_words(self, question: Question) -> list[str]:
        """The words for promotion to look for in a framework that states no principles: the English ones and those
        of the question's own words that ask about promotion ("promoção", "Beförderung", the file's own)."""
        asked = set(self.parser.vocabulary.words(question.text)) & set(self.parser.own_words.get("promotion", ()))
        return [*_PROMOTED, *sorted(asked)]

    def _my_next(self, question: Question, person: Level | None) -> Answer:
        if person is None:
            guidance = [s for s in self.framework.sections if s.kind == "promotion"]
            said = [] if guidance else self.search.mentioning(self._promotion_words(question))
            return Answer("unknown_person", {"examples": self._examples(), "sections": guidance, "passages": said})
        return self._onwards(person, question, you=True)

    def _my_gap(self, question: Question, person: Level | None) -> Answer:
        sideways = self._switch_between_forks(question, person)
        if sideways:
            return sideways
        if len(question.levels) >= 2:
            return self._compare(question, person)
        if question.levels:
            target = question.levels[0]
            if self._is_a_track_switch(person, target):
                return self._switch(replace(question, levels=(), tracks=(self.framework.track_of(target),)), person)
            if person is None:
                return self._assumed_gap(target, question.competencies, question)
            if person.id == target.id:
                before = self.framework.previous_level(target)
                return self.compare(before, target, question.competencies) if before else self.describe_level(target)
            return self.compare(person, target, question.competencies, you=True)
        return self._my_next(question, person)

    def from_the_text(self, text: str) -> Answer:
        """The passages of the framework that answer ``text``, quoted with their places; or, when none matches
        well enough, that the framework does not say (with what Ladder can answer)."""
        hits = self.search.search(text)
        if hits:
            return Answer("passages", {"hits": hits, "examples": self._examples()})
        return Answer("not_said", {"tracks": self.framework.tracks, "examples": self._examples()})

    def _about_something_else(self, question: Question) -> Answer | None:
        """Passages, when a question was placed only by its question words or by the name it holds, but asks about
        something the framework's text answers beyond that: a general question ("what do I need to become a chapter
        lead", "show me the on-call expectations"), a level's name with a subject of its own ("will principal analysts
        be owning several budgets?", "what does growth look like for an auditor?": passages other than the level's
        own, which its description already shows), promotion with one ("is this ladder a tick-box list for
        promotion?")."""
        names = (*question.levels, *question.competencies, *question.tracks)
        if question.intent in _GENERAL_INTENTS and not names:
            subject = self._subject(question)
            hits = self.search.search(" ".join(subject)) if subject else []
        elif question.intent is Intent.LEVEL and len(question.levels) == 1 and not question.competencies:
            level = question.levels[0]
            # another level's text is not about the level asked ("the reach of Tier 3" is not Tier 2's "one or two clients"),
            # though it may be about another level its name could mean (each "Senior Specialist" of three tracks)
            named = self._levels_named(question)
            hits = self._beyond_the_names(question)
            if not _asks_who(question.text):  # "who trains new analysts?" asks which level does it, not of "Analyst"
                hits = [hit for hit in hits if hit.passage.level_id in named | {None, level.id}]
            if all(hit.passage.level_id == level.id for hit in hits):
                return None
        elif question.intent is Intent.PROMOTION and not names:
            hits = self._beyond_the_names(question)
        elif self._levels_without_a_comparison(question):
            # "how common are R7 and R8": two levels named with a subject of their own, no word asking to compare them
            named = self._levels_named(question)
            hits = [hit for hit in self._beyond_the_names(question) if hit.passage.level_id in named | {None}]
            if all(hit.passage.level_id is not None for hit in hits):
                return None
        else:
            return None
        return Answer("passages", {"hits": hits, "examples": self._examples()}) if hits else None

    def _from_a_section(self, question: Question, person: Level | None) -> Answer | None:
        """A question placed only by its question words that names a section of the framework's prose by its title
        ("como funciona a troca de área?" for "Troca de área"), or asks to switch tracks where the file has
        sections on switching: answered from those sections (switching and promotion ones as those questions are),
        not by the list of levels."""
        if question.levels or question.competencies or question.intent not in (Intent.LADDER, Intent.UNKNOWN):
            return None
        words = set(self.parser.vocabulary.words(question.text))
        titled = [s for s, title in self._section_titles() if all(any(_same_stem(w, t) for w in words) for t in title)]
        switching = self.framework.sections_of("switching")
        if switching and self.parser.asks(question.text, "switch") and question.intent is Intent.LADDER:
            titled = [*titled, *switching]
        kinds = {s.kind for s in titled}
        if "switching" in kinds:
            return self._switch(question, person)
        if "promotion" in kinds:
            return self._promotion(question, person)
        places = {s.title for s in titled}
        hits = [
            Hit(p, quote(p.text, p.text, QUOTE_BUDGET // max(1, len(places))), 1.0)
            for p in self.search.passages
            if p.place in places and p.level_id is None and p.competency_id is None
        ]
        return Answer("passages", {"hits": hits[:MAX_HITS], "examples": self._examples()}) if hits else None

    def _section_titles(self) -> list[tuple[Section, frozenset[str]]]:
        """Each section with the words of its title that say what it is about; a title of ladder words alone
        ("Tracks", "Levels overview") is left out, since asking for those is asking for the ladder."""
        if self._titles is None:
            vocabulary = self.parser.vocabulary
            self._titles = []
            for section in self.framework.sections:
                title = frozenset(w for w in vocabulary.words(section.title) if w not in STOP_WORDS and len(w) > 1)
                if title and not all(self.parser.asks(w, "ladder") for w in title):
                    self._titles.append((section, title))
        return self._titles

    def _beside_the_level(self, question: Question) -> Answer | None:
        """That the framework does not say, when a question names a level but asks about something no passage of the
        framework speaks of ("how many parking spaces does a K2 get", "does a claims lead get a gym membership"): a word
        of its subject the framework's text never holds, and nothing answering the question as a whole. Only for a
        question placed by its name and weak words ("what is", "get"), never one asking a comparison, the next
        level or an equivalent, which the framework's structure answers whatever else it holds."""
        if not question.levels or question.competencies or question.intent not in _PLACED_BY_THE_NAME:
            return None
        if question.intent is not Intent.LEVEL and (len(question.levels) > 1 or question.same_level_twice):
            return None
        subject = [w for w in self._subject(question) if w not in _FILLER and not self._names_a_role(w)]
        missing = [w for w in subject if not self._mentioned(w)]
        if not missing or self.search.search(question.text):
            return None
        return self._not_said_of(question, missing)

    def _beside_the_track(self, question: Question) -> Answer | None:
        """That the framework does not say, when a question names only a track but asks about something no passage
        speaks of ("is there a book allowance for the legal track?"): a word of its subject the framework's text never
        holds and nothing answering the question, rather than the track's levels."""
        if question.intent is not Intent.LADDER or not question.tracks or question.levels or question.competencies:
            return None
        subject = [w for w in self._subject(question) if w not in _FILLER and not self._names_a_role(w)]
        if not any(not self._mentioned(w) for w in subject) or self.search.search(question.text):
            return None
        return self.from_the_text(question.text)

    def _names_a_role(self, word: str) -> bool:
        """Whether a word only names the kind of job beside a level's name ("a senior *engineer*" of a ladder whose
        levels are "Júnior".."Sênior"): a generic role noun, or a form of a word of a track's or the framework's
        name. Not a subject the framework could leave unanswered once the level is found."""
        if word in _ROLE_NOUNS or word.rstrip("s") in _ROLE_NOUNS:
            return True
        names = [self.framework.name, *(t.name for t in self.framework.tracks)]
        return any(_same_stem(word, n) for name in names for n in normalize(name).split())

    def _mentioned(self, word: str) -> bool:
        """Whether any passage of the framework holds ``word``: in any of its forms, shortened ("comms" for
        "communication") or with a typo ("automaton")."""
        if is_spaceless(word[0]):
            return bool(self.search.search(word))
        if self.search.mentioning([word], limit=1):
            return True
        if self._words is None:
            self._words = _words_of(self.search.passages) + _words_of_names(self.framework)
        stem = word.rstrip("s")
        if len(stem) >= _SHORTENED and any(w.startswith(stem) for w in self._words):
            return True
        return len(word) >= _TYPO and process.extractOne(word, self._words, scorer=fuzz.ratio, score_cutoff=85) is not None

    def _not_said_of(self, question: Question, subject: list[str]) -> Answer:
        """The framework does not say what was asked (about ``subject``) of the levels the question names; what it
        does say of them, to ask about instead."""
        fw = self.framework
        return Answer(
            "not_said_of",
            {
                "levels": [(lv, fw.track_of(lv)) for lv in question.levels],
                "subject": subject,
                "competencies": [c.name for c in fw.competencies if any(c.id in lv.expectations for lv in question.levels)],
                "examples": self._examples(),
            },
        )

    def _levels_without_a_comparison(self, question: Question) -> bool:
        """Several levels named as a comparison only because they are several, with no word asking for one."""
        return (
            question.intent is Intent.COMPARE
            and len(question.levels) >= 2
            and not question.competencies
            and not question.same_level_twice
            and not any(self.parser.asks(question.text, kind) for kind in ("difference", "next", "promotion"))
            and not self.parser.asks_to_reach(question.text)
        )

    def _asks_a_figure(self, question: Question) -> bool:
        """Whether the question asks how many or how long, in words beyond the names it holds ("how many months of
        practice does X need" does; "what does Months of practice look like at X" does not)."""
        if counted_words(question.text) is not None:
            return True
        vocabulary = self.parser.vocabulary
        words = vocabulary.words(question.text)
        named = {i for m in vocabulary.find(words) for i in range(m.start, m.start + m.size)}
        return self.parser.asks_for_time(" ".join(w for i, w in enumerate(words) if i not in named))

    def _levels_named(self, question: Question) -> set[str | None]:
        """Every level a name in the question could mean, whichever of them it was taken to mean."""
        vocabulary = self.parser.vocabulary
        mentions = vocabulary.find(vocabulary.words(question.text))
        return {thing.id for mention in mentions for thing in mention.options if isinstance(thing, Level)}

    def _beyond_the_names(self, question: Question) -> list[Hit]:
        """The passages answering the whole question, when it has words of its own beyond the names it holds."""
        return self.search.search(question.text) if self._subject(question) else []

    def _subject(self, question: Question, *, with_names: bool = False) -> list[str]:
        """The question's words that say what it is about: not its question words, nor (unless ``with_names``) the
        names it holds, as the vocabulary finds them (short names, typos and plurals included), nor numbers and
        single letters ("1. Associate Engineer" is a name with its number)."""
        vocabulary = self.parser.vocabulary
        words = vocabulary.words(question.text)
        mentions = () if with_names else vocabulary.find(words)
        named = {i for mention in mentions for i in range(mention.start, mention.start + mention.size)}
        own = {w for phrases in self.parser.own_words.values() for phrase in phrases for w in phrase.split()}
        said = INTENT_WORDS | GENERIC_WORDS | STOP_WORDS
        elided = _elided(question.text)
        found = [
            elided.get(w, w)
            for i, w in enumerate(words)
            if i not in named and w not in said and w not in own and len(w) > 1 and not w.isdigit()
        ]
        found = [_without_question_words(w, self._spaceless_question_words()) for w in found]
        return [w for w in found if w and w not in said and not _grammar_only(w)]

    def _spaceless_question_words(self) -> tuple[str, ...]:
        """Question words in a script written without spaces ("とは", "是什么"), longest first: cut out of a run of
        text beside a name ("って何ですか")."""
        if self._spaceless_words is None:
            phrases = {p for ps in self.parser.own_words.values() for p in ps if has_spaceless(p) and " " not in p}
            self._spaceless_words = tuple(sorted(phrases, key=len, reverse=True))
        return self._spaceless_words

    def _assumed_gap(self, target: Level, only: tuple[Competency, ...], question: Question | None = None) -> Answer:
        """What ``target`` expects beyond the level leading to it, for someone whose level is not recorded; with the
        passages of the framework's prose answering the question that name ``target`` ("Pour devenir Responsable juridique,
        il faut avoir occupé le niveau J3 pendant deux ans")."""
        fw = self.framework
        before = fw.previous_level(target)
        if before is None:
            prose = self._prose_naming(question, target, []) if question is not None and not only else []
            return self._first_level(target, prose) if prose else self.describe_level(target)
        also = [lv for lv in fw.levels if lv.id != before.id and target in fw.next_levels(lv)]
        competencies = only or fw.competencies_at(target)
        rows = [ExpectationRow(c, before.expectations.get(c.id, ""), target.expectations.get(c.id, "")) for c in competencies]
        guidance = [] if only else self.guidance_between(before, target)
        return Answer(
            "assumed_gap",
            {
                "before": before,
                "after": target,
                "track": fw.track_of(target),
                "rows": rows,
                "also_from": also,
                "guidance": guidance,
                "passages": [] if only or question is None else self._prose_naming(question, target, guidance),
            },
        )

    def _first_level(self, level: Level, passages: list[Hit]) -> Answer:
        fw = self.framework
        return Answer(
            "bottom_level",
            {
                "level": level,
                "track": fw.track_of(level),
                "next_levels": fw.next_levels(level),
                "expectations": self._expectations(level),
                "passages": passages,
            },
        )

    def _prose_naming(self, question: Question, level: Level, shown: list[Section]) -> list[Hit]:
        """The sentences of the framework's prose (not a level's or a competency's own text) that name ``level`` by its
        title or an alias, other than in the sections already shown: what the file says of reaching it ("Pour devenir
        Responsable juridique, il faut …", "You may put yourself forward for a Claims Lead opening after a year as …"). Passages holding
        a word of the question beyond the names ("devenir", "become") first; at most :data:`MAX_HITS`."""
        vocabulary = self.parser.vocabulary
        words = vocabulary.words(question.text)
        named = {i for m in vocabulary.find(words) for i in range(m.start, m.start + m.size)}
        asked = {w[:_STEM] for i, w in enumerate(words) if i not in named and len(w) >= _STEM - 1 and w.isalpha()}
        names = [f" {normalize(n)} " for n in (level.title, *level.aliases) if normalize(n)]
        titles = {s.title for s in shown}
        found: list[tuple[bool, Hit]] = []
        for passage in self.search.passages:
            if passage.level_id or passage.competency_id or passage.place in titles:
                continue
            sentences = [t for t in _SENTENCES.split(passage.text) if any(n in f" {normalize(t)} " for n in names)]
            if sentences:
                said = " … ".join(t.strip() for t in sentences)
                shares = bool(asked & {w[:_STEM] for w in normalize(passage.text).split()})
                found.append((shares, Hit(passage, quote(said, said, QUOTE_BUDGET // MAX_HITS), 1.0)))
        found.sort(key=lambda item: not item[0])
        return [hit for _, hit in found[:MAX_HITS]]

    def _competency_change(self, question: Question, person: Level | None) -> Answer:
        before, after = _in_order(question.levels[0], question.levels[1])
        named = question.competencies
        if question.group is not None:  # a group: its competencies either level has, as many as a message holds
            held = [c for c in named if c.id in before.expectations or c.id in after.expectations]
            named = tuple((held or list(named))[:MAX_GROUP_ROWS])
        rows = [ExpectationRow(c, before.expectations.get(c.id, ""), after.expectations.get(c.id, "")) for c in named]
        return Answer(
            "competency_change",
            {
                "before": before,
                "after": after,
                "rows": rows,
                "also_named": question.levels[2:],
                "group": question.group,
                "left_out": len(question.competencies) - len(rows) if question.group is not None else 0,
            },
        )

    def _group(self, question: Question, level: Level | None = None) -> Answer:
        """A category of competencies: each with its description, or with its expectation at ``level``."""
        group = question.group
        assert group is not None
        members = list(group.competencies)
        if level is not None:
            members = [c for c in members if level.track_id in c.tracks] or members
        shown = members[:MAX_GROUP_ROWS]
        return Answer(
            "group",
            {
                "group": group,
                "level": level,
                "rows": [(c, level.expectations.get(c.id, "") if level is not None else "") for c in shown],
                "left_out": [c.name for c in members[MAX_GROUP_ROWS:]],
            },
        )

    def _time(self, question: Question, person: Level | None) -> Answer:
        fw = self.framework
        if len(question.levels) >= 2:
            a, b = question.levels[0], question.levels[1]
            path = fw.path_between(a, b) or fw.path_between(b, a)
            low, high = (path[0], path[-1]) if path else (a, b)
            return self._time_along(question, low, high, path, start="named")
        return self._time_in_every_level(question)

    def _my_time(self, question: Question, person: Level | None) -> Answer:
        fw = self.framework
        if not question.levels:
            if person is None:
                return self._time_in_every_level(question, unknown_person=True)
            following = fw.next_level(person)
            path: tuple[Level, ...] | None = (person, following) if following else (person,)
            return self._time_along(question, person, following or person, path, start="you")
        target = question.levels[0]
        if _staying(set(normalize(question.text).split())):  # "how long do people stay at Senior"
            return self._time_along(question, target, target, (target,), start="you" if person == target else "named")
        if person is not None:
            path = fw.path_between(person, target)
            if path:
                return self._time_along(question, person, target, path, start="you")
        first = target
        for _ in fw.levels:  # the first level of the line leading to ``target``
            below = fw.previous_level(first)
            if below is None:
                break
            first = below
        start = "first" if person is None else "not_below"
        return self._time_along(question, first, target, fw.path_between(first, target), start=start, person=person)

    def _time_along(
        self,
        question: Question,
        low: Level,
        high: Level,
        path: tuple[Level, ...] | None,
        *,
        start: str,
        person: Level | None = None,
    ) -> Answer:
        """The typical time from ``low`` to ``high``: the stated time in each level of ``path`` below ``high``
        (the time in ``high`` itself when they are the same level), added up where the framework states it; the
        time stated for ``high`` itself is shown beside, not counted."""
        spent = (path[:-1] or path) if path else ()
        rows = [_time_row(self.framework, lv) for lv in spent]
        reached = _time_row(self.framework, high)
        arrival = reached if path and len(path) > 1 and reached.stated else None
        return Answer(
            "time",
            {
                "low": low,
                "high": high,
                "on_one_path": path is not None,
                "start": start,
                "person": person,
                "rows": rows,
                "total": total([r.duration for r in rows if r.duration]),
                "unstated": [r.level for r in rows if not r.stated],
                "unread": [r for r in rows if r.stated and r.duration is None],
                "arrival": arrival,
                "mentions": self._time_mentions(question, path) if rows and not any(r.stated for r in rows) else [],
            },
        )

    def _time_in_every_level(self, question: Question, *, unknown_person: bool = False) -> Answer:
        fw = self.framework
        tracks = [(t, [(lv, said.text) for lv in t.levels if (said := stated_time(fw, lv)).text]) for t in fw.tracks]
        stated = any(levels for _, levels in tracks)
        return Answer(
            "time_in_levels",
            {
                "tracks": [(t, levels) for t, levels in tracks if levels],
                "unknown_person": unknown_person,
                "mentions": [] if stated else self._time_mentions(question),
            },
        )

    def _time_mentions(self, question: Question, path: tuple[Level, ...] | None = None) -> list[Hit]:
        """For when no level states a typical time: what the levels on the way say of time elsewhere ("Experience:
        usually at least three years"), else the passages answering the question's own words that state
        a time ("reach PL3 in about 2y"), else the passages that speak of time at all."""
        stated = self.search.stating_a_length_of_time([lv.id for lv in path]) if path else []
        if stated:
            return stated
        subject = self._subject(question, with_names=True)
        hits = [h for h in self.search.search(" ".join(subject)) if _STATES_TIME.search(h.quote)] if subject else []
        return hits or self.search.mentioning([*_TIME_WORDS, *self.parser.own_words.get("time", ())])

    # -- helpers -----------------------------------------------------------------------------

    def _switch_between_forks(self, question: Question, person: Level | None) -> Answer | None:
        """A question that asks to switch ("can I switch to team lead?") from one level to another on a fork beside it,
        where the framework has sections on switching: their guidance, with what the target level is."""
        fw = self.framework
        if not fw.sections_of("switching") or not self.parser.asks(question.text, "switch"):
            return None
        source = question.levels[0] if len(question.levels) >= 2 else person
        target = question.levels[-1] if question.levels else None
        if source is None or target is None or source.id == target.id or not self._forks_apart(source, target):
            return None
        answer = self._switch(replace(question, levels=(source,), tracks=(fw.track_of(target),)), None)
        answer.context["source_is_you"] = source is person and len(question.levels) < 2
        answer.context["target_level"] = target
        return answer

    def _forks_apart(self, a: Level, b: Level) -> bool:
        """``a`` and ``b`` sit on forks beside each other rather than one above the other: on tracks neither of which
        leads to the other, or on one track with the same grade code in their titles ("CS4 · …" and "CS4 · …")."""
        fw = self.framework
        if a.track_id != b.track_id:
            return fw.path_between(a, b) is None and fw.path_between(b, a) is None
        code_a, code_b = _GRADE_CODE.match(a.title), _GRADE_CODE.match(b.title)
        return bool(code_a and code_b and normalize(code_a["code"]) == normalize(code_b["code"]))

    def _is_a_track_switch(self, person: Level | None, target: Level) -> bool:
        """Becoming ``target`` means changing track: the asker is on another one that does not lead up to it (a trunk
        leads up to the tracks that fork from it), or (asker unknown) ``target`` is where people enter its track from
        another one, and no level leads up to it."""
        fw = self.framework
        if person is not None:
            return person.track_id != target.track_id and fw.path_between(person, target) is None
        entered_from_elsewhere = any(sp.to == target.id for lv in fw.levels for sp in lv.switch_points)
        return fw.previous_level(target) is None and entered_from_elsewhere

    def _expectations(self, level: Level) -> list[tuple[Competency, str]]:
        return [
            (c, level.expectations[c.id]) for c in self.framework.competencies_for(level.track_id) if c.id in level.expectations
        ]

    def _routes_from(self, level: Level) -> list[SwitchRoute]:
        return [SwitchRoute(point, level, target) for point, target in self.framework.switch_targets(level)]

    def _examples(self) -> list[str]:
        """Example questions built from this framework's own names, so they always work."""
        fw = self.framework
        first = fw.tracks[0]
        middle = first.levels[len(first.levels) // 2]
        examples = [f"what does {middle.title} mean?"]
        previous = fw.previous_level(middle)
        if previous:
            examples.append(f"what's the difference between {previous.title} and {middle.title}?")
        if fw.equivalents_of(middle):
            examples.append(f"what's the equivalent of {middle.title} on the other track?")
        competency = next(iter(fw.competencies_for(first.id)), None)
        if competency:
            examples.append(f"what does {competency.name.lower()} look like at {middle.title}?")
        examples.append(f"what comes after {middle.title}?")
        if len(fw.tracks) > 1:
            examples.append(f"how do I move to the {fw.tracks[1].name} track?")
        examples += ["show me the ladder", "what's my next level?"]
        return examples

    _HANDLER_NAMES = {
        Intent.HELP: "_help",
        Intent.UNKNOWN: "_unknown",
        Intent.LEVEL: "_level",
        Intent.COMPARE: "_compare",
        Intent.EQUIVALENT: "_equivalent",
        Intent.NEXT_LEVEL: "_next_level",
        Intent.COMPETENCY: "_competency",
        Intent.COMPETENCY_AT_LEVEL: "_competency_at_level",
        Intent.SWITCH: "_switch",
        Intent.LADDER: "_ladder",
        Intent.PROMOTION: "_promotion",
        Intent.COMPETENCIES: "_competencies",
        Intent.MY_NEXT: "_my_next",
        Intent.MY_GAP: "_my_gap",
        Intent.COMPETENCY_CHANGE: "_competency_change",
        Intent.TIME: "_time",
        Intent.MY_TIME: "_my_time",
    }


_HANDLERS = {intent: getattr(Answerer, name) for intent, name in Answerer._HANDLER_NAMES.items()}

_WHO = frozenset({"who", "whom", "qui", "wer", "chi", "quem", "quien", "quién", "кто"})
"""A question's first word asking which level (or person) does something."""


def _asks_who(text: str) -> bool:
    """ "who reviews …": asks which level does what the question says, so a level's name in it ("who manages outside
    counsel?") is part of what is done, not the level asked about."""
    words = normalize(text).split()
    return bool(words) and words[0] in _WHO


_GENERAL_INTENTS = frozenset({Intent.LADDER, Intent.MY_NEXT, Intent.MY_GAP, Intent.COMPETENCIES})
"""Intents a question gets from its question words alone ("list", "my", "need"): it may be about something else."""
_WORDING_DEPENDENT = frozenset({"passages", "not_said_of"})
_PLACED_BY_THE_NAME = frozenset({Intent.LEVEL, Intent.COMPARE, Intent.MY_GAP})
"""Intents a question naming one level gets from its name and weak words ("what is", "get", "need")."""
_FILLER = frozenset(
    """
    typically typical usually normally generally actually basically exactly really day days daily kind sort one ones
    someone somebody person people anyone everyone usual
    """.split()
)
"""Words of a question about a level that say nothing it is about ("what does a T3 typically do day to day")."""
_ROLE_NOUNS = frozenset(
    """
    engineer developer programmer manager designer analyst scientist consultant specialist employee staffer worker
    member professional contributor ic dev eng mgr
    """.split()
)
"""Generic nouns of a job, in English: beside a level's name they say what kind of job, not what is asked of it."""
_SWITCHING = ("switch", "switching", "move", "moving", "transfer", "sideways", "lateral")
"""What a passage about moving between tracks says (stemmed when searched: "switches", "moves")."""
_PROMOTED = ("promotion", "promoted")
"""What a passage about promotion says (stemmed when searched: "promotions", "promote")."""
"""Answers whose content depends on the question's words, not only on what it names."""
_TIME_WORDS = ("years", "months", "time", "tenure")
_STAYING = frozenset(
    """
    stay stays staying spend spends spent remain remains
    reste restent rester demeure fica ficam ficar permanece permanecem permanecer queda quedan quedarse permanecen
    bleibt bleiben bleibe verbringt verbringen resta restano restare rimane rimangono rimanere
    остаются остается остаётся находятся
    """.split()
)
"""Words that ask how long people are at a level, rather than how long it takes to reach it."""
_BEING = frozenset({"is", "are", "am", "be", "being", "was", "were"})
_TOWARD = frozenset({"to", "until", "till", "reach", "reaching", "get", "become", "becoming", "promoted", "promotion", "before"})


def _staying(words: set[str]) -> bool:
    """Whether a time question asks how long people are at a level ("how long do people remain Principal", "how long
    does one typically sit at K3") rather than how long it takes to reach it ("how long to become a K3")."""
    return bool(words & _STAYING) or bool(words & _BEING and not words & _TOWARD)


_GRADE_CODE = re.compile(r"^\s*(?P<code>[A-Z]{1,5}[ -]?\d{1,2}[A-Za-z]?)\b")
"""A grade code opening a title ("CS4 · Team Lead", "L5 Engineer"): levels sharing one are at the same grade."""
_STATES_TIME = re.compile(r"\d|\b(?:years?|months?|weeks?|time)\b|年|月|週", re.IGNORECASE)


_TITLE_PARTS = re.compile(r"\s*(?:→|⟶|->|=>|»|—|–|\s-\s|/|:|\|)\s*")
"""What stands between the two levels a section's title names ("Progressing from Senior (Lead) → Principal")."""
_STEM = 5
"""Letters two forms of a word share at least ("manag" of "managing" and "manager")."""
_ENDING = 3
"""Letters the shorter of two forms of a word may have beyond their shared start ("manager" and "management")."""


def _same_stem(a: str, b: str) -> bool:
    """Whether two words are forms of one word: "management" and "manager", "engineering" and "engineer"."""
    if a == b:
        return True
    shared = len(os.path.commonprefix([a, b]))
    return shared >= _STEM and min(len(a), len(b)) - shared <= _ENDING and not (a.isdigit() or b.isdigit())


MAX_GROUP_ROWS = 40
"""Competencies of one group an answer shows, each in a block of its own (a message holds 50 blocks)."""

SHORT_SUMMARY = 600
"""Characters of each level's summary shown beside the expectation rows of a comparison (all of it when the summaries
say more than the rows): the rows stay within Slack's blocks."""


def _written_for(framework: Framework, *levels: Level) -> tuple[Competency, ...]:
    """The competencies either of two levels on different tracks states an expectation for, in file order: the rows
    that show both levels side by side (at most :data:`MAX_SIDE_BY_SIDE` are shown, the rest named)."""
    return tuple(c for c in framework.competencies if any(c.id in lv.expectations for lv in levels))


MAX_SIDE_BY_SIDE = 20
"""Competency rows of a comparison across tracks: with the summaries and notes, within Slack's 50 blocks."""


def _summaries(before: Level, after: Level, rows: list[ExpectationRow]) -> str:
    """How a comparison shows the two levels' summaries: "full" when they say more than the rows, "short" (cut at
    :data:`SHORT_SUMMARY`) beside rows that say more, "" when neither level has one."""
    if not (before.summary or after.summary):
        return ""
    return "full" if _prose_says_more(before, after, rows) else "short"


def _prose_says_more(before: Level, after: Level, rows: list[ExpectationRow]) -> bool:
    """Whether two levels' summaries say more about them than their expectations do (no expectations at all, or a
    competency or two beside pages of prose): then a comparison shows both summaries, not only the rows."""
    prose = len(before.summary or "") + len(after.summary or "")
    return prose > 0 and prose > sum(len(row.before) + len(row.after) for row in rows)


def _time_row(framework: Framework, level: Level) -> TimeRow:
    said = stated_time(framework, level)
    return TimeRow(level, said.text, said.duration)


def _in_order(a: Level, b: Level, framework: Framework | None = None) -> tuple[Level, Level]:
    """Lower level first, whatever order they were asked in: on one track, and (given the framework) up a trunk into
    a track that forks from it."""
    if a.track_id == b.track_id and a.rank > b.rank:
        return b, a
    if framework is not None and a.track_id != b.track_id and framework.path_between(b, a) is not None:
        return b, a
    return a, b


def _trunks_below(framework: Framework, track: Track) -> set[str]:
    """The tracks ``track`` continues from, down to the first (a branch's trunk, and the trunk's own trunk)."""
    found: set[str] = set()
    while track.starts_after and (before := framework.level(track.starts_after)) is not None and before.track_id not in found:
        found.add(before.track_id)
        track = framework.track_of(before)
    return found


_SHORTENED = 4
"""Letters a word needs to be read as the start of a longer word of the framework ("comm" of "communication")."""
_TYPO = 5
"""Letters a word needs to be read as a typo of a word of the framework."""
MAX_FRAMEWORK_WORDS = 50_000
"""Distinct words of a framework's text kept for telling a shortened or mistyped word from one it never holds."""


def _words_of(passages: list[Passage]) -> list[str]:
    found: dict[str, None] = {}
    for passage in passages:
        for word in re.findall(r"[^\W\d_]{3,}", normalize(passage.text)):
            found[word] = None
            if len(found) >= MAX_FRAMEWORK_WORDS:
                return list(found)
    return list(found)


def _words_of_names(framework: Framework) -> list[str]:
    """The words of the framework's names: its levels' titles and aliases ("SFIA 6"), its tracks and competencies."""
    names = [framework.name, *(n for lv in framework.levels for n in (lv.title, *lv.aliases))]
    names += [n for t in framework.tracks for n in (t.name, *t.aliases)]
    names += [n for c in framework.competencies for n in (c.name, *c.aliases)]
    return list(dict.fromkeys(w for name in names for w in normalize(name).split() if len(w) >= 2))


_SENTENCES = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])|\n+")


_ELISION = re.compile(r"(?<![^\W\d_])(d|qu|j|n|s|c|m|t|l|un|dell|all|nell|sull)['\u2019]([^\W\d_]+)", re.IGNORECASE)
"""A French or Italian elided word joined to the next by an apostrophe ("d'un", "qu'est", "dell'area")."""


def _elided(text: str) -> dict[str, str]:
    """The words a question writes with an elision, as the normal form joins them ("dun"), to the word after it
    ("un"): "d'un" asks about nothing, and "d'autonomie" about "autonomie"."""
    return {normalize(m.group(1) + m.group(2)): normalize(m.group(2)) for m in _ELISION.finditer(text)}


def _without_question_words(word: str, phrases: tuple[str, ...]) -> str:
    """A run of a spaceless script without the question words inside it ("って何ですか" -> "")."""
    if not word or not is_spaceless(word[0]):
        return word
    for phrase in phrases:
        word = word.replace(phrase, "")
    return word


def _grammar_only(word: str) -> bool:
    """Only hiragana (particles and endings in Japanese: "の", "は", "ですか"), which says no subject of its own."""
    return all("\u3040" <= c <= "\u309f" or not c.isalnum() for c in word)


def _field_named_as(competency: Competency, level: Level) -> str:
    """A level's field (scope, decision rights, summary, typical time in level) that a competency of the same name
    stands for: a framework may define "Scope" among its competencies while its levels hold their scope as a field."""
    name = field_named(competency.name)
    value = getattr(level, name, None) if name else None
    return value if isinstance(value, str) else ""

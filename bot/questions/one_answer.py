"""A phrase naming several levels that needs no "did you mean": one answer serves, and it names every level meant.

Asking back which level was meant is right when the answer depends on it. Three shapes of file make the choice idle,
and the answer is then given once, naming every candidate (in Slack with a button for each one it is not about):

- **the same answer for each**: the candidates would be told the same thing (the same expectation for the competency
  asked about, the same passages, the same level text, no equivalent named for any of them) — "Lead Advisor" on
  three advisory tracks written alike, "Senior Loss Adjuster" for two levels with one text for the competency;
- **a run of one title on one track** ("Level 5: Senior Surveyor", "Level 6: Senior Surveyor"): what
  comes after the title is what comes after the last of them; what it takes to become it, what leads to the first;
- **a general level and the tracks that add to it**: the candidates are one group of equivalents, and one of them is
  the level every other one is named as equivalent to (the file maps each stack's "Middle" onto the base "Middle",
  which the stacks add to): the answer is about that one, and names the others.

Anything else is asked back: never a silent pick.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Callable, Hashable

from bot.framework.model import Framework, Level
from bot.questions.did_you_mean import Choice, choice_of
from bot.questions.meanings import key_of
from bot.questions.parser import Intent, Question, QuestionParser

MAX_COMPARED = 12
"""Candidates answered one by one to see whether their answers are the same; more are asked back without trying."""

_COMPARING: ContextVar[bool] = ContextVar("comparing_answers", default=False)
"""Set while the candidates' answers are being compared, so that a second phrase of several levels met meanwhile is
not compared too (at most :data:`MAX_COMPARED` answers per question, not their product)."""

MIN_GENERAL_GROUP = 3
"""Levels a group of equivalents needs before one of them can be the one the others were written against: with two,
each naming the other says nothing about which is general."""

_AFTER = frozenset({Intent.NEXT_LEVEL})
"""Questions about what comes after a level: of a run of one title, the last is meant."""
_REACHING = frozenset({Intent.COMPARE, Intent.MY_GAP, Intent.PROMOTION})
"""Questions about reaching a level (asked of one level): of a run of one title, the first is meant."""


@dataclass(frozen=True)
class AlsoMeant:
    """What an answer given once for a phrase of several levels says about the others."""

    phrase: str
    how: str
    """``same``: the answer is the same for each; ``run``: the levels share a title on one track; ``general``: the
    answer is about the level the others are named as equivalent to; ``yours``: the answer is about the one on the
    asker's own track."""
    levels: tuple[tuple[Level, str], ...]
    """Every level the phrase names, with its track's name, in file order."""
    about: Level
    """The level the answer is about."""
    choices: tuple[Choice, ...]
    """The other levels, to ask again about (a button each in Slack)."""
    question: str
    """The question as asked, for asking it again about another level."""


Answering = Callable[[tuple[str, ...]], object]
"""Answers the question again with the meanings chosen so far (``meanings.key_of`` of each)."""


def one_answer(
    framework: Framework, parser: QuestionParser, question: Question, answer_with: Answering
) -> tuple[object, AlsoMeant] | None:
    """The answer given once for the first open phrase of ``question``, and what it says of the others; None when the
    answer depends on which level was meant (a "did you mean" then)."""
    ambiguity = question.ambiguities[0]
    levels = [o for o in ambiguity.options if isinstance(o, Level)]
    if len(levels) != len(ambiguity.options) or not 1 < len(levels) <= MAX_COMPARED:
        return None
    chosen = {lv.id: (*question.chosen, key_of(lv)) for lv in levels}
    intent = parser.parse(question.text, chosen[levels[0].id]).intent
    in_run = _run_member(framework, levels, intent, one_level=_names_one_level(parser, question, chosen[levels[0].id]))
    if in_run is not None:
        return answer_with(chosen[in_run.id]), _also(framework, question, levels, in_run, "run")
    general = _general_level(framework, levels)
    if general is not None:
        return answer_with(chosen[general.id]), _also(framework, question, levels, general, "general")
    if _COMPARING.get():  # a second open phrase while answers are compared: asked back, so the work stays bounded
        return None
    token = _COMPARING.set(True)
    try:
        answers = [answer_with(chosen[lv.id]) for lv in levels]
    finally:
        _COMPARING.reset(token)
    cores = [core(answer) for answer in answers]
    if cores[0] is None or any(c != cores[0] for c in cores[1:]):
        return None
    return answers[0], _also(framework, question, levels, levels[0], "same")


def _names_one_level(parser: QuestionParser, question: Question, chosen: tuple[str, ...]) -> bool:
    return len(parser.parse(question.text, chosen).levels) == 1


def _run_member(framework: Framework, levels: list[Level], intent: Intent, *, one_level: bool) -> Level | None:
    """Of levels next to each other on one track, the one a question about what follows them (the last) or about
    reaching them (the first) means; None when they are not such a run or the question is about something else."""
    if len({lv.track_id for lv in levels}) != 1 or not one_level:
        return None
    ranks = sorted(lv.rank for lv in levels)
    if ranks != list(range(ranks[0], ranks[0] + len(ranks))):
        return None
    ordered = sorted(levels, key=lambda lv: lv.rank)
    if intent in _AFTER:
        return ordered[-1]
    if intent in _REACHING:
        return ordered[0]
    return None


def _general_level(framework: Framework, levels: list[Level]) -> Level | None:
    """The one level of a group of equivalents that every other candidate is named as equivalent to, when the
    candidates are all of that group (one per track)."""
    if len(levels) < MIN_GENERAL_GROUP:
        return None
    group = {lv.id for lv in framework.equivalence_group(levels[0])}
    if not all(lv.id in group for lv in levels):
        return None
    hubs = [lv for lv in levels if all(lv.id in other.equivalents for other in levels if other.id != lv.id)]
    return hubs[0] if len(hubs) == 1 else None


def _also(framework: Framework, question: Question, levels: list[Level], about: Level, how: str) -> AlsoMeant:
    ambiguity, chosen = question.ambiguities[0], question.chosen
    named = tuple((lv, framework.track_of(lv).name) for lv in levels)
    others = tuple(choice_of(framework, lv, chosen) for lv in levels if lv.id != about.id) if how != "same" else ()
    return AlsoMeant(ambiguity.phrase, how, named, about, others, question.text)


# -- what an answer says, apart from which level it is about --------------------------------------------------------


def core(answer: object) -> Hashable | None:
    """What ``answer`` tells the asker, without the name and neighbours of the level it is about: two candidates whose
    answers have equal cores would be told the same thing. None for an answer that is about the level's place (what
    comes next, the time to reach it, ...), or that says nothing of its own: those are asked back."""
    template = getattr(answer, "template", "")
    context = getattr(answer, "context", {})
    reader = _CORES.get(template)
    return reader(context) if reader is not None else None


def _level_core(context: dict) -> Hashable | None:
    level: Level = context["level"]
    text = (level.summary, tuple(sorted(level.expectations.items())), level.scope, level.decision_rights)
    if not any(text):
        return None
    band = level.band if context["framework"].publish_bands else None
    return ("level", *text, level.typical_time_in_level, band)


def _competency_at_level_core(context: dict) -> Hashable | None:
    expectation = context.get("expectation", "")
    return ("competency_at_level", context["competency"].id, expectation) if expectation else None


def _passages_core(context: dict) -> Hashable | None:
    hits = context.get("hits") or ()
    return ("passages", *((hit.passage.place, hit.quote) for hit in hits)) if hits else None


def _equivalent_core(context: dict) -> Hashable | None:
    named = context.get("equivalents") or ()
    if named:  # each candidate's own group: the same only when it is one group
        level: Level = context["level"]
        group = frozenset({level.id, *(lv.id for lv, _track in named)})
        equivalent = context.get("equivalent")
        return ("equivalent", group, equivalent.id if equivalent else None)
    asked = tuple(t.id for t in context.get("asked_tracks") or ())
    return ("no equivalent", bool(context.get("names_equivalents")), asked)


def _compare_core(context: dict) -> Hashable | None:
    before: Level = context["before"]
    after: Level = context["after"]
    rows = tuple((row.competency.id, row.before, row.after) for row in context.get("rows") or ())
    if not rows and not (before.summary or after.summary):
        return None
    return ("compare", before.title, after.title, before.summary, after.summary, rows)


def _time_core(context: dict) -> Hashable | None:
    """The times stated on the way and the passages quoted about time: "the framework does not say how long" is the
    same answer for every candidate whose levels state none."""
    arrival = context.get("arrival")
    return (
        "time",
        bool(context.get("on_one_path")),
        tuple(row.stated for row in context.get("rows") or ()),
        arrival.stated if arrival else "",
        tuple((hit.passage.place, hit.quote) for hit in context.get("mentions") or ()),
    )


def _not_said_core(context: dict) -> Hashable | None:
    return ("not_said",)


def _not_said_of_core(context: dict) -> Hashable | None:
    return ("not_said_of", tuple(context.get("subject") or ()))


_CORES: dict[str, Callable[[dict], Hashable | None]] = {
    "level": _level_core,
    "competency_at_level": _competency_at_level_core,
    "passages": _passages_core,
    "equivalent": _equivalent_core,
    "compare": _compare_core,
    "time": _time_core,
    "not_said": _not_said_core,
    "not_said_of": _not_said_of_core,
}


def on_the_askers_track(framework: Framework, question: Question, settled: Question) -> AlsoMeant | None:
    """What an answer settled by the asker's own track says of the other levels the phrase names, so that the pick is
    never silent; None when the phrase settled was not one of levels."""
    for ambiguity in question.ambiguities:
        picked = [o for o in ambiguity.options if key_of(o) in settled.chosen and key_of(o) not in question.chosen]
        levels = [o for o in ambiguity.options if isinstance(o, Level)]
        if len(picked) == 1 and isinstance(picked[0], Level) and len(levels) > 1:
            about = picked[0]
            named = tuple((lv, framework.track_of(lv).name) for lv in levels)
            others = tuple(choice_of(framework, lv, question.chosen) for lv in levels if lv.id != about.id)
            return AlsoMeant(ambiguity.phrase, "yours", named, about, others, question.text)
    return None

"""A question naming something the framework has several of: settled by the asker's own track when it can be,
else answered with each candidate ("did you mean …"), each with what asking again about it takes."""

from __future__ import annotations

from dataclasses import dataclass

from bot.framework.model import Competency, Framework, Level, Track
from bot.framework.names import normalize
from bot.questions.meanings import key_of, track_ids_of
from bot.questions.parser import Question, QuestionParser
from bot.questions.vocabulary import Named

MAX_CHOICES = 25
"""Candidates offered at most (Slack's limit on buttons in one row); more are counted, not listed."""


@dataclass(frozen=True)
class Choice:
    thing: Named
    kind: str
    """level, competency or track."""
    title: str
    where: str
    """What tells it apart: its track (a level), its tracks (a competency), its family (a track)."""
    picks: tuple[str, ...]
    """The choices to ask the question again with: those made before, and this one."""


def for_the_asker(parser: QuestionParser, question: Question, person: Level | None) -> Question:
    """``question`` with each open phrase settled by the asker's own track, where exactly one candidate is on it."""
    if person is None or not question.ambiguities:
        return question
    picks = []
    for ambiguity in question.ambiguities:
        on_my_track = [o for o in ambiguity.options if person.track_id in track_ids_of(o)]
        if len(on_my_track) == 1:
            picks.append(key_of(on_my_track[0]))
    return parser.parse(question.text, question.chosen + tuple(picks)) if picks else question


def choices(framework: Framework, question: Question) -> list[Choice]:
    """The candidates for the first phrase still open, in file order."""
    ambiguity = question.ambiguities[0]
    return [choice_of(framework, thing, question.chosen) for thing in ambiguity.options[:MAX_CHOICES]]


def choice_of(framework: Framework, thing: Named, chosen: tuple[str, ...]) -> Choice:
    """``thing`` as a candidate to ask again about, after the choices ``chosen`` made before."""
    picks = (*chosen, key_of(thing))
    if isinstance(thing, Level):
        track = framework.track_of(thing)
        namesakes = [t for t in framework.tracks if t.id != track.id and normalize(t.name) == normalize(track.name)]
        family = f", {track.family}" if namesakes and track.family else ""  # two "Main" tracks, one per family
        return Choice(thing, "level", thing.title, f"{track.name} track{family}", picks)
    if isinstance(thing, Competency):
        names = [t.name for t in framework.tracks if t.id in thing.tracks]
        return Choice(thing, "competency", thing.name, "competency of " + (", ".join(names) or "no track"), picks)
    assert isinstance(thing, Track)
    return Choice(thing, "track", thing.name, f"{thing.family} track" if thing.family else "track", picks)

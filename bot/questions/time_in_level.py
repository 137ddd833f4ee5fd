"""The typical time a level states, wherever its file put it.

A level's ``typical_time_in_level`` is where Ladder's own shape keeps it. Files imported as organisations wrote them
often keep it elsewhere: a column or competency labelled "Durée typique", "Typical time", "Time in level" or "在籍期間"
that the import did not map, or a sentence of the level's summary ("People usually spend 18–24 months here"). A time
answer reads those too, so it never says "no time stated" beside a quote that states one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.framework.model import Framework, Level
from bot.questions.durations import Duration, find_duration, read_duration

_TIME_LABEL = re.compile(
    r"(?<![^\W\d_])(?:time|times|duration|tenure|dur[ée]e|durata|duraci[óo]n|dura[çc][ãa]o|dauer|verweildauer|zeit|"
    r"tempo|tiempo|срок|время)(?![^\W\d_])|期間|在籍|年数|滞在|停留|时间|時間|期限"
)
"""Words of a label under which a level states how long people stay in it ("Durée typique", "Typical time")."""
_EXPERIENCE = re.compile(r"experi|erfahrung|опыт|経験|经验|經驗|berufserfahrung", re.IGNORECASE)
"""A label about experience ("Years of experience") states a total career length, not the time in one level."""
_IN_LEVEL = re.compile(
    r"(?<![^\W\d_])(?:spend|spends|stay|stays|typically|usually|on average|at this level|in this level|in level|"
    r"typique|typiquement|généralement|en moyenne|passent|restent|normalmente|normalerweise|üblicherweise|"
    r"permanecem|permanecen|ficam|restano|bleiben)(?![^\W\d_])|在籍|とどま|留ま|通常|平均",
    re.IGNORECASE,
)
"""Words that say a sentence is about the time people are at a level rather than some other length of time."""
_SENTENCE = re.compile(r"(?<=[.!?;。！？])\s*|\n+")
MAX_SENTENCE = 300
"""A sentence longer than this is not read for a stated time (it is prose about something else)."""


@dataclass(frozen=True)
class StatedTime:
    text: str
    """The time as the file writes it ("6 à 9 mois"), or "" when the level states none."""
    where: str = ""
    """The label it was found under ("Durée habituelle"), "" when it is the level's ``typical_time_in_level``."""

    @property
    def duration(self) -> Duration | None:
        return read_duration(self.text)


def stated_time(framework: Framework, level: Level) -> StatedTime:
    """The typical time ``level`` states: its ``typical_time_in_level``, else the value of a competency whose name
    is a label of time that reads as a length of time ("Durée habituelle": "6 à 9 mois"), else a sentence of its
    summary or scope that says how long people are at it."""
    if level.typical_time_in_level:
        return StatedTime(level.typical_time_in_level)
    for competency in framework.competencies:
        value = level.expectations.get(competency.id, "").strip()
        if value and _is_a_time_label(competency.name) and read_duration(value) is not None:
            return StatedTime(value, competency.name)
    for text in (level.summary, level.scope):
        for sentence in _SENTENCE.split(text or ""):
            sentence = sentence.strip()
            if 0 < len(sentence) <= MAX_SENTENCE and _IN_LEVEL.search(sentence) and not _EXPERIENCE.search(sentence):
                if find_duration(sentence) is not None and read_duration(sentence) is not None:
                    return StatedTime(sentence, "")
    return StatedTime("")


def _is_a_time_label(name: str) -> bool:
    plain = unicodedata.normalize("NFKC", name).casefold()
    return bool(_TIME_LABEL.search(plain)) and not _EXPERIENCE.search(plain)

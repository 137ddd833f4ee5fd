"""Answering a person's question: their recorded level, if any, plus the framework's answer.

This is the one entry point the Slack handlers and the terminal share, so both give the same
answer to the same person.
"""

from __future__ import annotations

from typing import Protocol

from bot.framework.model import Framework, Level
from bot.questions.answers import Answer, Answerer


class PersonLevels(Protocol):
    """Where recorded levels live; storage provides it, tests may pass a dict-backed one."""

    def level_id(self, team_id: str, user_id: str) -> str | None: ...


class CareerQuestions:
    def __init__(self, framework: Framework, levels: PersonLevels | None = None) -> None:
        self.framework = framework
        self.answerer = Answerer(framework)
        self._levels = levels

    def ask(self, text: str, *, team_id: str | None = None, user_id: str | None = None, chosen: tuple[str, ...] = ()) -> Answer:
        """``chosen``: meanings picked for phrases that name several things (from a "did you mean" button)."""
        question = self.answerer.parser.parse(text, chosen)
        needs_person = question.is_personal or bool(question.ambiguities)  # the asker's track may settle which is meant
        person = self.person_level(team_id, user_id) if needs_person else None  # most questions need no database
        return self.answerer.ask(text, person, chosen)

    def person_level(self, team_id: str | None, user_id: str | None) -> Level | None:
        if self._levels is None or not team_id or not user_id:
            return None
        level_id = self._levels.level_id(team_id, user_id)
        return self.framework.level(level_id) if level_id else None

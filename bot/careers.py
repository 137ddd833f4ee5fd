"""Answering a person's question: their recorded level, if any, plus the framework's answer.

This is the one entry point the Slack handlers and the terminal share, so both give the same
answer to the same person. Each organisation asks its own framework (``framework_for``): the answerer of a framework
is built once, the first time someone of that organisation asks after it was published, and kept while it is in force.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Protocol

from bot.framework.model import Framework, Level
from bot.kept import Kept
from bot.questions.answers import Answer, Answerer


class PersonLevels(Protocol):
    """Where recorded levels live; storage provides it, tests may pass a dict-backed one."""

    def level_id(self, team_id: str, user_id: str) -> str | None: ...


class CareerQuestions:
    def __init__(
        self,
        framework: Framework,
        levels: PersonLevels | None = None,
        *,
        framework_for: Callable[[str], Framework] | None = None,
    ) -> None:
        """``framework``: the default; ``framework_for``: an organisation's framework in force (None: the default for
        everyone)."""
        self.framework = framework
        self.answerer = Answerer(framework)
        self._levels = levels
        self._framework_for = framework_for
        self._answerers: Kept[int, tuple[Framework, Answerer]] = Kept()
        """Answerers besides the default's, one per framework version asked of lately: one organisation's being built
        (its search index) keeps no other organisation's question waiting."""

    def framework_of(self, team_id: str | None) -> Framework:
        """The framework ``team_id``'s questions are answered from."""
        return self._framework_for(team_id) if self._framework_for is not None and team_id else self.framework

    def answerer_for(self, team_id: str | None) -> Answerer:
        framework = self.framework_of(team_id)
        if framework is self.framework:
            return self.answerer
        # the registry hands out one object per version: it is held here, so its id stays its own while it is kept
        made = self._answerers.get(id(framework), lambda: (framework, Answerer(framework)), still=lambda f: f[0] is framework)
        return made[1]

    def ask(self, text: str, *, team_id: str | None = None, user_id: str | None = None, chosen: tuple[str, ...] = ()) -> Answer:
        """``chosen``: meanings picked for phrases that name several things (from a "did you mean" button)."""
        answerer = self.answerer_for(team_id)
        question = answerer.parser.parse(text, chosen)
        needs_person = question.is_personal or bool(question.ambiguities)  # the asker's track may settle which is meant
        person = self._person_level(answerer.framework, team_id, user_id) if needs_person else None
        answer = answerer.ask(text, person, chosen)
        answer = replace(answer, context={**answer.context, "tenant": team_id})  # its page links go to its own pages
        if answer.key is None:
            return answer
        # an answer's rendering is remembered by its key: the framework's content, and whose (its links are theirs)
        return replace(answer, key=(answerer.framework.name, answerer.framework.fingerprint, team_id, *answer.key))

    def person_level(self, team_id: str | None, user_id: str | None) -> Level | None:
        return self._person_level(self.framework_of(team_id), team_id, user_id)

    def _person_level(self, framework: Framework, team_id: str | None, user_id: str | None) -> Level | None:
        if self._levels is None or not team_id or not user_id:
            return None
        level_id = self._levels.level_id(team_id, user_id)
        return framework.level(level_id) if level_id else None
